package import Persistence

/// Everything the index holds about one resource, as needed to render it.
package struct ResourceSummary: Sendable {
    package let internalID: Int64
    package let level: ResourceLevel
    package let id: OrthancID
    package let parent: OrthancID?
    package let children: [OrthancID]
    /// The stored main tags by tag number (a study also holds its patient's tags).
    package let tags: [UInt32: String]
    package let metadata: [MetadataType: String]
    package let labels: [String]
    /// For instances: the DICOM file's attachment.
    package let file: AttachmentInfo?
    /// For patients: whether recycling spares it.
    package let isProtected: Bool
    /// For studies: the distinct modalities of its series, sorted (`ModalitiesInStudy`).
    package var modalitiesInStudy: [String] = []
    /// For series: the `IndexInSeries` metadata of the instances that have one.
    package var indicesInSeries: [String] = []
    /// The computed tags asked for when the summary was read, as strings (`RequestedTags`).
    package var computedTags: [ComputedTag: String] = [:]
}

/// An attachment record.
package struct AttachmentInfo: Sendable, Equatable {
    package let fileType: Int
    package let uuid: String
    package let compressedSize: Int64
    package let uncompressedSize: Int64
    package let compressionType: Int
    package let uncompressedMD5: String?
    package let compressedMD5: String?
    package let revision: Int

    /// The entity tag of the attachment: its revision and the MD5 of its original bytes.
    package var revisionTag: RevisionTag { RevisionTag(revision: revision, md5: uncompressedMD5 ?? "") }

    /// How the file is encoded in the storage area.
    package var compression: StorageCompression { StorageCompression(rawValue: compressionType) ?? .none }
}
