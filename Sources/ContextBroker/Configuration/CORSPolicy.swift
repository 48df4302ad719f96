/// Orion's CORS mode, on with `-corsOrigin` (doc/manuals/user/cors.md).
package struct CORSPolicy: Sendable, Equatable {
    /// `-corsOrigin`: the origin allowed, or `__ALL` for any.
    package var origin: String
    /// `-corsMaxAge` [86400]: seconds a preflight may be cached.
    package var maxAge = 86400

    package init(origin: String, maxAge: Int = 86400) {
        self.origin = origin
        self.maxAge = maxAge
    }

    /// The request headers a CORS request may use (Orion's `Access-Control-Allow-Headers`, with `Authorization`
    /// since 3.8.0).
    package static let allowedHeaders =
        "Content-Type, Fiware-Service, Fiware-Servicepath, Ngsiv2-AttrsFormat, Fiware-Correlator, X-Forwarded-For, "
        + "X-Real-IP, X-Auth-Token, Authorization"
    /// The response headers a browser may read.
    package static let exposedHeaders = "Fiware-Correlator, Fiware-Total-Count, Location"

    /// The `Access-Control-Allow-Origin` value for a request from `requestOrigin`, or `nil` when the request is
    /// not a CORS request this policy allows (no other CORS header is sent then).
    package func allowedOrigin(for requestOrigin: String?) -> String? {
        guard let requestOrigin else { return nil }
        if origin == "__ALL" { return "*" }
        return requestOrigin == origin ? origin : nil
    }

    /// The CORS headers of a response to a request from `requestOrigin`; a preflight (`OPTIONS`) names the
    /// methods of its resource in `preflightMethods`.
    package func headers(requestOrigin: String?, preflightMethods: [String]? = nil) -> [(String, String)] {
        guard let allowed = allowedOrigin(for: requestOrigin) else { return [] }
        var headers = [("Access-Control-Allow-Origin", allowed)]
        if let preflightMethods {
            headers.append(("Access-Control-Allow-Headers", Self.allowedHeaders))
            headers.append(("Access-Control-Allow-Methods", preflightMethods.joined(separator: ", ")))
            headers.append(("Access-Control-Max-Age", String(maxAge)))
        }
        headers.append(("Access-Control-Expose-Headers", Self.exposedHeaders))
        return headers
    }
}
