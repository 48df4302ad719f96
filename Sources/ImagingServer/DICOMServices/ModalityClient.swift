import DICOM
import DICOMNetwork
import NIOCore

/// Atrium as SCU toward a remote modality: C-ECHO and C-STORE, for the `/modalities` routes.
struct ModalityClient {
    let context: ImagingServerContext

    /// The error Orthanc reports when a modality cannot be reached or refuses.
    static func networkError(_ title: String, _ reason: String) -> OrthancError {
        OrthancError(.networkProtocol, "DicomAssociation - connecting to AET \"\(title)\": \(reason)")
    }

    /// How the modality is called; throws the network error when it asks for DICOM TLS and TLS is not configured.
    func target(for modality: RemoteModality) throws(OrthancError) -> OutboundTarget {
        if let error = context.outboundTLSError(for: modality) { throw error }
        return context.outboundTarget(for: modality)
    }

    /// C-ECHO; throws the network error unless the modality answers success.
    func echo(_ modality: RemoteModality) async throws {
        let target = try target(for: modality)
        let verification = ProposedPresentationContext(
            id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])
        let status: UInt16
        do {
            status = try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle, contexts: [verification],
                timeout: target.timeout, tls: target.tls
            ) { client in try await client.echo() }
        } catch {
            throw Self.networkError(modality.applicationEntityTitle, "\(error)")
        }
        guard status == DIMSEStatus.success else {
            throw Self.networkError(
                modality.applicationEntityTitle, "C-ECHO status 0x\(String(status, radix: 16, uppercase: true))")
        }
    }

    /// C-STORE of instances over one association, as Orthanc's `DicomModalityStore` job sends them.
    ///
    /// A failure status (other than success or a warning, 0xBxxx), an instance no accepted context can carry, or
    /// a failed association stop the store with Orthanc's error, unless `permissive`: then the instance is
    /// skipped (and, as in Orthanc, not counted as failed).
    ///
    /// - Parameters:
    ///   - moveOriginator: the AE title and message ID of the C-MOVE this store serves, sent in each request.
    ///   - progress: called with the number of instances handled so far; it throws to stop the store (a job
    ///     cancelled).
    /// - Throws: `OrthancError.networkProtocol` or `.noPresentationContext` with Orthanc's details, or what
    ///   `progress` throws.
    func store(
        _ instances: [RetrievableInstance], to modality: RemoteModality,
        moveOriginator: (title: String, messageID: UInt16)? = nil, permissive: Bool = false,
        progress: @Sendable (Int) async throws -> Void = { _ in }
    ) async throws {
        guard !instances.isEmpty else { return }
        let target = try target(for: modality)
        let title = modality.applicationEntityTitle
        do {
            try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle,
                contexts: StoreSubOperation.proposals(for: instances), timeout: target.timeout, tls: target.tls
            ) { client in
                for (number, instance) in instances.enumerated() {
                    do {
                        let status = try await client.store(instance, moveOriginator: moveOriginator)
                        if status != DIMSEStatus.success && status & 0xF000 != 0xB000 {
                            throw Self.storeFailure(title, status: status)
                        }
                    } catch let error where permissive && !(error is CancellationError) {
                        // Orthanc's permissive jobs log the failure and go on.
                    }
                    try await progress(number + 1)
                }
            }
        } catch let error as OrthancError {
            throw error
        } catch AssociationFailure.noPresentationContext {
            throw OrthancError(
                .noPresentationContext, "Unable to negotiate a presentation context with AET \"\(title)\"")
        } catch let error as CancellationError {
            throw error
        } catch {
            if permissive { return }
            throw Self.networkError(title, "\(error)")
        }
    }

    /// The error Orthanc reports when a modality answers a C-STORE with a failure status.
    static func storeFailure(_ title: String, status: UInt16) -> OrthancError {
        let hex = String(status, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return OrthancError(
            .networkProtocol, "C-STORE SCU to AET \"\(title)\" has failed with DIMSE status 0x\(padded)")
    }

    /// The instances of resources given by ID at any level, in order. As in Orthanc, an instance under two of the
    /// resources is sent twice.
    ///
    /// - Throws: `OrthancError.unknownResource` (without details, as Orthanc) when an ID names no resource.
    func instances(of ids: [String]) async throws -> [RetrievableInstance] {
        let index = context.index
        var instanceIDs: [OrthancID] = []
        for id in ids {
            var found = false
            for level in [ResourceLevel.patient, .study, .series, .instance] {
                guard let descendants = try await index.descendants(of: OrthancID(id), level: level, at: .instance)
                else { continue }
                found = true
                instanceIDs += descendants
                break
            }
            guard found else { throw OrthancError(.unknownResource) }
        }
        return try await context.retrievableInstances(instanceIDs)
    }
}
