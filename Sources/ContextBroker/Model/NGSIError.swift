/// An NGSIv2 error: Orion's `error` code with its HTTP status, and Orion's `description` text.
///
/// Orion answers every failure with `{"error":"<Code>","description":"<text>"}` (orion-api.md, "Error
/// Responses"). The descriptions here are Orion's, byte for byte, because clients compare them.
package struct NGSIError: Error, Equatable, Sendable {
    /// Orion's `error` string and the HTTP status that goes with it.
    package struct Code: Hashable, Sendable {
        /// The `error` member of the body.
        package let name: String
        /// The HTTP status code.
        package let status: Int

        package static let badRequest = Code(name: "BadRequest", status: 400)
        package static let parseError = Code(name: "ParseError", status: 400)
        package static let notFound = Code(name: "NotFound", status: 404)
        package static let methodNotAllowed = Code(name: "MethodNotAllowed", status: 405)
        package static let notAcceptable = Code(name: "NotAcceptable", status: 406)
        package static let tooManyResults = Code(name: "TooManyResults", status: 409)
        package static let contentLengthRequired = Code(name: "ContentLengthRequired", status: 411)
        package static let requestEntityTooLarge = Code(name: "RequestEntityTooLarge", status: 413)
        package static let unsupportedMediaType = Code(name: "UnsupportedMediaType", status: 415)
        package static let unprocessable = Code(name: "Unprocessable", status: 422)
        package static let partialUpdate = Code(name: "PartialUpdate", status: 422)
        package static let partialUpdateNotFound = Code(name: "PartialUpdate", status: 404)
        package static let internalError = Code(name: "InternalServerError", status: 500)
        package static let notImplemented = Code(name: "NotImplemented", status: 501)
    }

    /// The code and status.
    package let code: Code
    /// Orion's description.
    package let description: String

    package init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

extension NGSIError {
    package static let entityNotFound = NGSIError(
        .notFound, "The requested entity has not been found. Check type and id")
    package static let subscriptionNotFound = NGSIError(
        .notFound, "The requested subscription has not been found. Check id")
    package static let attributeNotFound = NGSIError(.notFound, "The entity does not have such an attribute")
    package static let ambiguousEntity = NGSIError(
        .tooManyResults, "More than one matching entity. Please refine your query")
    package static let alreadyExists = NGSIError(.unprocessable, "Already Exists")
    package static let parseError = NGSIError(.parseError, "Errors found in incoming JSON buffer")
    package static let serviceNotFound = NGSIError(
        .badRequest, "Service not found. Check your URL as probably it is wrong.")
    package static let methodNotAllowed = NGSIError(.methodNotAllowed, "method not allowed")
    package static let contentLengthRequired = NGSIError(
        .contentLengthRequired, "Zero/No Content-Length in PUT/POST/PATCH request")
    package static let emptyPayload = NGSIError(.badRequest, "empty payload")
    package static let invalidURIParameter = NGSIError(.badRequest, "invalid character in URI parameter")
    package static let invalidURIPath = NGSIError(.badRequest, "invalid character in URI")

    /// 413 for a payload above `-inReqPayloadMaxSize`.
    package static func payloadTooLarge(size: Int, maximum: Int) -> NGSIError {
        NGSIError(.requestEntityTooLarge, "payload size: \(size), max size supported: \(maximum)")
    }

    /// 415 for a Content-Type other than JSON (or text/plain where a raw value is accepted); `contentType` is the
    /// header's media type without its parameters.
    package static func unsupportedMediaType(_ contentType: String) -> NGSIError {
        NGSIError(.unsupportedMediaType, "not supported content type: \(contentType)")
    }

    /// 415 for a payload without a Content-Type header.
    package static let missingContentType = NGSIError(
        .unsupportedMediaType, "Content-Type header not used, default application/octet-stream is not supported")

    /// 406 on `GET …/value` when the value is text but the client does not accept `text/plain`.
    package static let textNotAccepted = NGSIError(.notAcceptable, "accepted MIME types: text/plain")

    /// 400 for an invalid `idPattern` (in the URL or in a batch query payload).
    package static let invalidIdPattern = NGSIError(.badRequest, "Invalid regex for entity idPattern")

    /// 400 for an invalid `typePattern`.
    package static let invalidTypePattern = NGSIError(.badRequest, "Invalid regex for entity typePattern")

    /// 406 when the Accept header admits none of the types the resource can produce.
    package static func notAcceptable(_ accepted: String) -> NGSIError {
        NGSIError(.notAcceptable, "acceptable MIME types: \(accepted)")
    }
}
