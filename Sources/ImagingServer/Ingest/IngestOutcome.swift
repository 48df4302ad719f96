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
        /// The file lacks the Study, Series or SOP Instance UID.
        case missingIdentifiers
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

    package init(_ reason: Reason, _ error: OrthancError, cause: (any Error & Sendable)? = nil) {
        self.reason = reason
        self.error = error
        self.cause = cause
    }
}
