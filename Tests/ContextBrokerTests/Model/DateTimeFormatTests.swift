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

    @Test func parsesPartialAndBasicTimes() {
        let midnight = DateTimeFormat.parse("2016-10-01")
        #expect(midnight == 1_475_280_000)
        for text in [
            "2016-10-01T00", "2016-10-01T00Z", "2016-10-01T0000", "2016-10-01T0000Z", "2016-10-01T000000",
            "2016-10-01T000000Z", "2016-10-01T000000.000", "2016-10-01T000000.000Z",
        ] {
            #expect(DateTimeFormat.parse(text) == midnight, "\(text)")
        }
        #expect(DateTimeFormat.parse("2017-06-17T072124.238Z") == 1_497_684_084.238)
        #expect(DateTimeFormat.parse("2017-06-17T0921+0200") == 1_497_684_060)
    }

    @Test func refusesWhatIsNotADate() {
        for text in [
            "2017-13-01", "2017-02-30", "17-06-17", "2017-06-17T25:00", "2017-06-17 07:21", "hello", "2017-06-17Tx",
            "2017-06-17T7", "2017-06-17T072", "2017-06-17T07:2", "2017-06-17T0760",
        ] {
            #expect(DateTimeFormat.parse(text) == nil)
        }
    }

    @Test func rendersMillisecondsAndZ() {
        #expect(DateTimeFormat.render(1_497_684_084.238) == "2017-06-17T07:21:24.238Z")
        #expect(DateTimeFormat.render(0) == "1970-01-01T00:00:00.000Z")
        #expect(DateTimeFormat.render(-1) == "1969-12-31T23:59:59.000Z")
    }
}
