import Testing
@testable import PayoutCore

@Suite struct CardNumberTests {
    @Test(arguments: [
        ("6228480402564890018", "622848*********0018"),
        ("4111111111111111", "411111******1111"),
        ("4111 1111 1111 1111", "411111******1111"),
        ("4111-1111-1111-1111", "411111******1111"),
        ("622848******0018", "622848******0018"),
        ("622848xxxxxx0018", "622848******0018"),
        ("************0018", "************0018"),
        ("", ""),
    ])
    func masks(raw: String, masked: String) throws {
        #expect(try CardNumber.mask(raw) == masked)
    }

    @Test(arguments: ["12345", "41111111111111112222", "4111a11111111111", "6228480402*****890018", "62284804025*0018"])
    func rejects(raw: String) {
        #expect(throws: CardNumber.Invalid.self) { try CardNumber.mask(raw) }
    }

    @Test func maskedNeverShowsMoreThanTenDigits() throws {
        for len in 12...19 {
            let pan = String(repeating: "4", count: len)
            let m = try CardNumber.mask(pan)
            #expect(m.count == len)
            #expect(m.filter(\.isNumber).count == 10)
        }
    }

    @Test func tail() {
        #expect(CardNumber.tail("622848******0018") == "0018")
        #expect(CardNumber.tail("") == "")
    }

    @Test func spotsFullPANs() {
        #expect(CardNumber.containsFullPAN("card 4111111111111111 here"))
        #expect(CardNumber.containsFullPAN("6228480402564890018"))
        #expect(!CardNumber.containsFullPAN("411111******1111"))
        #expect(!CardNumber.containsFullPAN("rrn 880000000101 mid 898440358120013"))
    }
}

@Suite struct IdentifierTests {
    @Test func acceptsConventionalShapes() {
        #expect(IdentifierKind.merchantId.problem(with: "898440358120013") == nil)
        #expect(IdentifierKind.terminalId.problem(with: "LKL10001") == nil)
        #expect(IdentifierKind.payoutRef.problem(with: "po_1OaBcD2eZvKYlo2C") == nil)
    }

    @Test func rejectsBadOnes() {
        #expect(IdentifierKind.rrn.problem(with: "") != nil)
        #expect(IdentifierKind.rrn.problem(with: "12 34") != nil)
        #expect(IdentifierKind.terminalId.problem(with: "终端1") != nil)
        #expect(IdentifierKind.rrn.problem(with: String(repeating: "9", count: 41)) != nil)
    }

    /// The one free-text masker: its digit range and the identifiers it keeps.
    @Test func redactMasksLuhnRunsInTheRangeAndKeepsKnownIdentifiers() {
        let amex = "378282246310005"          // 15 digits, passes Luhn
        let visa = "4111111111111111"         // 16 digits, passes Luhn
        let text = "card \(amex), card \(visa), ref 4111111111111112, time 20261128"
        #expect(CardNumber.redact(text) == "card 378282*****0005, card 411111******1111, ref 4111111111111112, time 20261128")
        #expect(CardNumber.redact(text, lengths: 16...19) == "card \(amex), card 411111******1111, ref 4111111111111112, time 20261128")
        #expect(CardNumber.redact(text, keeping: [amex]) == "card \(amex), card 411111******1111, ref 4111111111111112, time 20261128")
        let plain = "南山店 LKL10001 880000000201"
        #expect(CardNumber.redact(plain) == plain)
        #expect(!CardNumber.containsFullPAN(CardNumber.redact(text)))
    }

    /// Card numbers written in groups: single spaces or dashes between the groups.
    @Test func redactFindsSpacedAndDashedNumbers() {
        #expect(CardNumber.redact("card 4000 0566 5566 5556 ok") == "card 400005******5556 ok")
        #expect(CardNumber.redact("card 4000-0566-5566-5556") == "card 400005******5556")
        #expect(CardNumber.redact("amex 3782 822463 10005.") == "amex 378282*****0005.")
        #expect(CardNumber.redact("T-4000-0566-5566-5556") == "T-400005******5556")
        // After another number in the same chain, the card is still found.
        #expect(CardNumber.redact("ref 12 4000 0566 5566 5556") == "ref 12 400005******5556")
        // A 19-digit number and a 13-digit one.
        #expect(CardNumber.redact("x 6228 4804 0256 4890 018") == "x 622848*********0018")
        #expect(CardNumber.redact("4222222222222") == "422222***2222")
        // Two spaces, or another separator, end a group: not one number.
        #expect(CardNumber.redact("4000  0566 5566 5556") == "4000  0566 5566 5556")
        #expect(CardNumber.redact("4000.0566.5566.5556") == "4000.0566.5566.5556")
        // Not Luhn-valid, or a date and time: unchanged.
        #expect(CardNumber.redact("4000 0566 5566 5557") == "4000 0566 5566 5557")
        #expect(CardNumber.redact("2026-11-20 12:18:05") == "2026-11-20 12:18:05")
        // 14 digits passing Luhn: kept when they read as a date and time, else masked.
        #expect(CardNumber.redact("e.g. 20261120121805") == "e.g. 20261120121805")
        #expect(CardNumber.redact("e.g. 20261140121801") == "e.g. 202611****1801")
        // A kept identifier stays, written plain or in groups.
        #expect(CardNumber.redact("MID 898440358120031", keeping: ["898440358120031"]) == "MID 898440358120031")
        #expect(CardNumber.redact("MID 898440358120031") == "MID 898440*****0031")
        #expect(CardNumber.redact("4000-0566-5566-5556", keeping: ["4000056655665556"]) == "4000-0566-5566-5556")
    }
}
