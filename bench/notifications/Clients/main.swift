import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Notifications

// Atrium's HTTP transport (plain SwiftNIO) against async-http-client, both reusing connections: each posts the
// same notification body to the receiver of bench/notifications (`POST /notify`) from `concurrency` loops, for
// `requests` requests in all, three rounds interleaved. Prints one line per round and client, then the medians.
//
// Usage: atrium-bench-http-clients PORT [REQUESTS] [CONCURRENCY]
let arguments = CommandLine.arguments
let port = Int(arguments.dropFirst().first ?? "") ?? 18090
let requests = Int(arguments.dropFirst(2).first ?? "") ?? 20_000
let concurrency = Int(arguments.dropFirst(3).first ?? "") ?? 10
let url = "http://127.0.0.1:\(port)/notify"
let body = ByteBuffer(
    string:
        #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{}}}]}"#
)
let headers: [(String, String)] = [
    ("Content-Type", "application/json; charset=utf-8"), ("Accept", "application/json"),
    ("Fiware-ServicePath", "/"), ("User-Agent", "orion/4.7.0 atrium"),
    ("Fiware-Correlator", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0; cbnotif=1"), ("Ngsiv2-AttrsFormat", "normalized"),
]

/// Runs `send` from `concurrency` loops until `requests` have been sent; returns requests per second.
func measure(_ send: @escaping @Sendable () async -> Bool) async -> Double {
    let started = ContinuousClock.now
    let failures = await withTaskGroup(of: Int.self) { group in
        for loop in 0..<concurrency {
            let share = requests / concurrency + (loop < requests % concurrency ? 1 : 0)
            group.addTask {
                var failed = 0
                for _ in 0..<share where !(await send()) { failed += 1 }
                return failed
            }
        }
        return await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    if failures > 0 { print("  \(failures) failures") }
    return Double(requests) / seconds
}

let transport = HTTPTransport(
    group: MultiThreadedEventLoopGroup.singleton, reusesConnections: true, verifiesCertificates: true,
    maximumMessageSize: 8 << 20, logger: .init(label: "bench"))
let notification = OutboundNotification(
    destination: .http(HTTPTarget(url: url, headers: headers.map { HTTPTarget.Header($0.0, $0.1) })), body: body)
let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)

var results: [String: [Double]] = [:]
for round in 1...3 {
    let nio = await measure {
        if case .delivered = await transport.deliver(notification, timeout: .seconds(5)) { return true }
        return false
    }
    print("round \(round) Atrium HTTP transport (SwiftNIO): \(Int(nio)) requests/s")
    results["nio", default: []].append(nio)
    let ahc = await measure {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .seconds(5))
            _ = try await response.body.collect(upTo: 1 << 20)
            return true
        } catch {
            return false
        }
    }
    print("round \(round) async-http-client: \(Int(ahc)) requests/s")
    results["ahc", default: []].append(ahc)
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
print(
    #"{"nio":\#(Int(median(results["nio"]!))),"ahc":\#(Int(median(results["ahc"]!))),"requests":\#(requests),"concurrency":\#(concurrency)}"#
)
await transport.shutdown()
try await client.shutdown().get()
