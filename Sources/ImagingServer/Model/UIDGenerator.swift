/// Generates DICOM UIDs (PS3.5 §9) under the UUID-derived root `2.25` (PS3.5 Annex B.2).
package enum UIDGenerator {
    /// A new UID: `2.25.` followed by a random 128-bit number in decimal (at most 39 digits, within 64 characters).
    package static func generate(for level: ResourceLevel) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return "2.25." + decimal(high: high & 0x3FFF_FFFF_FFFF_FFFF, low: low)
    }

    /// The decimal text of the 128-bit number `high * 2^64 + low`.
    static func decimal(high: UInt64, low: UInt64) -> String {
        var words = [high >> 32, high & 0xFFFF_FFFF, low >> 32, low & 0xFFFF_FFFF]
        var digits: [UInt8] = []
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in words.indices {
                let value = remainder << 32 | words[index]
                words[index] = value / 10
                remainder = value % 10
            }
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
        }
        if digits.isEmpty { return "0" }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
