import NIOCore

/// The body of `POST /modalities/{id}/store`, read as Orthanc reads it: an Orthanc ID as bare text, a JSON string,
/// a JSON list of IDs, or an object with `Resources` and the options below.
///
/// Like every Orthanc job route, the store runs synchronously unless `"Synchronous": false` or
/// `"Asynchronous": true`; a bare ID or list is always synchronous.
struct ModalityStoreRequest: Equatable {
    /// The resources to send, Orthanc IDs of any level, in the order given.
    var resources: [String] = []
    /// `LocalAet`: the AE title to call the modality with, instead of the modality's or `DicomAet`.
    var localApplicationEntityTitle: String?
    /// `Timeout` in seconds, instead of the modality's or `DicomScuTimeout`.
    var timeout: Int?
    /// Whether a job is submitted instead of answering once the instances are sent.
    var isAsynchronous = false
    /// `Priority` of the job.
    var priority = 0
    /// `Permissive`: a failed instance does not stop the job.
    var isPermissive = false
    /// `StorageCommitment`: once the instances are sent, ask the modality to commit them (N-ACTION); the report
    /// comes back as `/storage-commitment/{StorageCommitmentTransactionUID}`.
    var requestsStorageCommitment = false
    /// `MoveOriginatorAet` and `MoveOriginatorID`, put in each C-STORE-RQ (PS3.7 §9.1.1.1) when the store serves a
    /// C-MOVE done elsewhere; only with a non-zero message ID, as Orthanc.
    var moveOriginator: MoveOriginator?

    /// The C-MOVE a store serves.
    struct MoveOriginator: Equatable {
        /// The requestor of the C-MOVE; nil for the AE title the store calls with, Orthanc's default.
        var applicationEntityTitle: String?
        var messageID: UInt16
    }

    /// - Throws: `OrthancError.badFileFormat`, `.badParameterType` or `.parameterOutOfRange`, with Orthanc 1.10.1's
    ///   details, for a body of another shape, an item that is not an Orthanc ID, or an option of the wrong type.
    init(body: ByteBuffer) throws {
        let stripped = Substring(String(buffer: body)).strippingSpaces
        let items: [JSONValue]
        if OrthancID.isWellFormed(stripped) {
            // Orthanc's oldest form: the ID as plain text.
            items = [.string(String(stripped))]
        } else {
            guard let json = try? JSONValue(parsing: body.readableBytesView) else {
                throw OrthancError(.badFileFormat, "Must provide a JSON value")
            }
            if let id = json.stringValue {
                items = [.string(id)]
            } else if let list = json.arrayValue {
                items = list
            } else if let object = json.objectValue {
                guard let resources = object["Resources"] else {
                    throw OrthancError(.badFileFormat, "Missing field in JSON: \"Resources\"")
                }
                guard let list = resources.arrayValue else {
                    throw OrthancError(.badFileFormat, "JSON field \"Resources\" must contain an array")
                }
                items = list
                try readOptions(object)
            } else {
                throw OrthancError(.badFileFormat, "Must provide a JSON object, or a JSON array of strings")
            }
        }
        for item in items {
            guard let text = item.stringValue else {
                throw OrthancError(
                    .badFileFormat, "Resources to be exported must be specified as a JSON array of strings")
            }
            let id = Substring(text).strippingSpaces
            guard OrthancID.isWellFormed(id) else {
                throw OrthancError(.badFileFormat, "This string is not a valid Orthanc identifier: \(id)")
            }
            resources.append(String(id))
        }
    }

    private mutating func readOptions(_ object: [String: JSONValue]) throws {
        func string(_ key: String) throws -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value.stringValue else { throw OrthancError(.badParameterType) }
            return text
        }
        func flag(_ key: String) throws -> Bool? {
            guard let value = object[key] else { return nil }
            guard let flag = value.boolValue else {
                throw OrthancError(.badFileFormat, "Boolean value expected in field: \(key)")
            }
            return flag
        }
        func integer(_ key: String) throws -> Int? {
            guard let value = object[key] else { return nil }
            guard let number = value.intValue, let small = Int32(exactly: number) else {
                throw OrthancError(.badFileFormat, "Integer value expected in field: \(key)")
            }
            return Int(small)
        }
        localApplicationEntityTitle = try string("LocalAet")
        if let seconds = try integer("Timeout") {
            guard seconds >= 0 else {
                throw OrthancError(.badFileFormat, "Unsigned integer value expected in field: Timeout")
            }
            if seconds > 0 { timeout = seconds }
        }
        let originatorTitle = try string("MoveOriginatorAet")
        if let value = object["MoveOriginatorID"] {
            guard let number = value.intValue else { throw OrthancError(.badParameterType) }
            guard let messageID = UInt16(exactly: number) else { throw OrthancError(.parameterOutOfRange) }
            if messageID != 0 {
                moveOriginator = MoveOriginator(applicationEntityTitle: originatorTitle, messageID: messageID)
            }
        }
        if let value = object["StorageCommitment"] {
            guard let flag = value.boolValue else { throw OrthancError(.badParameterType) }
            requestsStorageCommitment = flag
        }
        let synchronous = try flag("Synchronous")
        let asynchronous = try flag("Asynchronous")
        isAsynchronous = synchronous == false || asynchronous == true
        priority = try integer("Priority") ?? 0
        isPermissive = try flag("Permissive") ?? false
    }
}
