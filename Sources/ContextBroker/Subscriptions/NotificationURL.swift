import Foundation

/// The checks Orion makes on notification URLs and methods before it stores a subscription.
enum NotificationURL {
    /// The HTTP methods `httpCustom.method` accepts.
    static let methods: Set<String> = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"]

    /// The scheme of a well-formed `http`, `https` or `mqtt` URL with a host and an optional valid port; `nil`
    /// for anything else.
    static func scheme(_ url: String) -> String? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard ["http", "https", "mqtt"].contains(scheme), authority(url) != nil else { return nil }
        return scheme
    }

    /// The host (an IPv6 literal without its brackets) and the port, if given, of a URL's authority; `nil` when
    /// it is malformed (no host, a space in it, a port that is not a number from 1 to 65535 in at most 5 digits).
    static func authority(_ url: String) -> (host: String, port: Int?)? {
        guard let separator = url.range(of: "://") else { return nil }
        let rest = url[separator.upperBound...]
        var host = Substring(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        var port: Int?
        if host.hasPrefix("[") {
            // An IPv6 literal: `[::1]` or `[::1]:port`.
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":", let given = self.port(after.dropFirst()) else { return nil }
                port = given
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let given = self.port(host[host.index(after: colon)...]) else { return nil }
            port = given
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        return (String(host), port)
    }

    /// Whether the URL has a path other than `/`.
    static func hasPath(_ url: String) -> Bool {
        guard let separator = url.range(of: "://") else { return false }
        let rest = url[separator.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return false }
        return rest[slash...] != "/"
    }

    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text),
            (1...65535).contains(port)
        else { return nil }
        return port
    }
}
