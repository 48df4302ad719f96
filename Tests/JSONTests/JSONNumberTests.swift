import JSON
import Testing

@Suite struct JSONNumberTests {
    @Test(arguments: [
        (23.0, "23"), (-4.0, "-4"), (23.5, "23.5"), (0.1, "0.1"), (-0.0, "0"), (1e15, "1000000000000000.0"),
        (1e-7, "1e-07"), (Double.nan, "null"), (Double.infinity, "null"),
    ])
    func formatsDoublesAsOrionAndOrthanc(value: Double, text: String) {
        #expect(JSONNumber(value).literal == text)
    }

    @Test func readsItsLiteral() {
        #expect(JSONNumber(literal: "1.50").doubleValue == 1.5)
        #expect(JSONNumber(literal: "-12").int64Value == -12)
        #expect(JSONNumber(literal: "-12").isInteger)
        #expect(!JSONNumber(literal: "1e3").isInteger)
        #expect(JSONNumber(literal: "1e3").int64Value == nil)
        #expect(JSONNumber(UInt64.max).literal == "18446744073709551615")
    }
}
