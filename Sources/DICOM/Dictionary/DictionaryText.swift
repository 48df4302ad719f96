/// Reads the tab-separated tables of the generated `*.generated.swift` files.
///
/// The tables are written by `scripts/generate-dictionary.py` and checked by the tests, so a malformed line is
/// a programmer error, not bad input: it stops the program with the line in the message.
enum DictionaryText {
    /// The lines of `text`, each split into exactly `fieldCount` fields.
    static func records(_ text: String, fieldCount: Int) -> [[String]] {
        var records: [[String]] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            precondition(fields.count == fieldCount, "dictionary line has \(fields.count) fields, not \(fieldCount)")
            records.append(fields)
        }
        return records
    }

    /// Parses `US/SS` into `[.US, .SS]`; the empty field of items and delimiters gives no VR.
    static func vrs(_ field: String) -> [VR] {
        field.split(separator: "/").map { name in
            guard let vr = VR(rawValue: String(name)) else { preconditionFailure("unknown VR in dictionary: \(field)") }
            return vr
        }
    }

    /// Parses an 8-digit pattern in which `x` stands for any hexadecimal digit.
    ///
    /// - Returns: the bits that must match, and their value; a pattern without `x` has a full mask and its value
    ///   is the tag.
    static func pattern(_ field: String) -> (mask: UInt32, value: UInt32) {
        precondition(field.utf8.count == 8, "bad tag pattern in dictionary: \(field)")
        var mask: UInt32 = 0
        var value: UInt32 = 0
        for byte in field.utf8 {
            mask <<= 4
            value <<= 4
            if byte == UInt8(ascii: "x") { continue }
            guard let nibble = hexNibble(byte) else { preconditionFailure("bad tag pattern in dictionary: \(field)") }
            mask |= 0xF
            value |= UInt32(nibble)
        }
        return (mask, value)
    }

    /// Parses an 8-digit tag.
    static func tag(_ field: String) -> DICOMTag {
        let (mask, value) = pattern(field)
        precondition(mask == 0xFFFF_FFFF, "bad tag in dictionary: \(field)")
        return DICOMTag(rawValue: value)
    }
}
