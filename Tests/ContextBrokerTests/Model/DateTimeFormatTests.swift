import Testing

@testable import ContextBroker

@Suite struct DateTimeFormatTests {
    @Test func parsesTheISO8601FormsOrionAccepts() {
        #expect(DateTimeFormat.parse("1970-01-01") == 0)
        #expect(DateTimeFormat.parse("2017-06-17T07:21:24.238Z") == 1_497_684_084.238)
        #expect(DateTimeFormat.parse("2017-06-17T07:21:24") == 1_497_684_084)
        #expect(DateTimeFormat.parse("2017-06-17T07:21") == 1_497_684_060)
        #expect(DateTimeFormat.parse("2017-06-17T09:21:24+02:00") == 1_497_684_084)
        #expect(DateTimeFormat.parse("2017-06-17T09:21:24+0200") == 1_497_684_084)
        #expect(DateTimeFormat.parse("2017-06-17T05:21:24-02") == 1_497_684_084)
    }

    @Test func refusesWhatIsNotADate() {
        for text in ["2017-13-01", "2017-02-30", "17-06-17", "2017-06-17T25:00", "2017-06-17 07:21", "hello", "2017-06-17Tx"] {
            #expect(DateTimeFormat.parse(text) == nil)
        }
    }

    @Test func rendersMillisecondsAndZ() {
        #expect(DateTimeFormat.render(1_497_684_084.238) == "2017-06-17T07:21:24.238Z")
        #expect(DateTimeFormat.render(0) == "1970-01-01T00:00:00.000Z")
        #expect(DateTimeFormat.render(-1) == "1969-12-31T23:59:59.000Z")
    }
}
