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
}
