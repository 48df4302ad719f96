import Synchronization

/// What one request measured for `/statistics` with `-statSemWait` or `-statTiming` (statistics.md, "SemWait
/// block" and "Timing block"): how long it waited for the request gate, a reading connection and the writer, and
/// how long it spent parsing JSON and rendering.
///
/// A timer exists only when one of the two flags is on; it travels with the request as a task-local value, so
/// the measuring points cost one task-local lookup when the flags are off. Durations come from
/// `ContinuousClock`.
final class RequestTimer: Sendable {
    /// One measured quantity.
    enum Measure: Int, CaseIterable, Sendable {
        /// Waiting for the `-reqMutexPolicy` gate (Orion's `request` semaphore).
        case requestWait
        /// Waiting for a reading connection (Orion's `dbConnectionPool`).
        case connectionWait
        /// Waiting for the writer and its group commit (Orion's `transaction`).
        case transactionWait
        /// Parsing the JSON payload (Orion's `jsonV2Parse`).
        case jsonV2Parse
        /// Building and serialising the response body (Orion's `render`).
        case render
    }

    /// The timer of the request the current task serves, if statistics measure requests.
    @TaskLocal static var current: RequestTimer?

    private let durations = Mutex([Duration](repeating: .zero, count: Measure.allCases.count))

    init() {}

    /// Adds `duration` to `measure`.
    func add(_ measure: Measure, _ duration: Duration) {
        durations.withLock { $0[measure.rawValue] += duration }
    }

    /// The durations so far, indexed by ``Measure``'s raw value.
    var snapshot: [Duration] { durations.withLock { $0 } }

    /// The duration of `measure` in a snapshot.
    static func value(_ measure: Measure, in snapshot: [Duration]) -> Duration { snapshot[measure.rawValue] }

    /// Runs `body`, adding its duration to `measure` of the current request's timer, if any.
    static func measure<T, E: Error>(_ measure: Measure, _ body: () throws(E) -> T) throws(E) -> T {
        guard let timer = current else { return try body() }
        let start = ContinuousClock.now
        defer { timer.add(measure, ContinuousClock.now - start) }
        return try body()
    }
}
