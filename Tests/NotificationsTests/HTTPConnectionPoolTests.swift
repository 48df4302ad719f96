import NIOCore
import NIOEmbedded
import Testing

@testable import Notifications

@Suite("HTTP connection pool")
struct HTTPConnectionPoolTests {
    private let peer = HTTPPeer(scheme: .http, host: "127.0.0.1", port: 1026)
    private let otherPeer = HTTPPeer(scheme: .https, host: "127.0.0.1", port: 1026)

    private func openChannel() async throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1026)).get()
        return channel
    }

    @Test("the most recently used idle connection of a peer is taken first, and only for that peer")
    func takeOrder() async throws {
        let pool = HTTPConnectionPool(maximumIdlePerPeer: 4)
        #expect(pool.take(for: peer) == nil)
        let first = try await openChannel()
        let second = try await openChannel()
        #expect(pool.putBack(first, for: peer))
        #expect(pool.putBack(second, for: peer))
        #expect(pool.take(for: otherPeer) == nil)
        #expect(pool.take(for: peer) === second)
        #expect(pool.take(for: peer) === first)
        #expect(pool.take(for: peer) == nil)
    }

    @Test("at most maximumIdlePerPeer idle connections are kept per peer")
    func bound() async throws {
        let pool = HTTPConnectionPool(maximumIdlePerPeer: 2)
        let channels = [try await openChannel(), try await openChannel(), try await openChannel()]
        #expect(pool.putBack(channels[0], for: peer))
        #expect(pool.putBack(channels[1], for: peer))
        #expect(!pool.putBack(channels[2], for: peer))
        #expect(pool.putBack(channels[2], for: otherPeer))
    }

    @Test("a connection closed while idle is dropped when taken")
    func closedWhileIdle() async throws {
        let pool = HTTPConnectionPool(maximumIdlePerPeer: 4)
        let kept = try await openChannel()
        let closed = try await openChannel()
        #expect(pool.putBack(kept, for: peer))
        #expect(pool.putBack(closed, for: peer))
        try await closed.close()
        #expect(pool.take(for: peer) === kept)
        #expect(pool.take(for: peer) == nil)
    }

    @Test("shutting down hands back every idle connection and refuses later ones")
    func shutDown() async throws {
        let pool = HTTPConnectionPool(maximumIdlePerPeer: 4)
        let first = try await openChannel()
        let second = try await openChannel()
        #expect(pool.putBack(first, for: peer))
        #expect(pool.putBack(second, for: otherPeer))
        #expect(!pool.isShutDown)
        let handedBack = pool.shutDown()
        #expect(pool.isShutDown)
        #expect(handedBack.count == 2)
        #expect(handedBack.contains { $0 === first } && handedBack.contains { $0 === second })
        #expect(!pool.putBack(first, for: peer))
        #expect(pool.take(for: peer) == nil)
    }
}
