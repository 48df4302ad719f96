import Testing

@testable import ImagingServer

@Suite struct IdentifierNormalizerTests {
    @Test(arguments: [
        ("  smith^john ", "SMITH^JOHN"),
        ("a_b%c", "A B C"),
        ("Zoë", "ZO"),
        ("1.2.840", "1.2.840"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(IdentifierNormalizer.normalize(input) == expected)
    }

    @Test func generatesUIDsUnderTheUUIDRoot() {
        let uid = UIDGenerator.generate(for: .study)
        #expect(uid.hasPrefix("2.25."))
        #expect(uid.count <= 64)
        #expect(uid.dropFirst(5).allSatisfy { $0.isNumber })
        #expect(UIDGenerator.decimal(high: 0, low: 12345) == "12345")
        #expect(UIDGenerator.decimal(high: 1, low: 0) == "18446744073709551616")
    }
}
