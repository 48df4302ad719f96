import DICOM
import Testing

@Suite struct IntegerStringTests {
    @Test(arguments: [
        ("0", 0), ("42", 42), ("+42", 42), ("-42", -42), (" 7 ", 7), ("2147483647", 2_147_483_647),
        ("-2147483648", -2_147_483_648), ("007", 7),
    ])
    func parses(text: String, value: Int) {
        #expect(IntegerString(text)?.value == value)
    }

    @Test func keepsText() {
        #expect(IntegerString(" +007 ")?.description == "+007")
        #expect(IntegerString(12)?.description == "12")
        #expect(IntegerString(Int(Int32.max) + 1) == nil)
    }

    @Test(arguments: [
        "", " ", "+", "-", "2147483648", "-2147483649", "99999999999999999999999", "1.0", "1e3", "0x10", "1 2",
        "--1", "12a",
    ])
    func rejectsMalformed(text: String) {
        #expect(IntegerString(text) == nil)
    }
}
