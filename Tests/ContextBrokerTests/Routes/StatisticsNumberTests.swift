import Testing

@testable import ContextBroker

@Suite struct StatisticsNumberTests {
    @Test func writesSinglePrecisionSecondsWithAtMostNineDecimals() {
        #expect(StatisticsNumber.text(.zero) == "0")
        #expect(StatisticsNumber.text(.seconds(2)) == "2")
        #expect(StatisticsNumber.text(.milliseconds(1500)) == "1.5")
        #expect(StatisticsNumber.text(.microseconds(250)) == "0.00025")
        #expect(StatisticsNumber.text(.nanoseconds(1)) == "0.000000001")
        // 0.1 is not exact in single precision: its float reads 0.100000001 at nine decimals.
        #expect(StatisticsNumber.text(seconds: 0.1) == "0.100000001")
        #expect(StatisticsNumber.text(seconds: 2.917002794) == "2.917002678")
    }
}
