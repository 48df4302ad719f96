package import DICOM
package import DICOMNetwork
package import Logging
package import NIOCore

/// The imaging server's answers to DIMSE requests: C-STORE through the ingest service, C-FIND from the index,
/// C-MOVE and C-GET of the instances the index selects; each allowed or refused as Orthanc's `DicomModalities`
/// and `DicomAlwaysAllow*` say.
package struct ImagingDICOMServices: DIMSEServiceProvider {
    let context: ImagingServerContext
    let logger: Logger
    /// Where storage commitment reports run as `StorageCommitmentScp` jobs (nil: as plain tasks).
    let jobs: JobRegistry?

    package init(context: ImagingServerContext, logger: Logger, jobs: JobRegistry? = nil) {
        self.context = context
        self.logger = logger
        self.jobs = jobs
    }

    // MARK: - Permissions

    /// The operations a calling AE may request.
    enum Operation {
        case echo, store, find, get, move
    }

    /// The known modality calling, matched by AE title (and host, with `DicomCheckModalityHost`).
    func knownModality(_ title: String, address: String) -> RemoteModality? {
        context.modalities.modality(
            withTitle: title, host: context.configuration.dicomCheckModalityHost ? address : nil)
    }

    func isAllowed(_ operation: Operation, for association: EstablishedAssociation) -> Bool {
        let configuration = context.configuration
        guard let modality = knownModality(association.callingAETitle, address: association.remoteAddress) else {
            switch operation {
            case .echo: return configuration.dicomAlwaysAllowEcho
            case .store: return configuration.dicomAlwaysAllowStore
            case .find: return configuration.dicomAlwaysAllowFind
            case .get: return configuration.dicomAlwaysAllowGet
            case .move: return configuration.dicomAlwaysAllowMove
            }
        }
        switch operation {
        case .echo: return modality.allowEcho
        case .store: return modality.allowStore
        case .find: return modality.allowFind
        case .get: return modality.allowGet
        case .move: return modality.allowMove
        }
    }

    /// Whether the calling AE may make a request; the session aborts the association for one it may not make, as
    /// Orthanc does (the refusals below answer only a caller that skips this check).
    package func permits(_ request: CommandField, association: EstablishedAssociation) -> Bool {
        let operation: Operation
        switch request {
        case .cEchoRequest: operation = .echo
        case .cStoreRequest: operation = .store
        case .cFindRequest: operation = .find
        case .cGetRequest: operation = .get
        case .cMoveRequest: operation = .move
        // Storage commitment: only modalities with `AllowStorageCommitment` may ask, and report.
        case .nActionRequest, .nEventReportRequest: return committingModality(association) != nil
        default: return true
        }
        return isAllowed(operation, for: association)
    }

    /// Whether an association from this AE may be established at all: a known modality, or an unknown one when
    /// some operation is always allowed.
    func admits(callingAETitle: String, address: String) -> Bool {
        let configuration = context.configuration
        if knownModality(callingAETitle, address: address) != nil { return true }
        return configuration.dicomAlwaysAllowEcho || configuration.dicomAlwaysAllowStore
            || configuration.dicomAlwaysAllowFind || configuration.dicomAlwaysAllowFindWorklist
            || configuration.dicomAlwaysAllowGet || configuration.dicomAlwaysAllowMove
    }

    // MARK: - Services

    package func verify(_ association: EstablishedAssociation) async -> UInt16 {
        isAllowed(.echo, for: association) ? DIMSEStatus.success : DIMSEStatus.notAuthorized
    }

    package func store(
        _ dataSet: ByteBuffer, command: CommandSet, context presentation: AcceptedPresentationContext,
        association: EstablishedAssociation
    ) async -> StoreAnswer {
        guard isAllowed(.store, for: association) else {
            return StoreAnswer(status: DIMSEStatus.notAuthorized, errorComment: "C-STORE not allowed")
        }
        var file = Self.part10Header(command: command, context: presentation, association: association)
        file.writeImmutableBuffer(dataSet)
        return answer(to: await context.ingest.ingest(file, origin: Self.origin(of: association)), association)
    }

    package func beginStore(
        command: CommandSet, context presentation: AcceptedPresentationContext, association: EstablishedAssociation
    ) async -> StoreDestination {
        guard isAllowed(.store, for: association) else {
            return .refused(StoreAnswer(status: DIMSEStatus.notAuthorized, errorComment: "C-STORE not allowed"))
        }
        do {
            let sink = try await SpooledStoreSink(
                header: Self.part10Header(command: command, context: presentation, association: association),
                context: context, origin: Self.origin(of: association)
            ) { outcome in self.answer(to: outcome, association) }
            return .sink(sink)
        } catch {
            logger.error("C-STORE spool file cannot be created", metadata: ["error": "\(error)"])
            return .refused(
                StoreAnswer(status: DIMSEStatus.outOfResources, errorComment: "the instance cannot be stored"))
        }
    }

    /// The Part 10 header that turns a received data set into a file.
    static func part10Header(
        command: CommandSet, context presentation: AcceptedPresentationContext, association: EstablishedAssociation
    ) -> ByteBuffer {
        DICOMFile.part10Header(
            sopClassUID: command.affectedSOPClass ?? presentation.abstractSyntax,
            sopInstanceUID: command.affectedSOPInstance ?? "",
            transferSyntaxUID: presentation.transferSyntax,
            sourceApplicationEntityTitle: association.callingAETitle)
    }

    static func origin(of association: EstablishedAssociation) -> IngestOrigin {
        IngestOrigin.dicom(
            callingAETitle: association.callingAETitle, calledAETitle: association.calledAETitle,
            remoteIP: association.remoteAddress)
    }

    /// The C-STORE answer for an ingest outcome, with a log line for a refusal.
    func answer(to outcome: IngestOutcome, _ association: EstablishedAssociation) -> StoreAnswer {
        if case .rejected(let rejection) = outcome {
            logger.info(
                "C-STORE refused",
                metadata: ["calling": "\(association.callingAETitle)", "reason": "\(rejection.reason)"])
        }
        return outcome.storeAnswer
    }

    package func find(_ identifier: DataSet, sopClass: String, association: EstablishedAssociation) async
        -> QueryAnswer
    {
        guard isAllowed(.find, for: association) else {
            return .failure(status: DIMSEStatus.notAuthorized, comment: "C-FIND not allowed")
        }
        let query: QueryIdentifier
        switch Self.query(identifier, sopClass: sopClass) {
        case .failure(let status, let comment): return .failure(status: status, comment: comment)
        case .success(let parsed): query = parsed
        }
        do {
            let configuration = context.configuration
            let cap = query.level == .instance ? configuration.limitFindInstances : configuration.limitFindResults
            let index = context.index
            let ids = try await index.find(query.request, cap: cap)
            let summaries = try await index.resources(ids, level: query.level, computing: query.computedTags)
            // The ancestors of all matches, one index read per level above: matches share their parents.
            var ancestors: [String: ResourceSummary] = [:]
            var pending = Set(summaries.compactMap { $0.parent?.value })
            var level = query.level.parent
            while let current = level, !pending.isEmpty {
                let found = try await index.resources(pending.sorted().map(OrthancID.init), level: current)
                for summary in found { ancestors[summary.id.value] = summary }
                pending = Set(found.compactMap { $0.parent?.value })
                level = current.parent
            }
            let answers = summaries.map { summary in
                var chain: [ResourceSummary] = []
                var parent = summary.parent
                while let id = parent, let ancestor = ancestors[id.value] {
                    chain.append(ancestor)
                    parent = ancestor.parent
                }
                return query.answer(for: summary, ancestors: chain)
            }
            return .matches(answers)
        } catch {
            logger.error("C-FIND failed", metadata: ["error": "\(error)"])
            return .failure(status: DIMSEStatus.unableToProcess, comment: "the index cannot be read")
        }
    }

    package func retrieve(
        _ identifier: DataSet, sopClass: String, operation: RetrieveOperation, association: EstablishedAssociation
    ) async -> RetrieveAnswer {
        let isGet = operation == .get
        guard isAllowed(isGet ? .get : .move, for: association) else {
            return .failure(
                status: DIMSEStatus.notAuthorized, comment: isGet ? "C-GET not allowed" : "C-MOVE not allowed")
        }
        let query: QueryIdentifier
        switch Self.query(identifier, sopClass: sopClass) {
        case .failure(let status, let comment): return .failure(status: status, comment: comment)
        case .success(let parsed): query = parsed
        }
        do {
            let index = context.index
            let ids = try await index.find(query.request, cap: 0)
            var instanceIDs: [OrthancID] = []
            for id in ids {
                instanceIDs += try await index.descendants(of: id, level: query.level, at: .instance) ?? []
            }
            let instances = try await context.retrievableInstances(instanceIDs)
            return .instances(instances)
        } catch {
            logger.error("C-MOVE/C-GET look-up failed", metadata: ["error": "\(error)"])
            return .failure(status: DIMSEStatus.unableToProcess, comment: "the index cannot be read")
        }
    }

    package func moveDestination(_ applicationEntityTitle: String, association: EstablishedAssociation) async
        -> OutboundTarget?
    {
        guard let modality = context.modalities.modality(withTitle: applicationEntityTitle) else { return nil }
        if let error = context.outboundTLSError(for: modality) {
            logger.warning(
                "C-MOVE destination unusable",
                metadata: ["destination": "\(applicationEntityTitle)", "error": "\(error)"])
            return nil
        }
        return context.outboundTarget(for: modality)
    }

    // MARK: - Identifiers

    enum ParsedQuery {
        case success(QueryIdentifier)
        case failure(status: UInt16, comment: String)
    }

    static func query(_ identifier: DataSet, sopClass: String) -> ParsedQuery {
        guard let model = QueryIdentifier.Model(sopClassUID: sopClass) else {
            return .failure(status: DIMSEStatus.sopClassNotSupported, comment: "unsupported information model")
        }
        do {
            return .success(try QueryIdentifier(identifier, model: model))
        } catch .missingLevel {
            return .failure(status: DIMSEStatus.identifierDoesNotMatch, comment: "no valid QueryRetrieveLevel")
        } catch {
            return .failure(status: DIMSEStatus.identifierDoesNotMatch, comment: "level outside the information model")
        }
    }
}
