/// The attributes of the Image Pixel module that describe how pixel data is laid out (PS3.3 §C.7.6.3).
public struct PixelAttributes: Sendable, Hashable {
    /// Rows (0028,0010).
    public var rows: Int
    /// Columns (0028,0011).
    public var columns: Int
    /// Samples per Pixel (0028,0002): 1 for grayscale, 3 for color.
    public var samplesPerPixel: Int
    /// Bits Allocated (0028,0100): the size of one sample's cell, 8, 16 or 32.
    public var bitsAllocated: Int
    /// Bits Stored (0028,0101): how many bits of the cell hold the value.
    public var bitsStored: Int
    /// High Bit (0028,0102): the most significant bit of the value in the cell.
    public var highBit: Int
    /// Pixel Representation (0028,0103) is 1: values are two's complement.
    public var isSigned: Bool
    /// Planar Configuration (0028,0006): 0 for color-by-pixel (R1 G1 B1 R2 …), 1 for color-by-plane.
    public var planarConfiguration: Int
    /// Photometric Interpretation (0028,0004), trimmed, e.g. `MONOCHROME2`.
    public var photometricInterpretation: String
    /// Number of Frames (0028,0008), 1 when absent.
    public var numberOfFrames: Int

    /// Attributes given one by one.
    public init(
        rows: Int, columns: Int, samplesPerPixel: Int = 1, bitsAllocated: Int, bitsStored: Int? = nil,
        highBit: Int? = nil, isSigned: Bool = false, planarConfiguration: Int = 0,
        photometricInterpretation: String = "MONOCHROME2", numberOfFrames: Int = 1
    ) {
        self.rows = rows
        self.columns = columns
        self.samplesPerPixel = samplesPerPixel
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored ?? bitsAllocated
        self.highBit = highBit ?? ((bitsStored ?? bitsAllocated) - 1)
        self.isSigned = isSigned
        self.planarConfiguration = planarConfiguration
        self.photometricInterpretation = photometricInterpretation
        self.numberOfFrames = numberOfFrames
    }

    /// The attributes of a data set.
    ///
    /// - Throws: `DICOMError.invalidValue` when Rows, Columns or Bits Allocated is missing, or when the values
    ///   contradict each other (PS3.3 §C.7.6.3.1: High Bit is Bits Stored − 1 or more, below Bits Allocated).
    public init(dataSet: DataSet) throws {
        func integer(_ group: UInt16, _ element: UInt16) -> Int? {
            guard let item = dataSet[DICOMTag(group, element)] else { return nil }
            if let value = item.uint16s?.first { return Int(value) }
            guard let text = item.string() else { return nil }
            return Int(text.filter { $0 != " " && $0 != "\0" })
        }
        guard let rows = integer(0x0028, 0x0010), let columns = integer(0x0028, 0x0011),
            let bitsAllocated = integer(0x0028, 0x0100)
        else { throw DICOMError(.invalidValue, "Rows, Columns or Bits Allocated is missing") }
        let bitsStored = integer(0x0028, 0x0101) ?? bitsAllocated
        // Leading and trailing padding only: "PALETTE COLOR" keeps its inner space.
        let photometric = dataSet[DICOMTag(0x0028, 0x0004)]?.string().map { text in
            String(text.drop { $0 == " " || $0 == "\0" }.reversed().drop { $0 == " " || $0 == "\0" }.reversed())
        }
        self.init(
            rows: rows, columns: columns, samplesPerPixel: integer(0x0028, 0x0002) ?? 1,
            bitsAllocated: bitsAllocated, bitsStored: bitsStored,
            highBit: integer(0x0028, 0x0102) ?? (bitsStored - 1), isSigned: integer(0x0028, 0x0103) == 1,
            planarConfiguration: integer(0x0028, 0x0006) ?? 0,
            photometricInterpretation: photometric ?? "MONOCHROME2",
            numberOfFrames: max(integer(0x0028, 0x0008) ?? 1, 1))
        try validate()
    }

    /// The number of pixels in a frame.
    public var pixelCount: Int { rows * columns }

    /// The bytes one native frame occupies (PS3.5 §8.1.1), for Bits Allocated that is a multiple of 8.
    public var frameLength: Int { pixelCount * samplesPerPixel * (bitsAllocated / 8) }

    /// Checks that the attributes describe a layout this module decodes.
    ///
    /// - Throws: `DICOMError.invalidValue` naming the first attribute out of range.
    public func validate() throws {
        guard rows > 0, columns > 0, rows <= 65535, columns <= 65535 else {
            throw DICOMError(.invalidValue, "Rows and Columns must be between 1 and 65535")
        }
        guard samplesPerPixel == 1 || samplesPerPixel == 3 else {
            throw DICOMError(.invalidValue, "Samples per Pixel must be 1 or 3")
        }
        guard bitsAllocated == 8 || bitsAllocated == 16 || bitsAllocated == 32 else {
            throw DICOMError(.invalidValue, "Bits Allocated must be 8, 16 or 32")
        }
        guard bitsStored >= 1, bitsStored <= bitsAllocated, highBit >= bitsStored - 1, highBit < bitsAllocated else {
            throw DICOMError(.invalidValue, "Bits Stored and High Bit do not fit in Bits Allocated")
        }
        guard planarConfiguration == 0 || planarConfiguration == 1 else {
            throw DICOMError(.invalidValue, "Planar Configuration must be 0 or 1")
        }
    }
}
