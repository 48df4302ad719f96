package import DICOM
package import NIOCore
package import NIOSSL

/// What the DICOM server does with each request: the imaging server implements it, the DIMSE layer carries the
/// messages.
package protocol DIMSEServiceProvider: Sendable {
    /// Whether the calling AE may make a C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET, N-ACTION or N-EVENT-REPORT request
    /// (`request` is its command field). A request it may not make is not answered: the session aborts the association (A-ABORT, source 0,
    /// reason 0), as Orthanc does, before the provider sees the request.
    func permits(_ request: CommandField, association: EstablishedAssociation) -> Bool

    /// C-ECHO: the status to answer (success, or refused for a calling AE not allowed to echo).
    func verify(_ association: EstablishedAssociation) async -> UInt16

    /// C-STORE: stores a data set received on `context`; the response is sent once this returns, so an instance is
    /// acknowledged only when durable.
    func store(
        _ dataSet: ByteBuffer, command: CommandSet, context: AcceptedPresentationContext,
        association: EstablishedAssociation
    ) async -> StoreAnswer

    /// C-STORE of a data set that grew beyond the streaming threshold: where its bytes go as they arrive, or the
    /// answer when the request is refused at once (its bytes are then discarded).
    func beginStore(
        command: CommandSet, context: AcceptedPresentationContext, association: EstablishedAssociation
    ) async -> StoreDestination

    /// C-FIND: the matches of an identifier, each an identifier to send back, or a failure status.
    func find(_ identifier: DataSet, sopClass: String, association: EstablishedAssociation) async -> QueryAnswer

    /// C-MOVE and C-GET: the instances an identifier selects, or a failure status.
    func retrieve(
        _ identifier: DataSet, sopClass: String, operation: RetrieveOperation, association: EstablishedAssociation
    ) async -> RetrieveAnswer

    /// C-MOVE: where a destination AE title is, or nil when it is unknown (status 0xC000 with zero sub-operation
    /// counts, as Orthanc answers).
    func moveDestination(_ applicationEntityTitle: String, association: EstablishedAssociation) async
        -> OutboundTarget?

    /// N-ACTION of storage commitment: the status of the N-ACTION-RSP. The result is reported later by an
    /// N-EVENT-REPORT the provider sends itself, so this returns at once.
    func commitStorage(_ request: StorageCommitmentRequest, association: EstablishedAssociation) async -> UInt16

    /// N-EVENT-REPORT of storage commitment: the result of a request Atrium sent; the status of the
    /// N-EVENT-REPORT-RSP.
    func storageCommitmentReported(_ result: StorageCommitmentResult, association: EstablishedAssociation) async
        -> UInt16
}

extension DIMSEServiceProvider {
    /// Permits every request.
    package func permits(_ request: CommandField, association: EstablishedAssociation) -> Bool { true }

    /// Refuses storage commitment (status 0x0211, unrecognized operation).
    package func commitStorage(_ request: StorageCommitmentRequest, association: EstablishedAssociation) async
        -> UInt16
    { DIMSEStatus.unrecognizedOperation }

    /// Refuses storage commitment results (status 0x0211, unrecognized operation).
    package func storageCommitmentReported(
        _ result: StorageCommitmentResult, association: EstablishedAssociation
    ) async -> UInt16 { DIMSEStatus.unrecognizedOperation }
}

/// An application entity Atrium calls (a C-MOVE destination, a modality of the REST API) and how: under which
/// calling AE title, waiting how long.
package struct OutboundTarget: Sendable {
    package var remote: RemoteApplicationEntity
    /// The calling AE title (Atrium's own, or the modality's `LocalAet`).
    package var callingAETitle: String
    package var timeout: TimeAmount
    /// The TLS context when the AE is called over DICOM TLS (a modality's `UseDicomTls`), nil for plain TCP.
    package var tls: NIOSSLContext?

    package init(
        remote: RemoteApplicationEntity, callingAETitle: String, timeout: TimeAmount, tls: NIOSSLContext? = nil
    ) {
        self.remote = remote
        self.callingAETitle = callingAETitle
        self.timeout = timeout
        self.tls = tls
    }
}

/// The answer to a C-STORE.
package struct StoreAnswer: Sendable {
    package var status: UInt16
    package var errorComment: String?
    /// Instead of answering, close the connection: no C-STORE-RSP, no A-ABORT, as Orthanc does for a data set whose
    /// value runs past its end. The association's other operations are cancelled; `status` is not sent.
    package var closesConnection = false

    package init(status: UInt16, errorComment: String? = nil) {
        self.status = status
        self.errorComment = errorComment
    }

    /// The answer that closes the connection instead of answering.
    package static func closingConnection(reason: String) -> StoreAnswer {
        var answer = StoreAnswer(status: DIMSEStatus.cannotUnderstand, errorComment: reason)
        answer.closesConnection = true
        return answer
    }
}

/// Where a streamed C-STORE data set goes.
package enum StoreDestination: Sendable {
    /// To this sink, which stores it and answers once the data set is complete.
    case sink(any DataSetSink)
    /// Nowhere: the request is answered with this once its data set has been received.
    case refused(StoreAnswer)
}

/// The answer to a C-FIND.
package enum QueryAnswer: Sendable {
    case matches([DataSet])
    case failure(status: UInt16, comment: String)
}

/// An instance a C-MOVE or C-GET sends: its identity and a way to read its file.
package struct RetrievableInstance: Sendable {
    package var sopClassUID: String
    package var sopInstanceUID: String
    /// The transfer syntax of the stored file, when known, to propose it.
    package var transferSyntaxUID: String?
    /// Reads the Part 10 file.
    package var load: @Sendable () async throws -> ByteBuffer

    package init(
        sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String?,
        load: @escaping @Sendable () async throws -> ByteBuffer
    ) {
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = transferSyntaxUID
        self.load = load
    }
}

/// Which retrieval is asked: the instances go to a third AE (C-MOVE) or back on the association (C-GET).
package enum RetrieveOperation: Sendable {
    case move
    case get
}

/// The answer to the look-up of a C-MOVE or C-GET.
package enum RetrieveAnswer: Sendable {
    case instances([RetrievableInstance])
    case failure(status: UInt16, comment: String)
}
