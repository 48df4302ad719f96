import NIOCore

/// Where ``JSONWriter`` appends its bytes: an array or a NIO `ByteBuffer`.
protocol JSONOutput {
    /// Appends one byte.
    mutating func appendJSONByte(_ byte: UInt8)
    /// Appends bytes.
    mutating func appendJSONBytes(_ bytes: UnsafeRawBufferPointer)
}

extension Array: JSONOutput where Element == UInt8 {
    @inline(__always)
    mutating func appendJSONByte(_ byte: UInt8) { append(byte) }
    @inline(__always)
    mutating func appendJSONBytes(_ bytes: UnsafeRawBufferPointer) { append(contentsOf: bytes) }
}

extension ByteBuffer: JSONOutput {
    @inline(__always)
    mutating func appendJSONByte(_ byte: UInt8) { writeInteger(byte) }
    @inline(__always)
    mutating func appendJSONBytes(_ bytes: UnsafeRawBufferPointer) { writeBytes(bytes) }
}

/// A compact, byte-level JSON writer (RFC 8259), the engine under DICOM JSON (PS3.18 Annex F) and Orthanc's
/// JSON renderings.
///
/// The writer inserts the commas itself: callers open and close containers, write keys and values in order.
/// Strings are written as UTF-8 with quotes, backslashes and control characters escaped (control characters
/// as `\uXXXX`); every other character passes through unchanged. The writer checks nothing about structure:
/// callers are expected to pair `begin`/`end` calls and to write a key before each value of an object.
struct JSONWriter<Output: JSONOutput> {
    /// The bytes written so far.
    private(set) var output: Output
    /// True when the next key or value follows a sibling and needs a comma first.
    private var needsComma = false

    /// Creates a writer that appends to `output`.
    init(output: Output) {
        self.output = output
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { output.appendJSONByte(UInt8(ascii: ",")) }
    }

    /// Opens an object (`{`).
    mutating func beginObject() {
        separate()
        output.appendJSONByte(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes an object (`}`).
    mutating func endObject() {
        output.appendJSONByte(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array (`[`).
    mutating func beginArray() {
        separate()
        output.appendJSONByte(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes an array (`]`).
    mutating func endArray() {
        output.appendJSONByte(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key and its colon.
    mutating func key(_ key: String) {
        separate()
        writeQuoted(key)
        output.appendJSONByte(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    mutating func string(_ value: String) {
        separate()
        writeQuoted(value)
        needsComma = true
    }

    /// Writes `null`.
    mutating func null() {
        raw("null")
    }

    /// Writes `true` or `false`.
    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Writes an integer.
    mutating func number<T: BinaryInteger>(_ value: T) {
        raw(String(value))
    }

    /// Writes a floating-point number in its shortest round-trip form; NaN and infinities, which JSON cannot
    /// express, are written as `null`.
    mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            // Integral values without the ".0" Swift's description adds.
            raw(String(Int64(value)))
        } else {
            raw(value.description)
        }
    }

    /// Writes text that is already valid JSON (a number literal, `null`), unquoted.
    mutating func raw(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { output.appendJSONBytes(UnsafeRawBufferPointer($0)) }
        needsComma = true
    }

    private mutating func writeQuoted(_ value: String) {
        output.appendJSONByte(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index {
                    output.appendJSONBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
                }
                start = index + 1
                output.appendJSONByte(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    output.appendJSONByte(byte)
                default:
                    let digits: StaticString = "0123456789abcdef"
                    output.appendJSONByte(UInt8(ascii: "u"))
                    output.appendJSONByte(UInt8(ascii: "0"))
                    output.appendJSONByte(UInt8(ascii: "0"))
                    output.appendJSONByte(digits.utf8Start[Int(byte >> 4)])
                    output.appendJSONByte(digits.utf8Start[Int(byte & 0xF)])
                }
            }
            if start < bytes.count {
                output.appendJSONBytes(
                    UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])))
            }
        }
        output.appendJSONByte(UInt8(ascii: "\""))
    }
}
