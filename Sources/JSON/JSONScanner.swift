/// A cursor that finds the byte ranges of tokens and values in JSON text without decoding them, so a renderer
/// can copy stored JSON byte for byte.
///
/// It validates only what it needs to find the ends of values: it is meant for text Atrium wrote itself with
/// ``JSONWriter`` (such as stored NGSI attributes), not for untrusted input, which goes through ``JSONParser``.
/// Every method returns `nil` or `false` rather than reading past the end.
package struct JSONScanner {
    /// The text scanned.
    package let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    package var index = 0

    /// A scanner at the start of `bytes`.
    package init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Whether every byte has been read.
    package var isAtEnd: Bool { index == bytes.count }

    /// Reads `byte` when it is next.
    package mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string literal, quotes included.
    package mutating func string() -> Range<Int>? {
        let start = index
        guard take(UInt8(ascii: "\"")) else { return nil }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return start..<index
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return nil
    }

    /// Any value, as its range.
    package mutating func skipValue() -> Range<Int>? {
        let start = index
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return nil }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return start..<index
                    }
                default: break
                }
                index += 1
            }
            return nil
        default:
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"):
                    return index > start ? start..<index : nil
                default: index += 1
                }
            }
            return nil
        }
    }
}
