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
        guard ["http", "https", "mqtt"].contains(scheme) else { return nil }
        let rest = url[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var host = Substring(authority)
        if host.hasPrefix("[") {
            // An IPv6 literal: `[::1]` or `[::1]:port`.
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            host = host[host.startIndex...close]
            if !after.isEmpty {
                guard after.first == ":", isPort(after.dropFirst()) else { return nil }
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard isPort(host[host.index(after: colon)...]) else { return nil }
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        return scheme
    }

    /// Whether the URL has a path other than `/`.
    static func hasPath(_ url: String) -> Bool {
        guard let separator = url.range(of: "://") else { return false }
        let rest = url[separator.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return false }
        return rest[slash...] != "/"
    }

    private static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text)
        else { return false }
        return port <= 65535
    }
}
