import Foundation
import Hummingbird
import Synchronization

// The notification receiver of bench/notifications/run.py: `POST /notify` answers 200 at once and records the
// arrival and, when the body holds the entity's `dateModified`, the delay from that write to this arrival;
// `GET /stats` gives the count, the first and last arrival and the delay percentiles; `DELETE /stats` resets.
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18090

final class Recorder: Sendable {
    private struct State {
        var count = 0
        var first: Double?
        var last: Double?
        var delays: [Double] = []
    }
    private let state = Mutex(State())
    private static let marker = Array(#""dateModified":{"type":"DateTime","value":""#.utf8)

    func record(_ body: ByteBuffer) {
        let now = Date().timeIntervalSince1970
        let written = Self.dateModified(body)
        state.withLock { state in
            state.count += 1
            state.first = state.first ?? now
            state.last = now
            if let written { state.delays.append(now - written) }
        }
    }

    /// The `dateModified` value of a normalized notification, in seconds since 1970.
    static func dateModified(_ body: ByteBuffer) -> Double? {
        let bytes = body.readableBytesView
        guard let start = bytes.firstRange(of: marker)?.upperBound else { return nil }
        let text = String(decoding: bytes[start...].prefix(24), as: UTF8.self)
        // YYYY-MM-DDThh:mm:ss.sssZ
        guard text.count == 24 else { return nil }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        let parts = text.split(whereSeparator: { "-T:.Z".contains($0) }).compactMap { Int($0) }
        guard parts.count == 7 else { return nil }
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        (components.hour, components.minute, components.second) = (parts[3], parts[4], parts[5])
        guard let date = Calendar(identifier: .gregorian).date(from: components) else { return nil }
        return date.timeIntervalSince1970 + Double(parts[6]) / 1000
    }

    func report() -> String {
        state.withLock { state in
            let sorted = state.delays.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
            }
            return
                #"{"count":\#(state.count),"first":\#(state.first ?? 0),"last":\#(state.last ?? 0),"p50":\#(percentile(0.5)),"p99":\#(percentile(0.99)),"delays":\#(sorted.count)}"#
        }
    }

    func reset() { state.withLock { $0 = State() } }
}

let recorder = Recorder()
let router = Router()
router.post("notify") { request, _ in
    recorder.record(try await request.body.collect(upTo: 1 << 20))
    return Response(status: .ok)
}
router.get("stats") { _, _ in
    Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: recorder.report())))
}
router.delete("stats") { _, _ in
    recorder.reset()
    return Response(status: .noContent)
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
