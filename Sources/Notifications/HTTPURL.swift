/// An `http` or `https` URL taken apart for sending one request: the peer to connect to, the `Host` header and
/// the request target.
///
/// The grammar is RFC 3986's, restricted to what a notification URL holds: a scheme, a host (a registered name, an
/// IPv4 address, or an IPv6 address in brackets), an optional port, then an optional path and query. User
/// information is refused, and a fragment is dropped as a client does (RFC 9110 §4.2.4 sends no fragment).
struct HTTPURL: Sendable, Equatable {
    /// The peer: scheme, host (without brackets) and port.
    let peer: HTTPPeer
    /// The `Host` header (RFC 9110 §7.2): the host as written, brackets included, and `:port` when not the
    /// scheme's default.
    let hostHeader: String
    /// Whether the host is an IP literal, which takes no TLS server name (RFC 6066 §3).
    let hostIsIPAddress: Bool
    /// The path and query sent on the request line, `/` when the URL has neither.
    let requestTarget: String

    /// Takes `url` apart.
    ///
    /// - Throws: ``HTTPDeliveryError/Code/unsupportedProtocol`` for another scheme,
    ///   ``HTTPDeliveryError/Code/malformedURL`` for anything that does not parse.
    init(parsing url: String) throws(HTTPDeliveryError) {
        let bytes = Array(url.utf8)
        guard let schemeEnd = Self.schemeSeparator(in: bytes) else { throw .malformedURL() }
        let scheme: HTTPPeer.Scheme
        switch String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased() {
        case "http": scheme = .http
        case "https": scheme = .https
        default: throw .unsupportedProtocol()
        }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !Self.endsAuthority(bytes[authorityEnd]) { authorityEnd += 1 }
        let authority = bytes[authorityStart..<authorityEnd]
        guard !authority.contains(UInt8(ascii: "@")) else { throw .malformedURL() }

        let host: String
        let hostText: String
        let isIPAddress: Bool
        let portText: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw .malformedURL() }
            let literal = authority[(authority.startIndex + 1)..<close]
            guard Self.isIPv6Literal(literal) else { throw .malformedURL() }
            host = String(decoding: literal, as: UTF8.self)
            hostText = "[\(host)]"
            isIPAddress = true
            let rest = authority[(close + 1)...]
            if rest.isEmpty {
                portText = nil
            } else if rest.first == UInt8(ascii: ":") {
                portText = rest.dropFirst()
            } else {
                throw .malformedURL()
            }
        } else {
            let colon = authority.firstIndex(of: UInt8(ascii: ":"))
            let name = authority[..<(colon ?? authority.endIndex)]
            guard !name.isEmpty, name.allSatisfy(Self.isRegisteredNameByte) else { throw .malformedURL() }
            host = String(decoding: name, as: UTF8.self)
            hostText = host
            isIPAddress = Self.isIPv4Literal(name)
            portText = colon.map { authority[($0 + 1)...] }
        }

        let port: Int
        if let portText, !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy(Self.isDigit) else { throw .malformedURL() }
            let value = portText.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard (1...65535).contains(value) else { throw .malformedURL() }
            port = value
        } else {
            port = scheme.defaultPort
        }

        var targetBytes = bytes[authorityEnd...]
        if let fragment = targetBytes.firstIndex(of: UInt8(ascii: "#")) { targetBytes = targetBytes[..<fragment] }
        guard targetBytes.allSatisfy(Self.isRequestTargetByte) else { throw .malformedURL() }
        let target = String(decoding: targetBytes, as: UTF8.self)
        if target.isEmpty {
            requestTarget = "/"
        } else if target.hasPrefix("?") {
            requestTarget = "/" + target
        } else {
            requestTarget = target
        }

        peer = HTTPPeer(scheme: scheme, host: host, port: port)
        hostHeader = port == scheme.defaultPort ? hostText : "\(hostText):\(port)"
        hostIsIPAddress = isIPAddress
    }

    /// The index of `://` after a scheme made of RFC 3986 §3.1 characters.
    private static func schemeSeparator(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count, isSchemeByte(bytes[index]) { index += 1 }
        guard index > 0, bytes.count - index >= 3, bytes[index] == UInt8(ascii: ":"),
            bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/")
        else { return nil }
        return index
    }

    private static func endsAuthority(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    /// Letters, digits, `-`, `.`, `_` and `~`: a DNS name or an IPv4 address; percent-encoded names are refused.
    private static func isRegisteredNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    /// Any visible ASCII byte and any byte of a UTF-8 sequence: a request line holds no space or control byte.
    private static func isRequestTargetByte(_ byte: UInt8) -> Bool { byte > 0x20 && byte != 0x7F }

    /// Four decimal numbers of 0 to 255 separated by dots (RFC 3986 §3.2.2 `IPv4address`).
    private static func isIPv4Literal(_ name: ArraySlice<UInt8>) -> Bool {
        let parts = name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(isDigit)
                    && part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 255
            }
    }

    /// Hexadecimal digits, colons and dots (an embedded IPv4 tail), with at least two colons; the resolver checks
    /// the rest.
    private static func isIPv6Literal(_ literal: ArraySlice<UInt8>) -> Bool {
        let colons = literal.count(where: { $0 == UInt8(ascii: ":") })
        return literal.count <= 45 && colons >= 2
            && literal.allSatisfy { byte in
                isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
                    || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
            }
    }
}
