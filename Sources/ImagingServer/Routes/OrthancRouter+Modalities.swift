import DICOMNetwork

extension OrthancRouter {
    /// `/modalities`, `/modalities/{id}`, `/modalities/{id}/configuration`, `/echo`, `/store`, `/query`, `/move`,
    /// `/get` and `/storage-commitment`.
    func routeModalities(_ request: RESTRequest) async throws -> RESTResponse {
        let segments = request.segments
        let directory = context.modalities
        switch segments.count {
        case 1:
            return try await allow([.get], request) {
                let all = directory.all
                if request.flag("expand") {
                    return .json(.object(all.mapValues(\.json)))
                }
                return .json(.array(all.keys.sorted().map { .string($0) }))
            }
        case 2:
            let name = segments[1]
            return try await allow([.get, .put, .delete], request) {
                switch request.method {
                case .put:
                    guard let body = try? request.jsonBody() else {
                        throw OrthancError(.badFileFormat, "Must provide a JSON value")
                    }
                    directory.set(try RemoteModality(json: body), named: name)
                    return .text("")
                case .delete:
                    guard directory.remove(named: name) else {
                        throw OrthancError(.inexistentItem, "Unknown DICOM modality with symbolic name: \(name)")
                    }
                    return .text("")
                default:
                    _ = try modality(named: name)
                    return .json(["configuration", "echo", "get", "move", "query", "storage-commitment", "store"])
                }
            }
        case 3:
            let name = segments[1]
            switch segments[2] {
            case "configuration":
                return try await allow([.get], request) { .json(try modality(named: name).json) }
            case "echo":
                return try await allow([.post], request) {
                    try await modalityClient.echo(try modality(named: name))
                    return .json([:])
                }
            case "store":
                return try await allow([.post], request) { try await store(request, to: try modality(named: name)) }
            case "storage-commitment":
                return try await allow([.post], request) {
                    try await storageCommitment(request, to: try modality(named: name))
                }
            case "query", "move", "get":
                return try await allow([.post], request) {
                    try await queryRetrieve(segments[2], request, modalityName: name)
                }
            default:
                break
            }
        default:
            break
        }
        throw OrthancError(.unknownResource)
    }

    /// `POST /tools/dicom-echo`: a C-ECHO to the modality described in the body.
    func dicomEcho(_ request: RESTRequest) async throws -> RESTResponse {
        guard let body = try? request.jsonBody() else {
            throw OrthancError(.badFileFormat, "Must provide a JSON value")
        }
        try await modalityClient.echo(try RemoteModality(json: body))
        return .json([:])
    }

    var modalityClient: ModalityClient { ModalityClient(context: context) }

    func modality(named name: String) throws -> RemoteModality {
        guard let modality = context.modalities[name] else {
            throw OrthancError(.inexistentItem, "No modality with symbolic name: \(name)")
        }
        return modality
    }

    /// `POST /modalities/{id}/store`: the body is an ID, a list of IDs, or `{"Resources": […], "LocalAet",
    /// "Timeout", "Synchronous"}`; the instances are sent over one association and the answer counts them.
    func store(_ request: RESTRequest, to modality: RemoteModality) async throws -> RESTResponse {
        guard let body = try? request.jsonBody() else {
            throw OrthancError(.badFileFormat, "Must provide a JSON value")
        }
        var modality = modality
        let resources: [JSONValue]
        if let id = body.stringValue {
            resources = [.string(id)]
        } else if let list = body.arrayValue {
            resources = list
        } else if let object = body.objectValue {
            guard let list = object["Resources"]?.arrayValue else {
                throw OrthancError(.badFileFormat, "Field \"Resources\" must be an array")
            }
            resources = list
            if object["Synchronous"]?.boolValue == false || object["Asynchronous"]?.boolValue == true {
                throw OrthancError(.notImplemented, "Asynchronous C-STORE jobs are not available yet")
            }
            if let local = object["LocalAet"]?.stringValue { modality.localApplicationEntityTitle = local }
            if let timeout = object["Timeout"]?.intValue, timeout > 0 { modality.timeout = Int(timeout) }
        } else {
            throw OrthancError(.badFileFormat, "Must provide a JSON value")
        }
        var ids: [String] = []
        for resource in resources {
            guard let id = resource.stringValue, OrthancID.isWellFormed(Substring(id)) else {
                throw OrthancError(
                    .badFileFormat, "This string is not a valid Orthanc identifier: \(resource.stringValue ?? "")")
            }
            ids.append(id)
        }
        let client = modalityClient
        let instances = try await client.instances(of: ids)
        let failed = try await client.store(instances, to: modality)
        var answer: [String: JSONValue] = [
            "Description": "REST API", "FailedInstancesCount": .int(Int64(failed)),
            "InstancesCount": .int(Int64(instances.count)),
            "LocalAet": .string(context.outboundTarget(for: modality).callingAETitle),
            "RemoteAet": .string(modality.applicationEntityTitle),
        ]
        if !ids.isEmpty { answer["ParentResources"] = .array(ids.map { .string($0) }) }
        return .json(.object(answer))
    }
}
