import Synchronization

/// Makes the `Fiware-Correlator` of requests that bring none: UUID-shaped (8-4-4-4-12 lowercase hexadecimal
/// digits, as Orion's), unique within the process and across restarts, without a system call per request.
///
/// The first 64 bits are random, drawn once at start; the last 64 count requests.
final class CorrelatorGenerator: Sendable {
    static let shared = CorrelatorGenerator()

    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)

    init(prefix: UInt64 = UInt64.random(in: .min ... .max)) {
        self.prefix = prefix
    }

    /// The next correlator.
    func next() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func write(_ value: UInt64, digits: Int) {
                for index in stride(from: digits - 1, through: 0, by: -1) {
                    let nibble = UInt8(truncatingIfNeeded: value >> (4 * UInt64(index))) & 0xF
                    buffer[position] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            write(prefix >> 32, digits: 8)
            dash()
            write(prefix >> 16, digits: 4)
            dash()
            write(prefix, digits: 4)
            dash()
            write(count >> 48, digits: 4)
            dash()
            write(count, digits: 12)
            return position
        }
    }
}
