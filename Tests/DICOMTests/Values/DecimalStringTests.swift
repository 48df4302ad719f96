import DICOM
import Testing

@Suite struct DecimalStringTests {
    @Test(arguments: [
        ("1", 1.0, "1"), ("-2.5", -2.5, "-2.5"), ("+3.25", 3.25, "+3.25"), (" 0.1 ", 0.1, "0.1"),
        ("1e3", 1000.0, "1e3"), ("1.5E-2", 0.015, "1.5E-2"), ("-4.0e+2", -400.0, "-4.0e+2"), (".5", 0.5, ".5"),
        ("5.", 5.0, "5."), ("0000012", 12.0, "0000012"), ("1.00000000000000001", 1.0, "1.00000000000000001"),
    ])
    func parsesAndKeepsText(text: String, value: Double, description: String) throws {
        let number = try #require(DecimalString(text))
        #expect(number.value == value)
        #expect(number.description == description)
    }

    @Test(arguments: [
        "", " ", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "NaN", "nan", "inf", "-Infinity", "0x1p3",
        "1 2", "1e400", "--1", "1f", "١",
    ])
    func rejectsMalformed(text: String) {
        #expect(DecimalString(text) == nil)
    }
}
