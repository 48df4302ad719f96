import Testing

@testable import DICOM

@Suite struct UIDGeneratorTests {
    @Test func decimalOfKnown128BitValues() {
        #expect(UIDGenerator.decimal(high: 0, low: 0) == "0")
        #expect(UIDGenerator.decimal(high: 0, low: UInt64.max) == "18446744073709551615")
        #expect(UIDGenerator.decimal(high: 1, low: 0) == "18446744073709551616")
        #expect(UIDGenerator.decimal(high: UInt64.max, low: UInt64.max) == "340282366920938463463374607431768211455")
        // The UUID f81d4fae-7dec-11d0-a765-00a0c91e6bf6 of PS3.5 §B.2's example.
        #expect(
            UIDGenerator.decimal(high: 0xf81d_4fae_7dec_11d0, low: 0xa765_00a0_c91e_6bf6)
                == "329800735698586629295641978511506172918")
    }

    @Test func uidsAreValidAndDistinct() {
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let uid = UIDGenerator.makeUID()
            #expect(uid.hasPrefix("2.25."))
            #expect(uid.utf8.count <= 64)
            #expect(
                uid.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            #expect(!uid.dropFirst(5).hasPrefix("0"))
            seen.insert(uid)
        }
        #expect(seen.count == 1_000)
    }
}
