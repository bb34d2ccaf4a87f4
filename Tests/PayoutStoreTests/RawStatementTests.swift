import PayoutTestSupport
import Foundation
import GRDB
import Testing
@testable import PayoutStore

/// Values bound through SQLite's C API land as GRDB would have bound them: texts
/// (empty, Chinese, with NUL-free control bytes) as text, nil as NULL, integers whole;
/// a failed step throws and leaves the statement ready for the next row.
@Suite struct RawStatementTests {
    @Test func bindsTextsIntegersAndNullsAsGRDBWould() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT, b TEXT, c INTEGER, d INTEGER, e TEXT UNIQUE)")
            let raw = try RawStatement(db, sql: "INSERT INTO t (a, b, c, d, e) VALUES (?,?,?,?,?)")
            let rows: [(String, String?, Int64, Int64?, String)] = [
                ("", nil, Int64.max, nil, "one"),
                ("门店1-收银1号", "x\u{7}y", Int64.min, 0, "two"),
                ("😀 über", "", -1, 42, "three"),
            ]
            for r in rows {
                try raw.run { b in b.add(r.0); b.add(r.1); b.add(r.2); b.add(r.3); b.add(r.4) }
            }
            // A step that fails throws, and the next row still binds from the first place.
            #expect(throws: DatabaseError.self) { try raw.run { b in b.add("dup"); b.skip(); b.add(1 as Int64); b.skip(); b.add("one") } }
            try raw.run { b in b.add("after"); b.skip(); b.add(7 as Int64); b.skip(); b.add("four") }

            let read = try Row.fetchAll(db, sql: "SELECT a, b, c, d, e, typeof(a) AS ta, typeof(b) AS tb, typeof(d) AS td FROM t ORDER BY rowid")
            #expect(read.count == 4)
            #expect(read[0]["a"] as String == "" && read[0]["ta"] as String == "text")
            #expect(read[0]["tb"] as String == "null" && read[0]["td"] as String == "null")
            #expect(read[0]["c"] as Int64 == Int64.max)
            #expect(read[1]["a"] as String == "门店1-收银1号" && read[1]["b"] as String == "x\u{7}y" && read[1]["c"] as Int64 == Int64.min)
            #expect(read[2]["a"] as String == "😀 über" && read[2]["b"] as String == "" && read[2]["tb"] as String == "text")
            #expect(read[3]["a"] as String == "after" && read[3]["tb"] as String == "null" && read[3]["c"] as Int64 == 7)
        }
    }
}
