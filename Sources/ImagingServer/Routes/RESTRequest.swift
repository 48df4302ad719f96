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
        path.split(separator: "/").map { percentDecoded($0) }
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
        guard text.contains("%") || text.contains("+") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
