package import NIOCore

/// A request as the routes see it: method, decoded path segments, query and collected body.
package struct RESTRequest: Sendable {
    package enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
        case head = "HEAD"
        case other = "OTHER"
    }

    package let method: Method
    /// The raw path, as in the request line (used in error bodies as `Uri`).
    package let uri: String
    /// The path split on `/`, percent-decoded, without empty segments.
    package let segments: [String]
    /// The query parameters; a parameter given without a value maps to "".
    package let query: [String: String]
    package let headers: [String: String]
    package let body: ByteBuffer
    /// The address of the client, for the `RemoteIP` metadata.
    package let remoteIP: String
    /// The authenticated user, for the `HttpUsername` metadata.
    package let username: String

    package init(
        method: Method, uri: String, segments: [String], query: [String: String], headers: [String: String],
        body: ByteBuffer, remoteIP: String = "127.0.0.1", username: String = ""
    ) {
        self.method = method
        self.uri = uri
        self.segments = segments
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteIP = remoteIP
        self.username = username
    }

    /// Whether a flag-like query parameter is set (`?expand`, `?expand=true`, `?expand=1`).
    package func flag(_ name: String) -> Bool {
        guard let value = query[name] else { return false }
        return value.isEmpty || value == "true" || value == "1"
    }

    /// An integer query parameter.
    ///
    /// - Throws: `OrthancError.parameterOutOfRange` if present but not a non-negative integer.
    package func integer(_ name: String) throws -> Int? {
        guard let value = query[name] else { return nil }
        guard let number = Int(value), number >= 0 else {
            throw OrthancError(.parameterOutOfRange, "the \(name) argument must be a non-negative integer")
        }
        return number
    }

    /// The body as UTF-8 text.
    package var bodyText: String { String(buffer: body) }

    /// The body as JSON.
    ///
    /// - Throws: `OrthancError.badJSON`.
    package func jsonBody() throws -> JSONValue {
        try JSONValue(parsing: body.readableBytesView)
    }

    /// Splits and decodes a path.
    package static func segments(of path: String) -> [String] {
        var segments: [String] = []
        let bytes = path.utf8
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: "/") {
                if index != start { segments.append(percentDecoded(path[start..<index])) }
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if index != start { segments.append(percentDecoded(path[start..<index])) }
        return segments
    }

    /// Parses a query string (`a=1&b&c=%20`).
    package static func query(of text: String?) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            if let equals = pair.firstIndex(of: "=") {
                result[percentDecoded(pair[..<equals])] = percentDecoded(pair[pair.index(after: equals)...])
            } else {
                result[percentDecoded(pair)] = ""
            }
        }
        return result
    }

    static func percentDecoded(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(text) }
        let input = Array(utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count, let high = Self.hexValue(input[index + 1]),
                let low = Self.hexValue(input[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            // A `%` not followed by two hexadecimal digits stays as it is.
            bytes.append(byte == UInt8(ascii: "+") ? 0x20 : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
