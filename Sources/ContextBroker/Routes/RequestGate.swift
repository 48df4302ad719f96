import Synchronization

/// `-reqMutexPolicy`: serialises all requests, only reads, only writes, or none (cli.md).
///
/// Atrium's storage is transactional, so `none` is safe; the other policies exist for drop-in compatibility.
final class RequestGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let policy: BrokerConfiguration.MutexPolicy
    private let state = Mutex(State())

    init(policy: BrokerConfiguration.MutexPolicy) { self.policy = policy }

    /// Runs `body` alone if the policy serialises requests of this kind.
    func run<T>(isWrite: Bool, _ body: () async throws -> T) async throws -> T {
        let serialise: Bool
        switch policy {
        case .all: serialise = true
        case .none: serialise = false
        case .read: serialise = !isWrite
        case .write: serialise = isWrite
        }
        guard serialise else { return try await body() }
        if let timer = RequestTimer.current {
            let start = ContinuousClock.now
            await acquire()
            timer.add(.requestWait, ContinuousClock.now - start)
        } else {
            await acquire()
        }
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
