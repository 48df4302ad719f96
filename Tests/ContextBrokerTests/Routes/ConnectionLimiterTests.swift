import NIOCore
import NIOEmbedded
import Testing

@testable import ContextBroker

@Suite struct ConnectionLimiterTests {
    @Test func closesConnectionsBeyondTheLimitAndCountsClosedOnesOut() throws {
        let limiter = ConnectionLimiter(maximum: 2)
        let channels = (0..<3).map { _ in EmbeddedChannel() }
        for channel in channels {
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try channel.pipeline.syncOperations.addHandler(limiter.handler())
        }
        #expect(channels[0].isActive && channels[1].isActive)
        #expect(!channels[2].isActive)
        #expect(limiter.openConnections == 2)
        _ = try channels[0].finish()
        #expect(limiter.openConnections == 1)
        let next = EmbeddedChannel()
        try next.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try next.pipeline.syncOperations.addHandler(limiter.handler())
        #expect(next.isActive)
        #expect(limiter.openConnections == 2)
        _ = try channels[1].finish()
        _ = try next.finish()
        #expect(limiter.openConnections == 0)
    }
}
