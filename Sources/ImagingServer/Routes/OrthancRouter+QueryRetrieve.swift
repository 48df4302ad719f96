import DICOM
import DICOMNetwork

extension OrthancRouter {
    /// `POST /modalities/{id}/query`, `/move` and `/get`.
    func queryRetrieve(_ operation: String, _ request: RESTRequest, modalityName: String) async throws
        -> RESTResponse
    {
        let modality = try modality(named: modalityName)
        switch operation {
        case "query":
            guard let body = (try? request.jsonBody())?.objectValue else {
                throw OrthancError(.badFileFormat, "Must provide a JSON object")
            }
            return try await query(body, modalityName: modalityName, modality: modality)
        default:
            return try await retrieveResources(request, isGet: operation == "get", modality: modality)
        }
    }

    /// Sends the C-FIND of a query body (`Level`, `Query`, `Normalize`, `Timeout`, `LocalAet`) and keeps its
    /// answers; answers `{"ID", "Path"}`.
    func query(
        _ body: [String: JSONValue], modalityName: String, modality: RemoteModality, parentKeys: DataSet? = nil,
        level fixedLevel: ResourceLevel? = nil
    ) async throws -> RESTResponse {
        let level: ResourceLevel
        if let fixedLevel {
            level = fixedLevel
        } else {
            guard let name = body["Level"]?.stringValue else {
                throw OrthancError(.badFileFormat, "The JSON body must contain field Level")
            }
            guard let parsed = ResourceLevel(name: name) else { throw OrthancError(.parameterOutOfRange) }
            level = parsed
        }
        var keys = DataSet()
        if let value = body["Query"] {
            guard let object = value.objectValue else {
                throw OrthancError(
                    .badFileFormat, "Associative array of DICOM tags to strings expected in field: Query")
            }
            keys = try QueryRetrieveIdentifiers.keys(object, field: "Query")
        }
        if let parentKeys {
            for element in parentKeys { keys.set(element) }
        }
        var normalize = true
        if let value = body["Normalize"] {
            guard let flag = value.boolValue else {
                throw OrthancError(.badFileFormat, "The field Normalize must contain a Boolean")
            }
            normalize = flag
        }
        let options = try RetrieveOptions(body, isQuery: true)
        let identifier = QueryRetrieveIdentifiers.find(keys, level: level, normalize: normalize)
        let answers = try await modalityClient.find(identifier, level: level, on: options.applied(to: modality))
        let id = queries.add(RemoteQuery(modality: modalityName, level: level, query: keys, answers: answers))
        return .json(["ID": .string(id), "Path": .string("/queries/\(id)")])
    }

    /// `POST /modalities/{id}/move` and `/get`: the body's `Level` and `Resources` (objects of unique keys),
    /// retrieved with one C-MOVE (toward `TargetAet`, Atrium by default) or C-GET each.
    private func retrieveResources(_ request: RESTRequest, isGet: Bool, modality: RemoteModality) async throws
        -> RESTResponse
    {
        guard let body = (try? request.jsonBody())?.objectValue, let levelName = body["Level"]?.stringValue,
            let resources = body["Resources"]?.arrayValue
        else { throw OrthancError(.badFileFormat, "Must provide a JSON body containing fields Resources and Level") }
        guard let level = ResourceLevel(name: levelName) else { throw OrthancError(.parameterOutOfRange) }
        let options = try RetrieveOptions(body)
        var identifiers: [DataSet] = []
        var shown: [DataSet] = []
        for resource in resources {
            guard let object = resource.objectValue else { throw OrthancError(.badFileFormat) }
            // Orthanc 1.10.1 gives no details for a resource that is no object of strings.
            guard var keys = try? QueryRetrieveIdentifiers.keys(object, field: "Resources") else {
                throw OrthancError(.badFileFormat)
            }
            guard let identifier = QueryRetrieveIdentifiers.retrieve(keys, level: level, requireAll: true) else {
                throw OrthancError(.badRequest)
            }
            identifiers.append(identifier)
            keys.set(
                DataElement(
                    tag: QueryRetrieveIdentifiers.queryRetrieveLevel, vr: .CS,
                    strings: [QueryIdentifier.levelName(level)]))
            shown.append(keys)
        }
        return try await submitRetrieve(
            identifiers, shown: shown, level: level, isGet: isGet, options: options, modality: modality,
            unprocessableAs422: true)
    }

    /// Runs a retrieve as a `DicomMoveScu` or `DicomGetScu` job: waits for it and answers its `Content` when
    /// synchronous (the default), else answers `{"ID", "Path"}` at once.
    ///
    /// - Parameter unprocessableAs422: whether a retrieve the modality could not process (0xC000) answers 422, as
    ///   `/modalities/{id}/move` does in Orthanc 1.10.1; `/queries/{id}/retrieve` answers 500 for it.
    func submitRetrieve(
        _ identifiers: [DataSet], shown: [DataSet], level: ResourceLevel, isGet: Bool, options: RetrieveOptions,
        modality: RemoteModality, unprocessableAs422: Bool = false
    ) async throws -> RESTResponse {
        let modality = options.applied(to: modality)
        let client = modalityClient
        var content: [String: JSONValue] = [
            "Description": "REST API",
            "LocalAet": .string(context.outboundTarget(for: modality).callingAETitle),
            "RemoteAet": .string(modality.applicationEntityTitle),
            "Query": .array(
                try shown.map { try JSONValue(parsing: $0.orthancJSON(format: options.queryFormat)) }),
        ]
        let work: JobRegistry.Work
        if isGet {
            work = { handle in
                try await client.get(identifiers, level: level, from: modality) { try await handle.report($0) }
                return JobOutput(path: nil, content: [:])
            }
        } else {
            let target = options.targetAET.flatMap { $0.isEmpty ? nil : $0 } ?? context.configuration.dicomAET
            content["TargetAet"] = .string(target)
            work = { handle in
                try await client.move(identifiers, level: level, to: target, on: modality) {
                    try await handle.report($0)
                }
                return JobOutput(path: nil, content: [:])
            }
        }
        let type = isGet ? "DicomGetScu" : "DicomMoveScu"
        if options.synchronous {
            do {
                let job = try await jobs.submitAndWait(
                    type: type, priority: options.priority, content: content, work: work)
                return .json(.object(job.content))
            } catch let error as OrthancError where error.code == .networkProtocolUnprocessable && !unprocessableAs422 {
                throw OrthancError(.networkProtocol, error.details)
            }
        }
        let id = await jobs.submit(type: type, priority: options.priority, content: content, work: work)
        return .json(["ID": .string(id), "Path": .string("/jobs/\(id)")])
    }
}
