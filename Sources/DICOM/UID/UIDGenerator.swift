/// Makes new UIDs under the `2.25` root, from 128 random bits (PS3.5 §B.2, ISO/IEC 9834-8).
///
/// A `2.25` UID needs no registered organisation root: the decimal form of a random (version 4) UUID is
/// unique with overwhelming probability. The result has at most 44 characters, within the 64 of PS3.5 §9.1.
public enum UIDGenerator {
    /// A new UID, `2.25.` followed by the decimal value of a random version 4 UUID.
    public static func makeUID() -> String {
        var generator = SystemRandomNumberGenerator()
        return makeUID(using: &generator)
    }

    /// A new UID drawn from a given generator, for reproducible tests.
    public static func makeUID(using generator: inout some RandomNumberGenerator) -> String {
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        // RFC 9562 §5.4: version 4 in bits 48–51, variant 0b10 in bits 64–65.
        high = (high & ~0xF000) | 0x4000
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return "2.25." + decimal(high: high, low: low)
    }

    /// The decimal digits of the 128-bit number `high << 64 | low`, without leading zeros.
    static func decimal(high: UInt64, low: UInt64) -> String {
        var high = high
        var low = low
        var digits: [UInt8] = []
        repeat {
            // Long division of the two 64-bit halves by 10.
            let highQuotient = high / 10
            let highRemainder = high % 10
            let (lowQuotient, remainder) = UInt64(10).dividingFullWidth((highRemainder, low))
            high = highQuotient
            low = lowQuotient
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
        } while high != 0 || low != 0
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
