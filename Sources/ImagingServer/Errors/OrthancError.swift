/// An error of the imaging server, carrying Orthanc's error code.
///
/// `code` is Orthanc's `ErrorCode` (its number appears as `OrthancStatus` in error bodies, its description as
/// `OrthancError`) together with the HTTP status Orthanc answers with. `message` is a safe, generic text;
/// `details` is what Orthanc puts in the `Details` field of its error body.
package struct OrthancError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Orthanc's error code: the `OrthancStatus` number, its description and its HTTP status.
    package struct Code: Hashable, Sendable {
        /// Orthanc's `ErrorCode` number.
        package let orthancStatus: Int
        /// Orthanc's description of the code (the `OrthancError` field).
        package let name: String
        /// The HTTP status Orthanc answers with.
        package let httpStatus: Int

        private init(_ orthancStatus: Int, _ name: String, _ httpStatus: Int) {
            self.orthancStatus = orthancStatus
            self.name = name
            self.httpStatus = httpStatus
        }

        package static let internalError = Code(-1, "Internal error", 500)
        package static let notImplemented = Code(2, "Not implemented yet", 501)
        /// What Orthanc answers for the frames of an instance without pixel data: code 2 with status 500.
        package static let noPixelData = Code(2, "Not implemented yet", 500)
        package static let parameterOutOfRange = Code(3, "Parameter out of range", 400)
        package static let badParameterType = Code(5, "Bad type for a parameter", 400)
        package static let badSequenceOfCalls = Code(6, "Bad sequence of calls", 400)
        /// What Orthanc answers for the removal of the instances of a storage commitment that did not succeed.
        package static let badSequenceOfCallsServer = Code(6, "Bad sequence of calls", 500)
        package static let inexistentItem = Code(7, "Accessing an inexistent item", 404)
        package static let badRequest = Code(8, "Bad request", 400)
        package static let database = Code(11, "Error with the database engine", 500)
        package static let uriSyntax = Code(12, "Badly formatted URI", 400)
        package static let inexistentFile = Code(13, "Inexistent file", 404)
        package static let cannotWriteFile = Code(14, "Cannot write to file", 500)
        package static let networkProtocol = Code(9, "Error in the network protocol", 500)
        /// A C-MOVE or C-GET the remote modality could not process (DIMSE status 0xC000), answered with 422.
        package static let networkProtocolUnprocessable = Code(9, "Error in the network protocol", 422)
        package static let badFileFormat = Code(15, "Bad file format", 400)
        package static let unknownResource = Code(17, "Unknown resource", 404)
        package static let fullStorage = Code(19, "The file storage is full", 507)
        package static let corruptedFile = Code(20, "Corrupted file (e.g. inconsistent MD5 hash)", 500)
        package static let inexistentTag = Code(21, "Inexistent tag", 404)
        package static let badJSON = Code(28, "Cannot parse a JSON document", 400)
        package static let unauthorized = Code(29, "Bad credentials were provided to an HTTP request", 401)
        package static let emptyRequest = Code(33, "The request is empty", 400)
        package static let notAcceptable = Code(
            34, "Cannot send a response which is acceptable according to the Accept HTTP header", 406)
        /// The database cannot be reached, or refuses to work (a PostgreSQL server that is down).
        package static let databaseUnavailable = Code(
            36, "The database is currently not available (probably a transient situation)", 503)
        package static let badRange = Code(41, "Bad range", 416)
        /// A transaction still conflicted with concurrent ones after its replays (`MaximumConnectionRetries`).
        package static let databaseCannotSerialize = Code(
            42, "Database could not serialize access due to concurrent update, the transaction should be retried",
            503)
        package static let revision = Code(
            43, "A bad revision number was provided, which might indicate conflict between multiple writers", 409)
        package static let forbiddenAccess = Code(45, "Access to a resource is forbidden", 403)
        /// No presentation context the modality accepted can carry an instance (`ErrorCode_NoPresentationContext`).
        package static let noPresentationContext = Code(
            2015, "DicomUserConnection: No acceptable presentation context for modality", 500)
        package static let cannotStoreInstance = Code(2018, "Cannot store an instance", 500)
        /// A request body above `MaximumRequestBodySizeMB`; Orthanc has no code of its own for it.
        package static let requestEntityTooLarge = Code(8, "Bad request", 413)
        package static let unsupportedMediaType = Code(3000, "Unsupported media type", 415)
        /// A job stopped by `POST /jobs/{id}/cancel` (`ErrorCode_CanceledJob`).
        package static let canceledJob = Code(37, "This job was canceled", 500)
    }

    package let code: Code
    /// A short explanation, free of patient data.
    package let details: String?
    package let file: String
    package let line: Int

    package init(_ code: Code, _ details: String? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.details = details
        self.file = file
        self.line = line
    }

    package var description: String {
        if let details { return "\(code.name): \(details)" }
        return code.name
    }

    package static func == (lhs: OrthancError, rhs: OrthancError) -> Bool { lhs.code == rhs.code }
}
