import DICOM
import NIOCore

extension OrthancRouter {
    /// `/queries`, `/queries/{id}` and what is under it: the answers of a remote C-FIND, their content, child
    /// queries, and their retrieval by C-MOVE (Orthanc Book, "Performing Query/Retrieve with REST").
    func routeQueries(_ request: RESTRequest) async throws -> RESTResponse {
        let segments = request.segments
        guard segments.count > 1 else {
            return try await allow([.get], request) { .json(.array(queries.ids.map { .string($0) })) }
        }
        let id = segments[1]
        if segments.count == 2 {
            return try await allow([.get, .delete], request) {
                if request.method == .delete {
                    queries.remove(id)
                    return .bytes(ByteBuffer(), contentType: "text/plain")
                }
                _ = try query(id)
                return .json(["answers", "level", "modality", "query", "retrieve"])
            }
        }
        switch (segments[2], segments.count) {
        case ("answers", 3):
            return try await allow([.get], request) {
                let query = try query(id)
                if request.flag("expand") {
                    return .json(.array(try query.answers.map { try rendered($0, request) }))
                }
                return .json(.array(query.answers.indices.map { .string(String($0)) }))
            }
        case ("answers", 4), ("answers", 5):
            return try await routeAnswer(request, query: id, index: segments[3])
        case ("level", 3):
            return try await allow([.get], request) { .text(try query(id).level.name) }
        case ("modality", 3):
            return try await allow([.get], request) { .text(try query(id).modality) }
        case ("query", 3):
            return try await allow([.get], request) { .json(try rendered(try query(id).query, request)) }
        case ("retrieve", 3):
            return try await allow([.post], request) {
                let query = try query(id)
                return try await retrieve(query.answers, of: query, request)
            }
        default:
            throw OrthancError(.unknownResource)
        }
    }

    /// `/queries/{id}/answers/{n}`, its `content`, `retrieve` and child queries.
    private func routeAnswer(_ request: RESTRequest, query id: String, index: String) async throws -> RESTResponse {
        let query = try query(id)
        let children = query.childQueries
        let child = request.segments.count == 5 ? request.segments[4] : nil
        guard
            child == nil || ["content", "retrieve"].contains(child) || children.contains(where: { $0.route == child })
        else { throw OrthancError(.unknownResource) }
        let methods: [RESTRequest.Method] = child == nil || child == "content" ? [.get] : [.post]
        return try await allow(methods, request) {
            guard let number = Int(index), number >= 0 else {
                throw OrthancError(.badParameterType, "Syntax error in some user-supplied data")
            }
            guard number < query.answers.count else { throw OrthancError(.parameterOutOfRange) }
            let answer = query.answers[number]
            switch child {
            case nil:
                return .json(
                    .array(
                        (["content", "retrieve"] + children.map { RemoteQuery.listedName(of: $0.route) }).map {
                            .string($0)
                        }))
            case "content":
                return .json(try rendered(answer, request))
            case "retrieve":
                return try await retrieve([answer], of: query, request)
            default:
                guard let level = children.first(where: { $0.route == child })?.level else {
                    throw OrthancError(.unknownResource)
                }
                guard let body = (try? request.jsonBody())?.objectValue else {
                    throw OrthancError(.badFileFormat, "Must provide a JSON object")
                }
                var parentKeys = DataSet(characterSet: answer.characterSet)
                for tag in QueryRetrieveIdentifiers.parentKeys(query.level) {
                    if let element = answer[tag] { parentKeys.set(element) }
                }
                return try await self.query(
                    body, modalityName: query.modality, modality: try modality(named: query.modality),
                    parentKeys: parentKeys, level: level)
            }
        }
    }

    /// C-MOVE of answers of a query; the body is the target AE title (JSON string or plain text) or an object of
    /// ``RetrieveOptions``.
    private func retrieve(_ answers: [DataSet], of query: RemoteQuery, _ request: RESTRequest) async throws
        -> RESTResponse
    {
        var options = RetrieveOptions()
        if let body = try? request.jsonBody() {
            if let object = body.objectValue {
                options = try RetrieveOptions(object)
            } else if let text = body.stringValue {
                options.targetAET = text
            } else {
                throw OrthancError(.badFileFormat, "Must provide a JSON object or a string")
            }
        } else {
            let raw = String(buffer: request.body)
            let text = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            if !text.isEmpty { options.targetAET = text }
        }
        let identifiers = answers.compactMap {
            QueryRetrieveIdentifiers.retrieve($0, level: query.level, requireAll: false)
        }
        return try await submitRetrieve(
            identifiers, shown: answers.map(QueryRetrieveIdentifiers.summary(of:)), level: query.level, isGet: false,
            options: options, modality: try modality(named: query.modality))
    }

    private func query(_ id: String) throws -> RemoteQuery {
        guard let query = queries[id] else { throw OrthancError(.unknownResource) }
        return query
    }

    /// A data set in the rendering `?simplify` or `?short` asks for, Orthanc's full one by default.
    private func rendered(_ dataSet: DataSet, _ request: RESTRequest) throws -> JSONValue {
        let format: OrthancJSONFormat =
            request.flag("simplify") ? .simplified : request.flag("short") ? .short : .full
        return try JSONValue(parsing: dataSet.orthancJSON(format: format))
    }
}
