import DICOM
import DICOMNetwork
import NIOCore

/// How Atrium takes the instances a C-GET brings back: the storage SOP classes it offers to receive on the C-GET's
/// association (with the SCP role, PS3.4 §C.4.3.1) and the ingest of each one.
enum RetrievedStorage {
    /// The storage SOP classes proposed: the common ones of PS3.4 Annex B (PS3.8 leaves 127 contexts beside the
    /// C-GET one, fewer than the registry holds).
    static let sopClasses: [String] = [
        "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1",
        "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1", "1.2.840.10008.5.1.4.1.1.1.3",
        "1.2.840.10008.5.1.4.1.1.1.3.1", "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1",
        "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1",
        "1.2.840.10008.5.1.4.1.1.4.2", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.6.2",
        "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2",
        "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4", "1.2.840.10008.5.1.4.1.1.9.1.1",
        "1.2.840.10008.5.1.4.1.1.9.1.2", "1.2.840.10008.5.1.4.1.1.11.1", "1.2.840.10008.5.1.4.1.1.11.2",
        "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.1.1", "1.2.840.10008.5.1.4.1.1.12.2",
        "1.2.840.10008.5.1.4.1.1.13.1.3", "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.66",
        "1.2.840.10008.5.1.4.1.1.66.1", "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.77.1.1",
        "1.2.840.10008.5.1.4.1.1.77.1.2", "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.840.10008.5.1.4.1.1.77.1.5.1",
        "1.2.840.10008.5.1.4.1.1.77.1.5.4", "1.2.840.10008.5.1.4.1.1.77.1.6", "1.2.840.10008.5.1.4.1.1.88.11",
        "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.88.59",
        "1.2.840.10008.5.1.4.1.1.104.1", "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.130",
        "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.481.3",
        "1.2.840.10008.5.1.4.1.1.481.5", "1.2.840.10008.5.1.4.1.1.481.8",
    ]

    /// The syntaxes proposed for each storage context, uncompressed first so that any SCP can send what it has;
    /// the compressed ones let it send compressed files unchanged.
    static let transferSyntaxes = [
        "1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.5",
    ]

    /// One context per storage SOP class, with odd IDs after `lastID`.
    static func proposals(after lastID: UInt8) -> [ProposedPresentationContext] {
        sopClasses.enumerated().map { index, sopClass in
            ProposedPresentationContext(
                id: lastID + UInt8(2 * index + 2), abstractSyntax: sopClass, transferSyntaxes: transferSyntaxes)
        }
    }

    /// Where a large instance of a C-GET goes as it arrives: a spool file of the storage area, ingested when
    /// complete; or the refusal when the spool file cannot be made.
    static func beginStore(
        _ command: CommandSet, context presentation: AcceptedPresentationContext, from sourceTitle: String,
        origin: IngestOrigin, imaging: ImagingServerContext
    ) async -> StoreDestination {
        let header = DICOMFile.part10Header(
            sopClassUID: command.affectedSOPClass ?? presentation.abstractSyntax,
            sopInstanceUID: command.affectedSOPInstance ?? "", transferSyntaxUID: presentation.transferSyntax,
            sourceApplicationEntityTitle: sourceTitle)
        do {
            return .sink(
                try await SpooledStoreSink(header: header, context: imaging, origin: origin) { $0.storeAnswer })
        } catch {
            return .refused(
                StoreAnswer(status: DIMSEStatus.outOfResources, errorComment: "the instance cannot be stored"))
        }
    }

    /// Ingests one instance of a C-GET and answers the C-STORE status (``IngestOutcome/storeAnswer``).
    static func store(
        _ instance: ReceivedInstance, from sourceTitle: String, origin: IngestOrigin, ingest: IngestService
    ) async -> UInt16 {
        var file = DICOMFile.part10Header(
            sopClassUID: instance.sopClassUID, sopInstanceUID: instance.sopInstanceUID,
            transferSyntaxUID: instance.transferSyntaxUID,
            sourceApplicationEntityTitle: sourceTitle)
        file.writeImmutableBuffer(instance.dataSet)
        return await ingest.ingest(file, origin: origin).storeAnswer.status
    }
}
