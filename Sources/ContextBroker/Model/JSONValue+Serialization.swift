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
        case .number(let value): writer.number(value)
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

    /// Orion's number rendering: integral values without a fraction (`23`, `-4`), other values with the
    /// shortest decimal form that reads back to the same double (`23.5`, `0.1`).
    package static func format(number value: Double) -> String {
        JSONNumber.format(value)
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
