package import JSON
import NIOCore

extension JSONValue {
    /// The document as text, indented by three spaces with `" : "` between key and value, as Orthanc writes.
    package func serialized(pretty: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, depth: 0, pretty: pretty)
        if pretty { output.append(0x0A) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The document as UTF-8 bytes.
    package func serializedBytes(pretty: Bool = true) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, depth: 0, pretty: pretty)
        if pretty { output.append(0x0A) }
        return output
    }

    private func write(to output: inout [UInt8], depth: Int, pretty: Bool) {
        var writer = JSONWriter(
            buffer: ByteBufferAllocator().buffer(capacity: 256),
            layout: pretty ? .indented(indent: 3, keySeparator: " : ") : .compact)
        write(to: &writer)
        output = Array(writer.buffer.readableBytesView)
    }

    /// Writes the value with the JSON core's writer, object keys in ascending byte order as Orthanc writes them.
    package func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.number(value)
        case .double(let value): writer.number(value)
        case .string(let value): writer.string(value)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                writer.key(key)
                members[key]?.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
