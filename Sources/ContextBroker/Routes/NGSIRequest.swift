/// A request as the broker's routes see it: the decoded path, the query parameters, the headers they read and
/// the body.
struct NGSIRequest: Sendable {
    var method: String
    /// The decoded path segments (`/v2/entities/E1` gives `["v2", "entities", "E1"]`).
    var segments: [String]
    /// The query parameters, decoded; the last occurrence wins.
    var parameters: [String: String]
    var body: [UInt8]
    /// `Content-Type` without parameters, lower-cased, or `nil`.
    var contentType: String?
    /// `Accept`, or `nil`.
    var accept: String?
    /// `Fiware-ServicePath`, or `nil`.
    var servicePath: String?
    /// The tenant (`""` for the default one).
    var tenant: String
    /// The `Fiware-Correlator` echoed in the response.
    var correlator: String
    /// `X-Auth-Token`, or `nil`: notifications the request causes carry it.
    var authToken: String? = nil

    /// What the request gives the notifications its writes cause.
    var origin: ChangeOrigin {
        ChangeOrigin(requestCorrelator: correlator, authToken: authToken, flowControl: has("flowControl"))
    }

    /// The `options` parameter's items.
    var options: [Substring] {
        guard let text = parameters["options"] else { return [] }
        return text.split(separator: ",")
    }

    /// Whether `options` names `option`.
    func has(_ option: String) -> Bool {
        guard let text = parameters["options"] else { return false }
        return text.split(separator: ",").contains { $0 == option }
    }

    /// The body as JSON.
    /// - Throws: ``NGSIError`` ParseError.
    func json() throws(NGSIError) -> JSONValue {
        let parsed = RequestTimer.measure(.jsonV2Parse) { try? JSONParser.parse(body) }
        guard let parsed else { throw NGSIError.parseError }
        return parsed
    }
}

/// A response before it is turned into HTTP: a status, the headers Orion sends between `Fiware-Correlator` and
/// `Content-Type`, and a body.
struct NGSIResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String?
    var contentType = "application/json"
    /// The methods of the resource, for the `Access-Control-Allow-Methods` of a CORS preflight.
    var allowedMethods: [String]?

    /// A JSON response; building and serialising `value` counts as rendering in `/statistics` timing.
    static func json(_ value: @autoclosure () -> JSONValue, status: Int = 200, headers: [(String, String)] = [])
        -> NGSIResponse
    {
        NGSIResponse(status: status, headers: headers, body: RequestTimer.measure(.render) { value().serialized })
    }

    static let noContent = NGSIResponse(status: 204)
}
