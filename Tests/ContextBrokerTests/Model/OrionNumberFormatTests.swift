import Testing

@testable import ContextBroker

@Suite struct OrionNumberFormatTests {
    /// Orion's rendering of numbers, as its functional tests of spurious decimals show it.
    @Test(arguments: [
        (442.123456785551, "442.123456786"), (42.9, "42.9"), (42.999999999, "42.999999999"), (42.9999999999, "43"),
        (42.000000001, "42"), (42.00000001, "42.00000001"), (42.0000000001, "42"), (23, "23"), (-4, "-4"),
        (-3.5, "-3.5"), (0.1, "0.1"), (-0.0000000001, "0"), (1e21, "1e+21"), (123456789012, "123456789012"),
    ])
    func rendersAsOrion(value: Double, text: String) {
        #expect(JSONValue.format(number: value) == text)
        #expect(JSONValue.number(value).serialized == text)
    }
}
