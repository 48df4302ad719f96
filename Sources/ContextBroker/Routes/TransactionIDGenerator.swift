import Synchronization

/// Makes the `trans=` field of Orion's log lines: the process's start time in seconds and milliseconds, then a
/// count of transactions, `1405598120-337-00000000001` (doc/manuals/admin/logs.md, "trans").
final class TransactionIDGenerator: Sendable {
    static let shared = TransactionIDGenerator(start: OrionLogLine.now())

    private let prefix: String
    private let counter = Atomic<Int>(0)

    /// - Parameter start: the start time, in milliseconds since 1970.
    init(start: Int) {
        let milliseconds = start % 1000
        prefix = "\(start / 1000)-" + (milliseconds < 10 ? "00" : milliseconds < 100 ? "0" : "") + "\(milliseconds)-"
    }

    /// The next transaction id.
    func next() -> String {
        let count = String(counter.wrappingAdd(1, ordering: .relaxed).newValue)
        return prefix + String(repeating: "0", count: max(0, 11 - count.count)) + count
    }
}
