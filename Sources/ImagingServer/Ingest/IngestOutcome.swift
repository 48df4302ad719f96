/// What became of one instance handed to the ``IngestService``.
package enum IngestOutcome: Sendable {
    /// The instance is now stored, durably: its file synced and its index rows committed.
    case stored(ResourceIDs)
    /// The index already held the instance and kept its copy (`OverwriteInstances` false, or the same file).
    case alreadyStored(ResourceIDs)
    /// Nothing was stored, for `reason`.
    case rejected(IngestRejection)

    /// The instance's identifiers, unless it was rejected.
    package var ids: ResourceIDs? {
        switch self {
        case .stored(let ids), .alreadyStored(let ids): ids
        case .rejected: nil
        }
    }
}

/// Why an instance was not stored, with the error that caused it.
package struct IngestRejection: Error, Sendable {
    package enum Reason: Sendable, Equatable {
        /// The bytes are not a DICOM file Atrium can read.
        case unreadableFile
        /// The file lacks the Study or Series Instance UID (it has the SOP Instance UID).
        case missingIdentifiers
        /// The file lacks the SOP Instance UID.
        case missingSOPInstanceUID
        /// The storage limits are reached and recycling cannot make room (`MaximumStorageMode` `Reject`).
        case storageFull
        /// The file could not be written or the index could not record it.
        case storageFailure
    }

    package let reason: Reason
    /// The error as Orthanc reports it to a REST client.
    package let error: OrthancError
    /// The underlying error (a `DICOMError` of the parser, a `PersistenceError`, …), when there is one.
    package let cause: (any Error & Sendable)?
    /// How an unreadable file's data set is damaged, read from the parser's error (``cause``), when the reader
    /// could tell.
    package let damage: DataSetDamage?

    package init(
        _ reason: Reason, _ error: OrthancError, cause: (any Error & Sendable)? = nil, damage: DataSetDamage? = nil
    ) {
        self.reason = reason
        self.error = error
        self.cause = cause
        self.damage = damage
    }
}

/// How the data set of a file the parser refuses is damaged, which decides how a C-STORE of it ends (Orthanc,
/// reading the data set as it arrives, ends the two cases differently).
package enum DataSetDamage: Sendable, Equatable {
    /// The data ends inside the header of a top-level element: the elements before it form a complete data set,
    /// which holds a SOP Instance UID or not.
    case cutBetweenElements(prefixHasSOPInstanceUID: Bool)
    /// The data cannot be walked: a length runs past the end of the data (the first element's as well as a later
    /// one's, the data ending inside a value or a sequence), or an element names no VR.
    case malformed
}
