import Foundation
import Synchronization

/// Makes subscription ids shaped as MongoDB ObjectIds, as Orion's are: 24 lowercase hexadecimal characters from a
/// 4-byte timestamp, 5 random bytes chosen once per process and a 3-byte counter, so that ids sort by creation
/// second and never repeat within a process.
package enum SubscriptionID {
    private static let state = Mutex<(random: [UInt8], counter: UInt32)>(
        ((0..<5).map { _ in UInt8.random(in: 0...255) }, UInt32.random(in: 0..<0xFF_FFFF)))

    /// A new id.
    package static func make(now: Double = Date().timeIntervalSince1970) -> String {
        let seconds = UInt32(clamping: Int64(now.rounded(.down)))
        let (random, counter) = state.withLock { state -> ([UInt8], UInt32) in
            state.counter = (state.counter &+ 1) & 0xFF_FFFF
            return (state.random, state.counter)
        }
        var bytes: [UInt8] = [
            UInt8(seconds >> 24), UInt8(seconds >> 16 & 0xFF), UInt8(seconds >> 8 & 0xFF), UInt8(seconds & 0xFF),
        ]
        bytes += random
        bytes += [UInt8(counter >> 16 & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter & 0xFF)]
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id.
    package static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 24 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
