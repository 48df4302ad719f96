public import NIOCore

/// A data element: a tag, a VR and a value (PS3.5 §7.1).
///
/// Values are kept as they were encoded: ``Value/bytes(_:)`` holds a slice of the source buffer (no copy) in
/// the byte order recorded by ``isBigEndian``, and is decoded only when a typed accessor asks for it.
public struct DataElement: Sendable {
    /// The encoded value of an element.
    public enum Value: Sendable {
        /// The raw value bytes, without padding removed.
        case bytes(ByteBuffer)
        /// The items of a sequence (SQ, or UN holding an undefined-length sequence; PS3.5 §7.5).
        case sequence([DataSet])
        /// Encapsulated pixel data: the Basic Offset Table item first, then each fragment (PS3.5 §A.4).
        case fragments([ByteBuffer])
    }

    /// The element's tag.
    public let tag: DICOMTag
    /// The element's VR, as read (explicit VR) or looked up in the dictionary (implicit VR).
    public var vr: VR
    /// The element's value.
    public var value: Value
    /// True when the value bytes are big endian (read from Explicit VR Big Endian).
    public var isBigEndian: Bool
    /// True when the element was encoded with undefined length; kept so that unchanged data round-trips.
    public var hasUndefinedLength: Bool
    /// The byte offset of the value in the source, when the element was parsed.
    public var valueOffset: Int?

    /// Creates an element.
    public init(
        tag: DICOMTag, vr: VR, value: Value, isBigEndian: Bool = false, hasUndefinedLength: Bool? = nil,
        valueOffset: Int? = nil
    ) {
        self.tag = tag
        self.vr = vr
        self.value = value
        self.isBigEndian = isBigEndian
        switch value {
        case .bytes: self.hasUndefinedLength = hasUndefinedLength ?? false
        case .sequence, .fragments: self.hasUndefinedLength = hasUndefinedLength ?? true
        }
        self.valueOffset = valueOffset
    }

    /// The raw value bytes, or `nil` for sequences and encapsulated pixel data.
    public var bytes: ByteBuffer? {
        if case .bytes(let buffer) = value { return buffer }
        return nil
    }

    /// The items of a sequence; empty for other elements.
    public var items: [DataSet] {
        if case .sequence(let items) = value { return items }
        return []
    }

    /// The encapsulated fragments, Basic Offset Table first; `nil` for native values.
    public var fragments: [ByteBuffer]? {
        if case .fragments(let fragments) = value { return fragments }
        return nil
    }

    /// The length of the value as encoded, for byte values; `nil` for sequences and fragments.
    public var valueLength: Int? { bytes?.readableBytes }
}
