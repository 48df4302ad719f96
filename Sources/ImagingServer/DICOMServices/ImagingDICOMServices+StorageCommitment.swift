package import DICOMNetwork
import Logging

// Storage commitment as Orthanc does it (PS3.4 Annex J, Push Model): the N-ACTION is answered at once, the
// instances are checked against the index, and the result goes to the calling modality in an N-EVENT-REPORT on
// a new association. Only modalities of `DicomModalities` with `AllowStorageCommitment` may ask, and report.
extension ImagingDICOMServices {
    package func commitStorage(_ request: StorageCommitmentRequest, association: EstablishedAssociation) async
        -> UInt16
    {
        guard let modality = committingModality(association) else {
            logger.info(
                "storage commitment refused", metadata: ["calling": "\(association.callingAETitle)"])
            return DIMSEStatus.notAuthorized
        }
        if let error = context.outboundTLSError(for: modality) {
            logger.warning("storage commitment refused", metadata: ["error": "\(error)"])
            return DIMSEStatus.processingFailure
        }
        let target = context.outboundTarget(for: modality)
        let services = self
        // The report may take as long as the modality does to accept it: it runs as a job, as in Orthanc.
        guard let jobs else {
            Task { try? await services.report(request, to: target) }
            return DIMSEStatus.success
        }
        let content: [String: JSONValue] = [
            "CalledAet": .string(association.calledAETitle), "Description": "",
            "RemoteAet": .string(modality.applicationEntityTitle), "TransactionUid": .string(request.transactionUID),
        ]
        _ = await jobs.submit(type: "StorageCommitmentScp", priority: 0, content: content) { handle in
            try await services.report(request, to: target, progress: handle)
            return JobOutput(path: nil, content: [:])
        }
        return DIMSEStatus.success
    }

    package func storageCommitmentReported(
        _ result: StorageCommitmentResult, association: EstablishedAssociation
    ) async -> UInt16 {
        guard committingModality(association) != nil else { return DIMSEStatus.notAuthorized }
        if !context.storageCommitmentReports.complete(result) {
            logger.info(
                "storage commitment result of an unknown transaction",
                metadata: ["transaction": "\(result.transactionUID)"])
        }
        return DIMSEStatus.success
    }

    /// The known modality calling, when it may ask for storage commitment and report results.
    func committingModality(_ association: EstablishedAssociation) -> RemoteModality? {
        guard let modality = knownModality(association.callingAETitle, address: association.remoteAddress),
            modality.allowStorageCommitment
        else { return nil }
        return modality
    }

    /// Checks the instances and sends the N-EVENT-REPORT, proposing the SCP role as PS3.4 §J.3.3 asks.
    ///
    /// - Throws: Orthanc's network error when the modality cannot be reached or refuses the report.
    func report(_ request: StorageCommitmentRequest, to target: OutboundTarget, progress: JobHandle? = nil)
        async throws
    {
        let result = await context.storageCommitmentResult(of: request)
        try await progress?.report(0.5)
        let title = target.remote.title
        let status: UInt16
        do {
            status = try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle,
                contexts: [StorageCommitment.proposal(id: 1)],
                roleSelections: [
                    RoleSelection(sopClassUID: StorageCommitment.sopClassUID, scuRole: false, scpRole: true)
                ],
                timeout: target.timeout, tls: target.tls
            ) { client in try await client.reportStorageCommitment(result) }
        } catch {
            logger.warning(
                "storage commitment report failed",
                metadata: ["transaction": "\(request.transactionUID)", "remote": "\(title)", "error": "\(error)"])
            throw ModalityClient.networkError(title, "\(error)")
        }
        logger.info(
            "storage commitment reported",
            metadata: ["transaction": "\(request.transactionUID)", "remote": "\(title)", "status": "\(status)"])
        guard status == DIMSEStatus.success else {
            throw ModalityClient.networkError(
                title, "N-EVENT-REPORT status 0x\(String(status, radix: 16, uppercase: true))")
        }
    }
}

extension StorageCommitment {
    /// A presentation context for storage commitment, in the uncompressed little endian syntaxes.
    static func proposal(id: UInt8) -> ProposedPresentationContext {
        ProposedPresentationContext(
            id: id, abstractSyntax: sopClassUID, transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])
    }
}

extension ImagingServerContext {
    /// Which instances of a request the index holds: committed when stored with that SOP class, else failed with
    /// 0x0112 (no such instance), 0x0119 (stored with another SOP class) or 0x0110 (the index cannot be read).
    func storageCommitmentResult(of request: StorageCommitmentRequest) async -> StorageCommitmentResult {
        var committed: [SOPReference] = []
        var failures: [StorageCommitmentResult.Failure] = []
        for reference in request.references {
            do {
                let ids = try await index.lookup(reference.sopInstanceUID).filter { $0.0 == .instance }.map(\.1)
                let classes = try await index.resources(ids, level: .instance).map { $0.metadata[.sopClassUID] }
                if classes.isEmpty {
                    failures.append(
                        .init(reference: reference, reason: StorageCommitment.FailureReason.noSuchObjectInstance))
                } else if classes.contains(reference.sopClassUID) {
                    committed.append(reference)
                } else {
                    failures.append(
                        .init(reference: reference, reason: StorageCommitment.FailureReason.classInstanceConflict))
                }
            } catch {
                failures.append(.init(reference: reference, reason: StorageCommitment.FailureReason.processingFailure))
            }
        }
        return StorageCommitmentResult(transactionUID: request.transactionUID, committed: committed, failures: failures)
    }
}
