import NIOCore
import Synchronization

/// The idle connections of an ``HTTPTransport`` that reuses connections, kept per peer, at most
/// ``maximumIdlePerPeer`` each.
///
/// A connection is in the pool only while no request runs on it: taking it out gives it to one request, putting
/// it back ends that request. A connection the server closes while idle stays until it is taken, then is dropped.
final class HTTPConnectionPool: Sendable {
    private struct State {
        var idle: [HTTPPeer: [any Channel]] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())
    /// The most idle connections kept for one peer; more are closed.
    let maximumIdlePerPeer: Int

    init(maximumIdlePerPeer: Int) {
        self.maximumIdlePerPeer = maximumIdlePerPeer
    }

    /// Whether ``shutDown()`` was called.
    var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// The most recently used open connection to `peer`, out of the pool; `nil` when there is none.
    func take(for peer: HTTPPeer) -> (any Channel)? {
        state.withLock { state in
            while let channel = state.idle[peer]?.popLast() {
                if channel.isActive { return channel }
            }
            return nil
        }
    }

    /// Puts `channel` back as idle; `false` when it is not kept (the pool is full or shut down), and the caller
    /// closes it.
    func putBack(_ channel: any Channel, for peer: HTTPPeer) -> Bool {
        state.withLock { state in
            guard !state.isShutDown else { return false }
            state.idle[peer, default: []].removeAll { !$0.isActive }
            guard state.idle[peer, default: []].count < maximumIdlePerPeer else { return false }
            state.idle[peer, default: []].append(channel)
            return true
        }
    }

    /// Refuses every later connection and hands back the idle ones, for the caller to close.
    func shutDown() -> [any Channel] {
        state.withLock { state in
            state.isShutDown = true
            let channels = state.idle.values.flatMap { $0 }
            state.idle = [:]
            return channels
        }
    }
}
