import Foundation
import Logging
import Synchronization
import Testing

@testable import ContextBroker

@Suite struct RequestTimerTests {
    func broker(semWait: Bool, timing: Bool) -> ContextBroker {
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = NSTemporaryDirectory() + "broker-timer-tests-" + UUID().uuidString
        configuration.statSemWait = semWait
        configuration.statTiming = timing
        return ContextBroker(configuration: configuration, logger: Logger(label: "test"))
    }

    func request(_ method: String, _ segments: [String], _ body: String) -> NGSIRequest {
        NGSIRequest(
            method: method, segments: segments, parameters: [:], body: Array(body.utf8),
            contentType: body.isEmpty ? nil : "application/json", accept: nil, servicePath: nil, tenant: "",
            correlator: "c")
    }

    @Test func measuresOnlyInsideATimedRequest() throws {
        #expect(RequestTimer.current == nil)
        let value = RequestTimer.measure(.render) { 42 }
        #expect(value == 42)
        let timer = RequestTimer()
        RequestTimer.$current.withValue(timer) {
            RequestTimer.measure(.render) { Thread.sleep(forTimeInterval: 0.002) }
        }
        let snapshot = timer.snapshot
        #expect(RequestTimer.value(.render, in: snapshot) >= .milliseconds(2))
        #expect(RequestTimer.value(.jsonV2Parse, in: snapshot) == .zero)
    }

    @Test func fillsSemWaitAndTimingWithMeasuredValues() async throws {
        let broker = broker(semWait: true, timing: true)
        #expect(broker.statisticsReport().body?.contains(#""timing":{},"#) == true)
        for (method, body) in [("POST", #"{"id":"E","type":"T","a":{"value":1}}"#), ("GET", "")] {
            let timer = RequestTimer()
            let start = ContinuousClock.now
            let ngsiRequest = request(method, [], body)
            _ = try await RequestTimer.$current.withValue(timer) {
                try await broker.dispatch(.entities, ngsiRequest)
            }
            broker.record(timer, total: ContinuousClock.now - start)
        }
        let statistics = broker.statistics.withLock { $0 }
        #expect(statistics.transactionWait > .zero)
        #expect(statistics.connectionWait > .zero)
        #expect(statistics.requestWait == .zero)
        #expect(statistics.accumulatedTiming.jsonV2Parse > .zero)
        #expect(statistics.accumulatedTiming.render > .zero)
        #expect(statistics.accumulatedTiming.total > statistics.lastTiming.total)
        #expect(statistics.lastTiming.jsonV2Parse == .zero)
        let body = broker.statisticsReport().body ?? ""
        let number = #"(0|[0-9]+(\.[0-9]{1,9})?)"#
        let pattern =
            #"^\{"semWait":\{"request":0,"dbConnectionPool":"# + number + #","transaction":"# + number
            + #","subCache":0,"metrics":0,"connectionContext":0,"timeStat":0\},"#
            + #""timing":\{"accumulated":\{"jsonV2Parse":"# + number + #","render":"# + number + #","total":"#
            + number + #"\},"last":\{"render":"# + number + #","total":"# + number + #"\}\},"#
            + #""uptime_in_secs":[0-9]+,"measuring_interval_in_secs":[0-9]+\}$"#
        #expect(body.range(of: pattern, options: .regularExpression) != nil, "\(body)")
    }

    @Test func leavesTheBlocksOutWhenTheFlagsAreOff() {
        let broker = broker(semWait: false, timing: false)
        #expect(!broker.measuresRequests)
        let body = broker.statisticsReport().body ?? ""
        let pattern = #"^\{"uptime_in_secs":[0-9]+,"measuring_interval_in_secs":[0-9]+\}$"#
        #expect(body.range(of: pattern, options: .regularExpression) != nil)
    }
}
