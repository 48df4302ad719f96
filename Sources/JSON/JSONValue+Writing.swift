package import NIOCore

extension JSONValue {
    /// Writes this value with `writer`: members in order, numbers as their literal text.
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
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// The compact text of this value, in a new buffer.
    package func serialized(escaping: JSONWriter.Escaping = .short) -> ByteBuffer {
        var writer = JSONWriter(escaping: escaping)
        write(to: &writer)
        return writer.buffer
    }
}
