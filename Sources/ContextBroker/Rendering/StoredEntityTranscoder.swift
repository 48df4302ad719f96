import JSON

/// Renders an entity straight from its stored attributes text, without building its values.
///
/// The stored form (``AttributeCodec``) is compact JSON written by the same serialiser as the responses, so each
/// attribute's name, type and value can be copied byte for byte into Orion's normalized or keyValues form:
/// `{"t":T,"v":V,"md":{"m":{"t":MT,"v":MV}}}` becomes `{"type":T,"value":V,"metadata":{"m":{"type":MT,"value":MV}}}`.
/// This serves the common requests, those without `attrs` or `metadata` projection. Anything the copy cannot
/// render as ``EntityRenderer`` would (a date to format, an unexpected shape) makes ``append(id:type:attributes:format:to:)``
/// return `false`, and the caller renders that entity the long way.
enum StoredEntityTranscoder {
    /// Whether entities rendered with `options` can be copied: no projection, and a representation that keeps
    /// attribute names.
    static func handles(_ options: RenderOptions) -> Bool {
        guard options.attributes == nil, options.metadata == nil else { return false }
        return options.format == .normalized || options.format == .keyValues
    }

    /// Appends `{"id":…,"type":…,<attributes>}` to `output`, or `{<attributes>}` when `id` is `nil` (the
    /// `/attrs` routes); `false` (and `output` unchanged) when the stored attributes need the long way.
    static func append(
        id: String?, type: String, attributes stored: String, format: RenderOptions.Format, to output: inout [UInt8]
    ) -> Bool {
        var stored = stored
        let mark = output.count
        let done = stored.withUTF8 { bytes -> Bool in
            var reader = Reader(bytes: bytes)
            guard let id else {
                output.append(UInt8(ascii: "{"))
                return reader.copyAttributes(format: format, separatedFirst: false, to: &output)
            }
            var identity = ""
            identity.reserveCapacity(id.utf8.count + type.utf8.count + 20)
            identity += "{\"id\":"
            JSONValue.write(string: id, to: &identity)
            identity += ",\"type\":"
            JSONValue.write(string: type, to: &identity)
            output.append(contentsOf: identity.utf8)
            return reader.copyAttributes(format: format, separatedFirst: true, to: &output)
        }
        if !done { output.removeSubrange(mark...) }
        return done
    }

    /// The JSON core's scanner over the stored text, with the stored attribute shapes on top.
    private struct Reader {
        var scanner: JSONScanner
        var bytes: UnsafeBufferPointer<UInt8> { scanner.bytes }
        var index: Int { scanner.index }

        init(bytes: UnsafeBufferPointer<UInt8>) { scanner = JSONScanner(bytes: bytes) }

        /// The attributes object, each member rendered; ends the entity's object.
        /// - Parameter separatedFirst: whether the first attribute follows other members (and so a comma).
        mutating func copyAttributes(format: RenderOptions.Format, separatedFirst: Bool, to output: inout [UInt8])
            -> Bool
        {
            guard take(UInt8(ascii: "{")) else { return false }
            if take(UInt8(ascii: "}")) { return finish(output: &output) }
            var separated = separatedFirst
            repeat {
                guard let name = string(), take(UInt8(ascii: ":")), let attribute = fields() else { return false }
                guard let type = attribute.type, let value = attribute.value, !isDateTime(type) else { return false }
                if separated { output.append(UInt8(ascii: ",")) }
                separated = true
                output.append(contentsOf: bytes[name])
                output.append(UInt8(ascii: ":"))
                if format == .keyValues {
                    output.append(contentsOf: bytes[value])
                    continue
                }
                output.append(contentsOf: #"{"type":"#.utf8)
                output.append(contentsOf: bytes[type])
                output.append(contentsOf: #","value":"#.utf8)
                output.append(contentsOf: bytes[value])
                output.append(contentsOf: #","metadata":{"#.utf8)
                if let metadata = attribute.metadata, !copyMetadata(metadata, to: &output) { return false }
                output.append(contentsOf: "}}".utf8)
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
            return finish(output: &output)
        }

        private func finish(output: inout [UInt8]) -> Bool {
            guard index == bytes.count else { return false }
            output.append(UInt8(ascii: "}"))
            return true
        }

        /// `{"m":{"t":…,"v":…},…}` as `"m":{"type":…,"value":…},…` (without the braces).
        private func copyMetadata(_ range: Range<Int>, to output: inout [UInt8]) -> Bool {
            var reader = Reader(bytes: UnsafeBufferPointer(rebasing: bytes[range]))
            guard reader.take(UInt8(ascii: "{")) else { return false }
            if reader.take(UInt8(ascii: "}")) { return reader.index == reader.bytes.count }
            var first = true
            repeat {
                guard let name = reader.string(), reader.take(UInt8(ascii: ":")), let item = reader.fields(),
                    let type = item.type, let value = item.value, !reader.isDateTime(type)
                else { return false }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                output.append(contentsOf: reader.bytes[name])
                output.append(contentsOf: #":{"type":"#.utf8)
                output.append(contentsOf: reader.bytes[type])
                output.append(contentsOf: #","value":"#.utf8)
                output.append(contentsOf: reader.bytes[value])
                output.append(UInt8(ascii: "}"))
            } while reader.take(UInt8(ascii: ","))
            return reader.take(UInt8(ascii: "}")) && reader.index == reader.bytes.count
        }

        /// The ranges of the `t`, `v` and `md` members of a stored attribute or metadata object.
        mutating func fields() -> (type: Range<Int>?, value: Range<Int>?, metadata: Range<Int>?)? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var result: (type: Range<Int>?, value: Range<Int>?, metadata: Range<Int>?) = (nil, nil, nil)
            if take(UInt8(ascii: "}")) { return result }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), let value = skipValue() else { return nil }
                switch key.count {
                case 3 where bytes[key.lowerBound + 1] == UInt8(ascii: "t"): result.type = value
                case 3 where bytes[key.lowerBound + 1] == UInt8(ascii: "v"): result.value = value
                case 4 where bytes[key.lowerBound + 1] == UInt8(ascii: "m"): result.metadata = value
                default: break
                }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}")) ? result : nil
        }

        /// Whether a raw type string is one ``EntityRenderer`` renders as a date.
        func isDateTime(_ type: Range<Int>) -> Bool {
            let text = bytes[type]
            return text.elementsEqual(#""DateTime""#.utf8) || text.elementsEqual(#""ISO8601""#.utf8)
        }

        mutating func take(_ byte: UInt8) -> Bool { scanner.take(byte) }

        /// A string literal, quotes included.
        mutating func string() -> Range<Int>? { scanner.string() }

        /// Any value, as its range.
        mutating func skipValue() -> Range<Int>? { scanner.skipValue() }
    }
}
