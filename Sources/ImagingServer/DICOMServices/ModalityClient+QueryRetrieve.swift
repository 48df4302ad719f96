import DICOM
import DICOMNetwork
import NIOCore

extension ModalityClient {
    /// The operations of the query/retrieve service, each with its SOP class in the two information models.
    enum QueryRetrieveOperation: String {
        case find = "C-FIND"
        case move = "C-MOVE"
        case get = "C-GET"

        /// The Patient Root SOP class for the patient level, the Study Root one for the other levels.
        func sopClass(_ level: ResourceLevel) -> String {
            let model = level == .patient ? "1" : "2"
            let suffix =
                switch self {
                case .find: "1"
                case .move: "2"
                case .get: "3"
                }
            return "1.2.840.10008.5.1.4.1.2.\(model).\(suffix)"
        }
    }

    /// The syntaxes proposed for identifiers.
    static let identifierSyntaxes = ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]

    /// C-FIND at `level`; returns the answers in the order received.
    ///
    /// - Throws: the network error when the modality cannot be reached or answers a failure.
    func find(_ identifier: DataSet, level: ResourceLevel, on modality: RemoteModality) async throws -> [DataSet] {
        let sopClass = QueryRetrieveOperation.find.sopClass(level)
        let target = try target(for: modality)
        let title = modality.applicationEntityTitle
        let (outcome, syntax): (FindOutcome, TransferSyntax?)
        do {
            (outcome, syntax) = try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle,
                contexts: [
                    ProposedPresentationContext(
                        id: 1, abstractSyntax: sopClass, transferSyntaxes: Self.identifierSyntaxes)
                ], timeout: target.timeout, tls: target.tls
            ) { client in (try await client.find(identifier, sopClass: sopClass), client.transferSyntax(for: sopClass))
            }
        } catch {
            throw Self.networkError(title, "\(error)")
        }
        guard outcome.status == DIMSEStatus.success, let syntax else {
            throw Self.failure(.find, title: title, status: outcome.status)
        }
        do {
            return try outcome.matches.map { try DataSet(decoding: $0, transferSyntax: syntax) }
        } catch {
            throw Self.networkError(title, "a C-FIND answer cannot be read")
        }
    }

    /// C-MOVE of each identifier, one after the other on one association, toward the AE titled `destination`.
    ///
    /// - Parameter progress: told the fraction of identifiers done; it may throw to stop (a cancelled job).
    /// - Throws: the network error when the modality cannot be reached or a C-MOVE does not end in success.
    func move(
        _ identifiers: [DataSet], level: ResourceLevel, to destination: String, on modality: RemoteModality,
        progress: (Double) async throws -> Void
    ) async throws {
        guard !identifiers.isEmpty else { return }
        let sopClass = QueryRetrieveOperation.move.sopClass(level)
        try await retrieve(.move, identifiers, sopClass: sopClass, on: modality, roles: [], progress: progress) {
            client, identifier in
            try await client.move(identifier, destination: destination, sopClass: sopClass)
        }
    }

    /// C-GET of each identifier on one association; every instance received goes through the ingest service
    /// with a DICOM origin, as a C-STORE would. An instance larger than `DicomStreamedStoreThresholdKB` is spooled
    /// to the storage area as it arrives, as the C-STORE SCP does, never held in memory whole.
    ///
    /// - Throws: the network error when the modality cannot be reached or a C-GET does not end in success.
    func get(
        _ identifiers: [DataSet], level: ResourceLevel, from modality: RemoteModality,
        progress: (Double) async throws -> Void
    ) async throws {
        guard !identifiers.isEmpty else { return }
        let sopClass = QueryRetrieveOperation.get.sopClass(level)
        let target = context.outboundTarget(for: modality)
        let origin = IngestOrigin.dicom(
            callingAETitle: modality.applicationEntityTitle, calledAETitle: target.callingAETitle,
            remoteIP: modality.host)
        let ingest = context.ingest
        let title = modality.applicationEntityTitle
        let roles = RetrievedStorage.sopClasses.map { RoleSelection(sopClassUID: $0, scuRole: false, scpRole: true) }
        let streaming = MessageAssembler.Streaming(
            threshold: context.configuration.dicomStreamedStoreThresholdKB * 1024,
            maximumLength: ImagingServerContext.maximumStreamedDataSetLength)
        let context = self.context
        try await retrieve(
            .get, identifiers, sopClass: sopClass, on: modality, roles: roles, streaming: streaming, progress: progress
        ) { client, identifier in
            try await client.get(identifier, sopClass: sopClass) { command, accepted in
                await RetrievedStorage.beginStore(
                    command, context: accepted, from: title, origin: origin, imaging: context)
            } store: { instance in
                await RetrievedStorage.store(instance, from: title, origin: origin, ingest: ingest)
            }
        }
    }

    /// Runs one C-MOVE or C-GET per identifier on one association and checks each final status.
    private func retrieve(
        _ operation: QueryRetrieveOperation, _ identifiers: [DataSet], sopClass: String, on modality: RemoteModality,
        roles: [RoleSelection], streaming: MessageAssembler.Streaming? = nil, progress: (Double) async throws -> Void,
        _ perform: (DIMSEClient, DataSet) async throws -> RetrieveOutcome
    ) async throws {
        let target = try target(for: modality)
        let title = modality.applicationEntityTitle
        var contexts = [
            ProposedPresentationContext(id: 1, abstractSyntax: sopClass, transferSyntaxes: Self.identifierSyntaxes)
        ]
        if operation == .get { contexts += RetrievedStorage.proposals(after: 1) }
        do {
            try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle, contexts: contexts, roleSelections: roles,
                timeout: target.timeout, maximumDataSetLength: ImagingServerContext.maximumReceivedDataSetLength,
                streaming: streaming, tls: target.tls
            ) { client in
                for (done, identifier) in identifiers.enumerated() {
                    let outcome = try await perform(client, identifier)
                    guard outcome.status == DIMSEStatus.success else {
                        throw Self.failure(operation, title: title, status: outcome.status)
                    }
                    try await progress(Double(done + 1) / Double(identifiers.count))
                }
            }
        } catch let error as OrthancError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.networkError(title, "\(error)")
        }
    }

    /// The error of a C-FIND, C-MOVE or C-GET that ended in a failure status, as Orthanc 1.10.1 words it; "unable
    /// to process" (0xC000), what Orthanc's SCP answers for an unknown resource, is a 422.
    static func failure(_ operation: QueryRetrieveOperation, title: String, status: UInt16) -> OrthancError {
        let hex = String(status, radix: 16, uppercase: true)
        let code = "0x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let details = "\(operation.rawValue) SCU to AET \"\(title)\" has failed with DIMSE status \(code)"
        if status == DIMSEStatus.cannotUnderstand {
            return OrthancError(.networkProtocolUnprocessable, details + " (unable to process - resource not found ?)")
        }
        return OrthancError(.networkProtocol, details)
    }
}
