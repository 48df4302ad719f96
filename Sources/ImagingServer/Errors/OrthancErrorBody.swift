import Persistence

/// The one place where errors become Orthanc's error bodies.
///
/// Orthanc answers a failed REST call with `{HttpError, HttpStatus, Message, Method, OrthancError, OrthancStatus,
/// Uri}` and, when it has one, `Details` (Orthanc's `HttpDescribeErrors`). Errors that are not `OrthancError`
/// are first mapped to the closest Orthanc code; anything unexpected becomes `InternalError`.
package enum OrthancErrorBody {
    /// The Orthanc error that stands for `error`.
    package static func orthancError(for error: any Error) -> OrthancError {
        switch error {
        case let error as OrthancError:
            return error
        case let error as Persistence.PersistenceError:
            switch error.code {
            case .inexistentFile: return OrthancError(.inexistentFile)
            case .corruptedFile: return OrthancError(.corruptedFile)
            case .cannotWriteFile: return OrthancError(.cannotWriteFile)
            case .serializationFailure: return OrthancError(.databaseCannotSerialize)
            case .unavailable: return OrthancError(.databaseUnavailable)
            case .uniqueViolation, .constraintViolation, .statementFailure: return OrthancError(.database)
            default: return OrthancError(.internalError, error.message)
            }
        default:
            return OrthancError(.internalError)
        }
    }

    /// The JSON error body of a failed call.
    package static func body(for error: OrthancError, method: String, uri: String) -> JSONValue {
        var members: [String: JSONValue] = [
            "HttpError": .string(reasonPhrase(error.code.httpStatus)),
            "HttpStatus": .int(Int64(error.code.httpStatus)),
            "Message": .string(error.code.name),
            "Method": .string(method),
            "OrthancError": .string(error.code.name),
            "OrthancStatus": .int(Int64(error.code.orthancStatus)),
            "Uri": .string(uri),
        ]
        if let details = error.details { members["Details"] = .string(details) }
        return .object(members)
    }

    /// The response for a failed call.
    package static func response(for error: any Error, method: String, uri: String) -> RESTResponse {
        let orthancError = orthancError(for: error)
        return .json(body(for: orthancError, method: method, uri: uri), status: orthancError.code.httpStatus)
    }

    /// The reason phrase of an HTTP status, as Orthanc writes it in `HttpError`.
    package static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 409: "Conflict"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 416: "Requested Range Not Satisfiable"
        case 422: "Unprocessable Entity"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 507: "Insufficient Storage"
        default: "Internal Server Error"
        }
    }
}
