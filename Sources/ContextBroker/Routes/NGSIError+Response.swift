import Logging
import Persistence

extension NGSIResponse {
    /// The one place where an error becomes Orion's body: `{"error":"<Code>","description":"<text>"}` with the
    /// code's HTTP status (orion-api.md, "Error Responses").
    static func error(_ error: NGSIError, headers: [(String, String)] = []) -> NGSIResponse {
        let body = JSONValue.object([
            ("error", .string(error.code.name)), ("description", .string(error.description)),
        ])
        return NGSIResponse(status: error.code.status, headers: headers, body: body.serialized)
    }
}

extension NGSIError {
    /// Orion's answer to a failure of the server rather than of the request: 500 `InternalServerError`
    /// (orion-api.md, "Error Responses"), with a description that names no internals.
    static let internalServerError = NGSIError(.internalError, "Internal Server Error")

    /// The answer to an error that is not an ``NGSIError``: a storage error (``PersistenceError``,
    /// a file the database could not open) or any other failure becomes ``internalServerError``, and its detail
    /// goes only to the log, at error level, as something an operator must look at.
    static func internalServerError(for error: any Error, logger: Logger) -> NGSIError {
        let kind: String
        switch error {
        case is PersistenceError: kind = "storage"
        default: kind = "internal"
        }
        // In the message too: Orion's log lines show the message and no metadata. Error descriptions hold no
        // stored values (STYLE, "Errors").
        logger.error(
            "Runtime Error (request failed, \(kind) error: \(error))", metadata: ["error.kind": "\(kind)"])
        return internalServerError
    }
}
