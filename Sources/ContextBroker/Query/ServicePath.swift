/// Orion's `Fiware-ServicePath` rules (orion-api.md, "Service path"; orion-ngsiv2-facts §1.8).
package enum ServicePath {
    /// One scope of a query: an exact path, or a path and everything below it (`/a/#`).
    package struct Scope: Sendable, Equatable {
        package var path: String
        package var recursive: Bool
    }

    /// The path of a write: exactly one absolute path, `/` when the header is missing.
    /// - Throws: ``NGSIError`` with Orion's texts.
    package static func forWrite(_ header: String?) throws(NGSIError) -> String {
        guard let header, !header.trimmingWhitespace().isEmpty else { return "/" }
        let items = header.split(separator: ",", omittingEmptySubsequences: false)
        if items.count > 1 {
            throw NGSIError(.badRequest, "more than one service path in context update request")
        }
        let scope = try parse(String(items[0]).trimmingWhitespace())
        if scope.recursive {
            throw NGSIError(.badRequest, "Invalid character '#' in service path")
        }
        return scope.path
    }

    /// The scopes of a query: up to 10 comma-separated paths, `/#` when the header is missing.
    /// - Throws: ``NGSIError`` with Orion's texts.
    package static func forQuery(_ header: String?) throws(NGSIError) -> [Scope] {
        guard let header, !header.trimmingWhitespace().isEmpty else { return [Scope(path: "/", recursive: true)] }
        let items = header.split(separator: ",", omittingEmptySubsequences: false)
        if items.count > 10 {
            throw NGSIError(.badRequest, "too many service paths - a maximum of ten service paths is allowed")
        }
        var scopes: [Scope] = []
        for item in items { scopes.append(try parse(String(item).trimmingWhitespace())) }
        return scopes
    }

    private static func parse(_ text: String) throws(NGSIError) -> Scope {
        guard text.hasPrefix("/") else {
            throw NGSIError(.badRequest, "Only /absolute/ Service Paths allowed [a service path must begin with /]")
        }
        var path = text
        var recursive = false
        if path.hasSuffix("/#") {
            recursive = true
            path.removeLast(2)
        } else if path == "#" {
            recursive = true
            path = ""
        }
        if path.hasSuffix("/") { path.removeLast() }
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if components.count > 10 {
            throw NGSIError(.badRequest, "too many components in ServicePath")
        }
        for component in components {
            if component.count > 50 {
                throw NGSIError(.badRequest, "component-name too long in ServicePath")
            }
            if component.isEmpty && components.count > 0 && path != "" {
                // Orion 4's text (#4495), its spelling included.
                throw NGSIError(
                    .badRequest, "Zero length service path levels are not allowed, minimum 1 charater is required")
            }
            for byte in component.utf8 {
                let valid =
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                    || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
                if !valid { throw NGSIError(.badRequest, "a component of ServicePath contains an illegal character") }
            }
        }
        return Scope(path: path.isEmpty ? "/" : path, recursive: recursive)
    }
}
