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
}
