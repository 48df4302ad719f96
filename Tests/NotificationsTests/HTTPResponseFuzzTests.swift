import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Notifications

/// A deterministic mutation fuzzer of what a notification receiver answers: well-formed responses (with a
/// Content-Length, chunked, close-delimited, two in a row, `100 Continue` first) mutated with the MQTT fuzzer's
/// mutations, fed whole and byte by byte to a client pipeline with an exchange in flight. Every mutant must
/// complete the exchange exactly once, as a response or a failure; a crash fails the test process.
///
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of mutants (2,000 by default).
@Suite("HTTP response fuzzing")
struct HTTPResponseFuzzTests {
    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    static let seeds: [[UInt8]] = [
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nerror\r\n0\r\n\r\n",
        "HTTP/1.0 200 OK\r\n\r\nuntil the close",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ].map { Array($0.utf8) }

    /// Runs one exchange against `response`, given in pieces of `piece` bytes, then closes the connection.
    /// - Returns: how many times the exchange completed.
    static func completions(of response: [UInt8], piece: Int) throws -> Int {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.pipeline.syncOperations.addHandler(
            HTTPExchangeHandler(establishment: nil, deadline: .now() + .seconds(60)))
        let target = HTTPTarget(url: "http://127.0.0.1:1/notify")
        let request = try HTTPNotificationRequest(
            target: target, url: try HTTPURL(parsing: target.url), body: ByteBuffer(string: "{}"),
            closesConnection: false)
        let promise = channel.eventLoop.makePromise(of: HTTPExchangeResponse.self)
        let completed = CompletionCounter()
        promise.futureResult.whenComplete { _ in completed.count += 1 }
        channel.write(HTTPExchange(request: request, deadline: .now() + .seconds(60), promise: promise), promise: nil)
        channel.flush()
        var offset = 0
        while offset < response.count, channel.isActive {
            let end = min(offset + piece, response.count)
            do {
                try channel.writeInbound(ByteBuffer(bytes: response[offset..<end]))
            } catch {
                break
            }
            offset = end
        }
        _ = try? channel.finish()
        return completed.count
    }

    final class CompletionCounter: @unchecked Sendable {
        var count = 0
    }

    @Test("the seeds complete their exchange once")
    func seedsComplete() throws {
        for seed in Self.seeds {
            #expect(try Self.completions(of: seed, piece: seed.count) == 1)
        }
    }

    @Test("mutated responses complete their exchange exactly once, whole and byte by byte")
    func mutantsCompleteOnce() throws {
        var generator = MQTTFuzzTests.Generator(state: 0x4854_5450)
        for iteration in 0..<Self.iterations {
            let seed = Self.seeds[iteration % Self.seeds.count]
            let mutant = MQTTFuzzTests.mutate(seed, using: &generator)
            let piece = iteration % 4 == 0 ? 1 : max(mutant.count, 1)
            let count = try Self.completions(of: mutant, piece: piece)
            #expect(count == 1, "mutant \(iteration): \(mutant)")
        }
    }
}
