package import NIOCore

/// A byte-level JSON writer (RFC 8259) that appends straight to a `ByteBuffer`: the engine under DICOM JSON,
/// Orthanc's renderings and NGSI payloads.
///
/// The writer inserts the commas (and, in the indented layout, the line breaks) itself: callers open and close
/// containers and write keys and values in order. It checks nothing about structure: callers pair
/// `begin`/`end` calls and write a key before each value of an object.
package struct JSONWriter {
    /// How control characters in strings are escaped; quotes and backslashes always are.
    package enum Escaping: Sendable {
        /// `\b`, `\f`, `\n`, `\r`, `\t` for those five, `\u00XX` for the others (Orion, Orthanc).
        case short
        /// `\u00XX` for every control character (DICOM JSON as Atrium has always written it).
        case unicode
    }

    /// Where whitespace goes.
    package enum Layout: Sendable {
        /// No whitespace at all (Orion, DICOM JSON).
        case compact
        /// Each member and element on its own line, indented by `indent` spaces per level, with `keySeparator`
        /// between a key and its value (Orthanc: 3 spaces and `" : "`).
        case indented(indent: Int, keySeparator: String)
    }

    /// The bytes written so far.
    package var buffer: ByteBuffer
    private let escaping: Escaping
    private let layout: Layout
    /// True when the next key or value follows a sibling and needs a comma first.
    private var needsComma = false
    /// True right after a key, where a value needs no line break.
    private var afterKey = false
    private var depth = 0

    /// A writer appending to `buffer`.
    package init(buffer: ByteBuffer = ByteBuffer(), escaping: Escaping = .short, layout: Layout = .compact) {
        self.buffer = buffer
        self.escaping = escaping
        self.layout = layout
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
        if afterKey {
            afterKey = false
        } else if case .indented(let indent, _) = layout, depth > 0 {
            newline(indent: indent)
        }
    }

    private mutating func newline(indent: Int) {
        buffer.writeInteger(UInt8(0x0A))
        buffer.writeRepeatingByte(0x20, count: depth * indent)
    }

    /// Opens an object (`{`).
    package mutating func beginObject() {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        depth += 1
        needsComma = false
    }

    /// Closes an object (`}`).
    package mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    /// Opens an array (`[`).
    package mutating func beginArray() {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        depth += 1
        needsComma = false
    }

    /// Closes an array (`]`).
    package mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if needsComma, case .indented(let indent, _) = layout { newline(indent: indent) }
        buffer.writeInteger(bracket)
        needsComma = true
    }

    /// Writes an object key and its separator.
    package mutating func key(_ key: String) {
        separate()
        writeQuoted(key)
        if case .indented(_, let separator) = layout {
            buffer.writeString(separator)
        } else {
            buffer.writeInteger(UInt8(ascii: ":"))
        }
        needsComma = false
        afterKey = true
    }

    /// Writes a string value.
    package mutating func string(_ value: String) {
        separate()
        writeQuoted(value)
        needsComma = true
    }

    /// Writes `null`.
    package mutating func null() {
        raw("null")
    }

    /// Writes `true` or `false`.
    package mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Writes an integer.
    package mutating func number(_ value: some BinaryInteger) {
        raw(String(value))
    }

    /// Writes a double as ``JSONNumber/init(_:)-(Double)`` formats it.
    package mutating func number(_ value: Double) {
        raw(JSONNumber.format(value))
    }

    /// Writes a number literal as it was read.
    package mutating func number(_ value: JSONNumber) {
        raw(value.literal)
    }

    /// Writes text that is already valid JSON (a number literal, `null`, a stored document), unquoted.
    package mutating func raw(_ text: String) {
        separate()
        buffer.writeString(text)
        needsComma = true
    }

    /// Writes bytes that are already valid JSON, unquoted.
    package mutating func raw(_ bytes: some Sequence<UInt8>) {
        separate()
        buffer.writeBytes(bytes)
        needsComma = true
    }

    private mutating func writeQuoted(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index {
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
                }
                start = index + 1
                writeEscape(byte)
            }
            if start < bytes.count {
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        let short: UInt8? =
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
            case 0x08 where escaping == .short: UInt8(ascii: "b")
            case 0x0C where escaping == .short: UInt8(ascii: "f")
            case 0x0A where escaping == .short: UInt8(ascii: "n")
            case 0x0D where escaping == .short: UInt8(ascii: "r")
            case 0x09 where escaping == .short: UInt8(ascii: "t")
            default: nil
            }
        if let short {
            buffer.writeMultipleIntegers(UInt8(ascii: "\\"), short)
            return
        }
        let digits: StaticString = "0123456789abcdef"
        buffer.writeMultipleIntegers(
            UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
            digits.utf8Start[Int(byte >> 4)], digits.utf8Start[Int(byte & 0xF)])
    }
}
