/// Normalizes identifier values for the lookup table, as Orthanc does (`NormalizeIdentifier`).
///
/// Characters outside printable ASCII are dropped, `%` and `_` become spaces (they are SQL wildcards), letters
/// are upper-cased and surrounding spaces trimmed. Lookups compare normalized forms.
package enum IdentifierNormalizer {
    package static func normalize(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            guard byte >= 0x20 && byte < 0x7F else { continue }
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "_"): bytes.append(0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(byte - 0x20)
            default: bytes.append(byte)
            }
        }
        while bytes.last == 0x20 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 0x20 } ?? bytes.endIndex
        return String(decoding: bytes[start...], as: UTF8.self)
    }
}
