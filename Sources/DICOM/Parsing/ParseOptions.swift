/// What a parse reads and the limits it enforces.
public struct ParseOptions: Sendable, Hashable {
    /// Stop before the first top-level element at or after this tag, leaving it and the rest unread.
    public var stopBefore: DICOMTag?
    /// The deepest nesting of sequences accepted; deeper input throws ``DICOMError/Code/nestingTooDeep``.
    public var maximumNestingDepth: Int
    /// The largest inflated size accepted for a deflated data set, a guard against decompression bombs.
    public var maximumInflatedSize: Int

    /// Creates options.
    ///
    /// - Parameters:
    ///   - stopBeforePixelData: stop before (7FE0,0008), the first of the pixel data elements; the fast path
    ///     for indexing, which never needs the pixels.
    ///   - maximumNestingDepth: the deepest sequence nesting accepted (64 by default; real files use < 10).
    ///   - maximumInflatedSize: the largest inflated data set accepted (4 GiB by default).
    public init(stopBeforePixelData: Bool = false, maximumNestingDepth: Int = 64, maximumInflatedSize: Int = 1 << 32) {
        self.stopBefore = stopBeforePixelData ? DICOMTag.floatPixelData : nil
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumInflatedSize = maximumInflatedSize
    }

    /// Whether the parse stops before Pixel Data.
    public var stopBeforePixelData: Bool {
        get { stopBefore == DICOMTag.floatPixelData }
        set { stopBefore = newValue ? DICOMTag.floatPixelData : nil }
    }
}
