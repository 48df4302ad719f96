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

    /// C-STORE of instances over one association; returns how many failed.
    func store(_ instances: [RetrievableInstance], to modality: RemoteModality) async throws -> Int {
        guard !instances.isEmpty else { return 0 }
        let target = try target(for: modality)
        do {
            return try await DICOMConnector.withAssociation(
                to: target.remote, callingAETitle: target.callingAETitle,
                contexts: StoreSubOperation.proposals(for: instances), timeout: target.timeout, tls: target.tls
            ) { client in
                var failed = 0
                for instance in instances {
                    do {
                        let status = try await client.store(instance)
                        if status != DIMSEStatus.success && status & 0xF000 != 0xB000 { failed += 1 }
                    } catch AssociationFailure.noPresentationContext {
                        failed += 1
                    }
                }
                return failed
            }
        } catch let error as OrthancError {
            throw error
        } catch {
            throw Self.networkError(modality.applicationEntityTitle, "\(error)")
        }
    }

    /// The instances of resources given by ID at any level, in order, each once.
    func instances(of ids: [String]) async throws -> [RetrievableInstance] {
        let index = context.index
        var instanceIDs: [OrthancID] = []
        var seen: Set<String> = []
        for id in ids {
            var found = false
            for level in [ResourceLevel.patient, .study, .series, .instance] {
                guard let descendants = try await index.descendants(of: OrthancID(id), level: level, at: .instance)
                else { continue }
                found = true
                for descendant in descendants where seen.insert(descendant.value).inserted {
                    instanceIDs.append(descendant)
                }
                break
            }
            guard found else { throw OrthancError(.unknownResource, "Unknown resource: \(id)") }
        }
        return try await context.retrievableInstances(instanceIDs)
    }
}
