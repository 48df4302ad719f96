import Foundation
package import JSON
import NIOCore

extension JSONValue {
    /// The compact serialisation Orion sends: no whitespace, members in order, `/` not escaped.
    package var serialized: String {
        var writer = JSONWriter(buffer: ByteBufferAllocator().buffer(capacity: 64))
        write(to: &writer)
        return String(buffer: writer.buffer)
    }

    /// Appends the compact serialisation of this value to `output`.
    package func write(to output: inout String) {
        output += serialized
    }

    /// Writes this value with the JSON core's writer, members in order.
    package func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let value): writer.raw(Self.format(number: value))
        case .string(let value): writer.string(value)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.0)
                member.1.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// Orion's number rendering: at most nine decimals, rounded, without trailing zeros (`442.123456785551` is
    /// `442.123456786`, `42.9999999999` is `43`), and a value within 1e-9 of an integer as that integer
    /// (`42.000000001` is `42`), so that no spurious decimals of the binary double show.
    package static func format(number value: Double) -> String {
        guard value.isFinite else { return JSONNumber.format(value) }
        let integral = value.rounded(.towardZero)
        if abs(value - integral) < 1e-9 { return JSONNumber.format(integral == 0 ? 0 : integral) }
        // Beyond 2^53 every double is an integer; below, nine decimals fit in a double's precision for the
        // magnitudes where the fraction still matters.
        var text = String(format: "%.9f", value)
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Appends `string` as a JSON string literal: quotes, backslashes and control characters escaped.
    package static func write(string: String, to output: inout String) {
        // Ids, types and attribute names rarely need escaping: those are copied as they are, without a buffer
        // (the transcoder of stored entities calls this twice per entity rendered).
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output += "\""
            output += string
            output += "\""
            return
        }
        var writer = JSONWriter(buffer: ByteBufferAllocator().buffer(capacity: string.utf8.count + 2))
        writer.string(string)
        output += String(buffer: writer.buffer)
    }
}
