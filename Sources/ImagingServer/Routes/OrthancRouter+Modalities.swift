import DICOMNetwork

extension OrthancRouter {
    /// `/modalities`, `/modalities/{id}`, `/modalities/{id}/configuration`, `/echo`, `/store`, `/store-straight`,
    /// `/query`, `/move`, `/get` and `/storage-commitment`.
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
                    try await saveIfInDatabase(directory.set(try RemoteModality(json: body), named: name))
                    return .text("")
                case .delete:
                    guard let remaining = directory.remove(named: name) else {
                        throw OrthancError(.inexistentItem, "Unknown DICOM modality with symbolic name: \(name)")
                    }
                    try await saveIfInDatabase(remaining)
                    return .text("")
                default:
                    _ = try modality(named: name)
                    return .json([
                        "configuration", "echo", "get", "move", "query", "storage-commitment", "store",
                        "store-straight",
                    ])
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
            case "store-straight":
                return try await allow([.post], request) {
                    try await storeStraight(request, to: try modality(named: name))
                }
            default:
                break
            }
        default:
            break
        }
        throw OrthancError(.unknownResource)
    }

    /// Saves the modalities in the index after a change when `DicomModalitiesInDatabase` is true, so that they
    /// survive a restart; otherwise changes are kept in memory only, as in Orthanc.
    private func saveIfInDatabase(_ snapshot: ModalityDirectory.Snapshot) async throws {
        guard context.configuration.dicomModalitiesInDatabase else { return }
        try await context.index.saveModalities(snapshot)
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

    /// `POST /modalities/{id}/store`: the instances of the resources of the body (``ModalityStoreRequest``) sent
    /// over one association, as Orthanc's `DicomModalityStore` job: answered once sent, or submitted as a job
    /// (`{"ID", "Path"}`) when asked to be asynchronous. The answer, and the job's `Content`, count the instances.
    func store(_ request: RESTRequest, to modality: RemoteModality) async throws -> RESTResponse {
        let parsed = try ModalityStoreRequest(body: request.body)
        let job = try await ModalityStoreJob(parsed, to: modality, client: modalityClient)
        guard parsed.isAsynchronous else {
            try await job.run()
            return .json(.object(job.content))
        }
        let id = await jobs.submit(type: "DicomModalityStore", priority: parsed.priority, content: job.content) {
            handle in
            try await job.run { fraction in try await handle.report(fraction) }
            return JobOutput(path: nil, content: [:])
        }
        return .json(["ID": .string(id), "Path": .string("/jobs/" + id)])
    }

    /// `POST /modalities/{id}/store-straight`: the DICOM file of the body sent as it is in one C-STORE, without
    /// storing it; answers its `SOPClassUID` and `SOPInstanceUID`, as Orthanc does.
    func storeStraight(_ request: RESTRequest, to modality: RemoteModality) async throws -> RESTResponse {
        let bytes = request.body
        let reading: InstanceReader.Reading
        do {
            reading = try InstanceReader.read(bytes)
        } catch {
            throw error.error
        }
        let sopClass = reading.sopClassUID ?? ""
        let instance = RetrievableInstance(
            sopClassUID: sopClass, sopInstanceUID: reading.sopInstanceUID,
            transferSyntaxUID: reading.transferSyntaxUID, load: { bytes })
        try await modalityClient.store([instance], to: modality)
        return .json(["SOPClassUID": .string(sopClass), "SOPInstanceUID": .string(reading.sopInstanceUID)])
    }
}
