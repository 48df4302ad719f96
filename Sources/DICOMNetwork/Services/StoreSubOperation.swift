import DICOM
import NIOCore

/// The bytes of a stored instance ready for a C-STORE on one of the accepted contexts of its SOP class.
package enum StoreSubOperation {
    /// The context to send `instance` on and the data set to send: its stored bytes when a context accepted their
    /// transfer syntax, else the data set re-encoded in an accepted uncompressed syntax (compressed pixel data is
    /// never transcoded here). Nil when no context can carry it.
    static func prepare(_ instance: RetrievableInstance, contexts: [AcceptedPresentationContext]) async throws
        -> (contextID: UInt8, bytes: ByteBuffer)?
    {
        guard !contexts.isEmpty else { return nil }
        let file = try await instance.load()
        let stored: (transferSyntax: TransferSyntax, dataSet: ByteBuffer)
        if let located = try DICOMFile.dataSetBytes(of: file) {
            stored = located
        } else {
            let parsed = try DICOMFile(reading: file)
            guard !parsed.transferSyntax.isEncapsulated else { return nil }
            stored = (.explicitVRLittleEndian, try parsed.dataSet.encoded(in: .explicitVRLittleEndian))
        }
        if let same = contexts.first(where: { $0.transferSyntax == stored.transferSyntax.uid }) {
            return (same.id, stored.dataSet)
        }
        guard !stored.transferSyntax.isEncapsulated,
            let uncompressed = contexts.first(where: { context in
                TransferSyntax.uncompressed.contains { $0.uid == context.transferSyntax && !$0.isDeflated }
            })
        else { return nil }
        let dataSet = try DataSet(decoding: stored.dataSet, transferSyntax: stored.transferSyntax)
        return (uncompressed.id, try dataSet.encoded(in: TransferSyntax(uid: uncompressed.transferSyntax)))
    }

    /// The presentation contexts to propose for sending `instances`: for each SOP class, one context per stored
    /// transfer syntax alone (the acceptor picks one syntax per context: the stored bytes then go unchanged),
    /// and one with the uncompressed syntaxes an instance can be re-encoded in. At most 128 contexts (PS3.8 allows
    /// 128 odd IDs).
    package static func proposals(for instances: [RetrievableInstance]) -> [ProposedPresentationContext] {
        var pairs: [(sopClass: String, syntaxes: [String])] = []
        var seen: Set<[String]> = []
        let uncompressed = ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]
        for instance in instances {
            var candidates: [[String]] = []
            // The stored syntax alone first, so that the acceptor cannot pick another one and force a re-encoding.
            if let stored = instance.transferSyntaxUID { candidates.append([stored]) }
            candidates.append(uncompressed)
            for syntaxes in candidates where seen.insert([instance.sopClassUID] + syntaxes).inserted {
                pairs.append((instance.sopClassUID, syntaxes))
            }
        }
        return pairs.prefix(128).enumerated().map { index, pair in
            ProposedPresentationContext(
                id: UInt8(2 * index + 1), abstractSyntax: pair.sopClass, transferSyntaxes: pair.syntaxes)
        }
    }
}
