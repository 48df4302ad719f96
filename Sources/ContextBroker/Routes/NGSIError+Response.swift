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
