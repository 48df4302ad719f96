import Testing

@testable import ContextBroker

/// Every fixed error body the broker sends, byte for byte as Orion sends it (orion-api.md, "Error Responses";
/// Orion's functional tests).
@Suite struct NGSIErrorTests {
    func body(_ error: NGSIError) -> (Int, String) {
        let response = NGSIResponse.error(error)
        return (response.status, response.body ?? "")
    }

    @Test func rendersEachFixedErrorExactly() {
        let expected: [(NGSIError, Int, String)] = [
            (
                .entityNotFound, 404,
                #"{"error":"NotFound","description":"The requested entity has not been found. Check type and id"}"#
            ),
            (
                .attributeNotFound, 404,
                #"{"error":"NotFound","description":"The entity does not have such an attribute"}"#
            ),
            (
                .ambiguousEntity, 409,
                #"{"error":"TooManyResults","description":"More than one matching entity. Please refine your query"}"#
            ),
            (.alreadyExists, 422, #"{"error":"Unprocessable","description":"Already Exists"}"#),
            (.parseError, 400, #"{"error":"ParseError","description":"Errors found in incoming JSON buffer"}"#),
            (
                .serviceNotFound, 400,
                #"{"error":"BadRequest","description":"Service not found. Check your URL as probably it is wrong."}"#
            ),
            (.methodNotAllowed, 405, #"{"error":"MethodNotAllowed","description":"method not allowed"}"#),
            (
                .contentLengthRequired, 411,
                #"{"error":"ContentLengthRequired","description":"Zero/No Content-Length in PUT/POST/PATCH request"}"#
            ),
            (.emptyPayload, 400, #"{"error":"BadRequest","description":"empty payload"}"#),
            (.invalidURIParameter, 400, #"{"error":"BadRequest","description":"invalid character in URI parameter"}"#),
            (.invalidURIPath, 400, #"{"error":"BadRequest","description":"invalid character in URI"}"#),
            (
                .missingContentType, 415,
                #"{"error":"UnsupportedMediaType","description":"Content-Type header not used, default application/octet-stream is not supported"}"#
            ),
            (.textNotAccepted, 406, #"{"error":"NotAcceptable","description":"accepted MIME types: text/plain"}"#),
            (.invalidIdPattern, 400, #"{"error":"BadRequest","description":"Invalid regex for entity idPattern"}"#),
            (
                .invalidTypePattern, 400,
                #"{"error":"BadRequest","description":"Invalid regex for entity typePattern"}"#
            ),
            (
                .payloadTooLarge(size: 1_048_577, maximum: 1_048_576), 413,
                #"{"error":"RequestEntityTooLarge","description":"payload size: 1048577, max size supported: 1048576"}"#
            ),
            (
                .unsupportedMediaType("text/xml"), 415,
                #"{"error":"UnsupportedMediaType","description":"not supported content type: text/xml"}"#
            ),
            (
                .notAcceptable("application/json"), 406,
                #"{"error":"NotAcceptable","description":"acceptable MIME types: application/json"}"#
            ),
            (
                SimpleQuery.forbiddenInFilter, 400,
                #"{"error":"BadRequest","description":"forbidden characters in String Filter"}"#
            ),
        ]
        for (error, status, text) in expected {
            let (renderedStatus, rendered) = body(error)
            #expect(renderedStatus == status, "\(error.description)")
            #expect(rendered == text)
        }
    }
}
