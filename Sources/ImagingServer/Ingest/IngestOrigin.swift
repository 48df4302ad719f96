/// Where an instance came from: what Orthanc records as its `Origin`, `RemoteAET`, `CalledAET`, `RemoteIP` and
/// `HttpUsername` metadata.
package enum IngestOrigin: Sendable, Equatable {
    /// `POST /instances`, from `remoteIP`, by `username` (empty when anonymous).
    case restAPI(remoteIP: String, username: String)
    /// A C-STORE from the modality `callingAETitle` at `remoteIP`, which called Atrium `calledAETitle`.
    case dicom(callingAETitle: String, calledAETitle: String, remoteIP: String)

    /// The instance metadata this origin sets, as Orthanc sets it.
    var metadata: [MetadataType: String] {
        switch self {
        case .restAPI(let remoteIP, let username):
            [.origin: "RestApi", .remoteAET: "", .remoteIP: remoteIP, .httpUsername: username]
        case .dicom(let calling, let called, let remoteIP):
            [.origin: "DicomProtocol", .remoteAET: calling, .calledAET: called, .remoteIP: remoteIP]
        }
    }
}
