package import NIOCore

/// What a route answers, before it becomes an HTTP response.
package struct RESTResponse: Sendable {
    package enum Body: Sendable {
        case bytes(ByteBuffer)
        /// A body produced piece by piece (archives), of unknown length.
        case stream(@Sendable (_ write: @Sendable (ByteBuffer) async throws -> Void) async throws -> Void)
    }

    package var status: Int
    package var contentType: String?
    package var headers: [(String, String)]
    package var body: Body

    package init(status: Int = 200, contentType: String? = nil, headers: [(String, String)] = [], body: Body) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// A JSON answer, written as Orthanc writes it.
    package static func json(_ value: JSONValue, status: Int = 200) -> RESTResponse {
        RESTResponse(
            status: status, contentType: "application/json; charset=utf-8",
            body: .bytes(ByteBuffer(bytes: value.serializedBytes())))
    }

    /// A binary or text answer.
    package static func bytes(_ buffer: ByteBuffer, contentType: String, status: Int = 200) -> RESTResponse {
        RESTResponse(status: status, contentType: contentType, body: .bytes(buffer))
    }

    /// Orthanc's answer to a `PUT` or `DELETE` that succeeded without content: an empty JSON object.
    package static var emptyObject: RESTResponse { json(.object([:])) }

    /// A 404 without a body, as Orthanc answers for an unknown resource ID.
    package static var notFound: RESTResponse { RESTResponse(status: 404, body: .bytes(ByteBuffer())) }

    /// A 405 naming the allowed methods, without a body, as Orthanc answers.
    package static func methodNotAllowed(_ allowed: [RESTRequest.Method]) -> RESTResponse {
        RESTResponse(
            status: 405, headers: [("Allow", allowed.map(\.rawValue).joined(separator: ","))],
            body: .bytes(ByteBuffer()))
    }
}
