import DICOM
import DICOMNetwork

extension OrthancRouter {
    /// `POST /modalities/{id}/storage-commitment`: `{"DicomInstances": [[class, instance] | {"SOPClassUID",
    /// "SOPInstanceUID"}…], "Resources": [Orthanc IDs…], "Timeout"}`; sends the N-ACTION and answers the
    /// transaction as `{"ID", "Path"}`, with Orthanc 1.10.1's errors for malformed bodies.
    func storageCommitment(_ request: RESTRequest, to modality: RemoteModality) async throws -> RESTResponse {
        guard let body = try? request.jsonBody(), let object = body.objectValue else {
            throw OrthancError(.badFileFormat, "Must provide a JSON object with a list of resources")
        }
        guard object["DicomInstances"] != nil || object["Resources"] != nil else {
            throw OrthancError(
                .badFileFormat,
                "Empty storage commitment request, one of these fields is mandatory: \"Resources\" or \"DicomInstances\""
            )
        }
        var references: [SOPReference] = []
        if let value = object["DicomInstances"] {
            guard let items = value.arrayValue else {
                throw OrthancError(
                    .badFileFormat, "The \"DicomInstances\" field must provide an array of DICOM instances")
            }
            references = try items.map(Self.instanceReference)
        }
        if let value = object["Resources"] {
            guard let items = value.arrayValue else {
                throw OrthancError(.badFileFormat, "The \"Resources\" field must provide an array of Orthanc IDs")
            }
            let ids = try items.map { item in
                guard let id = item.stringValue else {
                    throw OrthancError(.badFileFormat, "Resources of interest for storage commitment must be strings")
                }
                return id
            }
            references += try await modalityClient.instances(of: ids).map {
                SOPReference(sopClassUID: $0.sopClassUID, sopInstanceUID: $0.sopInstanceUID)
            }
        }
        var modality = modality
        if let timeout = object["Timeout"]?.intValue, timeout > 0 { modality.timeout = Int(timeout) }
        let transaction = UIDGenerator.makeUID()
        try await modalityClient.requestStorageCommitment(
            StorageCommitmentRequest(transactionUID: transaction, references: references), from: modality)
        return .json(["ID": .string(transaction), "Path": .string("/storage-commitment/\(transaction)")])
    }

    /// One item of `DicomInstances`: `[SOPClassUID, SOPInstanceUID]` or an object with those fields.
    static func instanceReference(_ item: JSONValue) throws -> SOPReference {
        if let pair = item.arrayValue {
            guard pair.count == 2, let sopClass = pair[0].stringValue, let sopInstance = pair[1].stringValue else {
                throw OrthancError(
                    .badFileFormat,
                    "An instance entry must provide an array with 2 strings: SOP Class UID and SOP Instance UID")
            }
            return SOPReference(sopClassUID: sopClass, sopInstanceUID: sopInstance)
        }
        if let fields = item.objectValue {
            guard let sopClass = fields["SOPClassUID"]?.stringValue,
                let sopInstance = fields["SOPInstanceUID"]?.stringValue
            else {
                throw OrthancError(
                    .badFileFormat,
                    "An instance entry must provide the \"SOPClassUID\" and \"SOPInstanceUID\" string fields")
            }
            return SOPReference(sopClassUID: sopClass, sopInstanceUID: sopInstance)
        }
        throw OrthancError(
            .badFileFormat,
            "JSON array or object is expected to specify one instance to be queried, found: "
                + item.serialized(pretty: true))
    }

    /// `GET /storage-commitment/{id}` (the report) and `POST /storage-commitment/{id}/remove` (deletes the
    /// committed instances once every one was committed).
    func routeStorageCommitment(_ request: RESTRequest) async throws -> RESTResponse {
        let segments = request.segments
        let transaction = segments[1]
        switch segments.count {
        case 2:
            return try await allow([.get], request) { .json(try storageCommitmentReport(transaction).json) }
        case 3 where segments[2] == "remove":
            return try await allow([.post], request) {
                let report = try storageCommitmentReport(transaction)
                guard let result = report.result, report.status == "Success" else {
                    throw OrthancError(
                        .badSequenceOfCallsServer,
                        "Cannot remove DICOM instances after failure in storage commitment transaction: \(transaction)")
                }
                for reference in result.committed {
                    for (level, id) in try await context.index.lookup(reference.sopInstanceUID) where level == .instance
                    {
                        guard let outcome = try await context.index.delete(id, level: .instance) else { continue }
                        context.removeFiles(outcome.files)
                        context.stability.forget(id)
                    }
                }
                return .json([:])
            }
        default:
            throw OrthancError(.unknownResource)
        }
    }

    private func storageCommitmentReport(_ transaction: String) throws -> StorageCommitmentReports.Report {
        guard let report = context.storageCommitmentReports[transaction] else {
            throw OrthancError(.inexistentItem, "No storage commitment transaction with UID: \(transaction)")
        }
        return report
    }
}
