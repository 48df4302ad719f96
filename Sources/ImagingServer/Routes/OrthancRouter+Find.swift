extension OrthancRouter {
    /// `POST /tools/find`.
    func find(_ request: RESTRequest) async throws -> RESTResponse {
        guard let body = try? request.jsonBody(), body.objectValue != nil else {
            throw OrthancError(.badRequest, "The body must contain a JSON object")
        }
        let findRequest = try FindRequest(json: body)
        let configuration = context.configuration
        let cap = findRequest.level == .instance ? configuration.limitFindInstances : configuration.limitFindResults
        let ids = try await context.index.find(findRequest, cap: cap)
        if findRequest.expand {
            return .json(
                .array(try await render(ids, level: findRequest.level, requestedTags: findRequest.requestedTags)))
        }
        return .json(.array(ids.map { .string($0.value) }))
    }

    /// `POST /tools/lookup`: the body is an identifier (PatientID, a UID or an AccessionNumber).
    func lookup(_ request: RESTRequest) async throws -> RESTResponse {
        let value = request.bodyText
        guard !value.isEmpty else { return .json([]) }
        let found = try await context.index.lookup(value)
        return .json(.array(found.map { ResourceRenderer.reference(level: $0.0, id: $0.1) }))
    }
}
