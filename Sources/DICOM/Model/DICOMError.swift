/// An error of the `DICOM` module: malformed input, or a request the data cannot satisfy.
///
/// Equality is by ``code``. ``description`` names the code, the message and the byte offset, never a value
/// from the data set, so it is safe to log.
public struct DICOMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case truncated, invalidLength, invalidVR, invalidTag, notPart10, invalidMetaInformation
            case unsupportedTransferSyntax, nestingTooDeep, invalidValue, invalidJSON, deflate, notFound
            case unreadableFile
        }
        private let value: Value

        /// The input ends before the element, item or header it announces.
        public static let truncated = Code(value: .truncated)
        /// A length field is impossible: past the end of its container, or undefined where that is not allowed.
        public static let invalidLength = Code(value: .invalidLength)
        /// An explicit VR field holds bytes that name no VR.
        public static let invalidVR = Code(value: .invalidVR)
        /// A tag is out of place: a delimiter outside a sequence, or an item tag where an element was expected.
        public static let invalidTag = Code(value: .invalidTag)
        /// The bytes are not a DICOM file or data set.
        public static let notPart10 = Code(value: .notPart10)
        /// The file meta information group is malformed (PS3.10 §7.1).
        public static let invalidMetaInformation = Code(value: .invalidMetaInformation)
        /// The transfer syntax is not one this operation supports.
        public static let unsupportedTransferSyntax = Code(value: .unsupportedTransferSyntax)
        /// Sequences are nested deeper than the configured limit.
        public static let nestingTooDeep = Code(value: .nestingTooDeep)
        /// A value cannot be decoded or encoded in its VR.
        public static let invalidValue = Code(value: .invalidValue)
        /// DICOM JSON input is malformed (PS3.18 Annex F).
        public static let invalidJSON = Code(value: .invalidJSON)
        /// A deflated data set cannot be inflated, or a data set cannot be deflated.
        public static let deflate = Code(value: .deflate)
        /// A requested element or item does not exist.
        public static let notFound = Code(value: .notFound)
        /// A file cannot be opened or read.
        public static let unreadableFile = Code(value: .unreadableFile)

        public var description: String {
            switch value {
            case .truncated: "truncated"
            case .invalidLength: "invalid length"
            case .invalidVR: "invalid VR"
            case .invalidTag: "invalid tag"
            case .notPart10: "not DICOM"
            case .invalidMetaInformation: "invalid file meta information"
            case .unsupportedTransferSyntax: "unsupported transfer syntax"
            case .nestingTooDeep: "sequences nested too deep"
            case .invalidValue: "invalid value"
            case .invalidJSON: "invalid DICOM JSON"
            case .deflate: "deflate failure"
            case .notFound: "not found"
            case .unreadableFile: "unreadable file"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation that carries no patient data.
    public let message: String
    /// The byte offset in the input where the problem was found, when the input is bytes.
    public let offset: Int?
    /// The tag of the element being read, when known.
    public let tag: DICOMTag?
    /// The source file and line that raised the error.
    public let location: String

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, offset: Int? = nil, tag: DICOMTag? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.offset = offset
        self.tag = tag
        self.location = "\(file):\(line)"
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let tag { text += " in \(tag)" }
        if let offset { text += " at byte offset \(offset)" }
        return text
    }

    public static func == (lhs: DICOMError, rhs: DICOMError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
