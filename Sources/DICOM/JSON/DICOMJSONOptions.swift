/// How ``DataSet/dicomJSON(options:)`` writes a data set as DICOM JSON (PS3.18 Annex F).
public struct DICOMJSONOptions: Sendable {
    /// Binary values (OB, OD, OF, OL, OV, OW, UN and encapsulated pixel data) at least this long, in bytes,
    /// are written as `BulkDataURI` references instead of `InlineBinary` (PS3.18 §F.2.6), when
    /// ``bulkDataURI`` gives a URI for them. `nil` writes every value inline.
    public var bulkDataThreshold: Int?
    /// The URI of a bulk data value, given the tags that lead to it (the sequence tags above it, then its own)
    /// and the element; `nil` keeps the value inline.
    public var bulkDataURI: (@Sendable (_ path: [DICOMTag], _ element: DataElement) -> String?)?
    /// True to include group length elements (gggg,0000), which PS3.18 §F.2 leaves out by default.
    public var includeGroupLengths: Bool

    /// Creates options; the defaults write every value inline and leave out group lengths.
    public init(
        bulkDataThreshold: Int? = nil,
        bulkDataURI: (@Sendable (_ path: [DICOMTag], _ element: DataElement) -> String?)? = nil,
        includeGroupLengths: Bool = false
    ) {
        self.bulkDataThreshold = bulkDataThreshold
        self.bulkDataURI = bulkDataURI
        self.includeGroupLengths = includeGroupLengths
    }
}
