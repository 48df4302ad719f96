import CompressNIO
public import NIOCore

/// A DICOM file (PS3.10 §7): an optional preamble, the file meta information and the data set.
///
/// Reading keeps every value as a slice of the input buffer, so that an unchanged file writes back to the
/// same bytes and values cost nothing until they are read.
public struct DICOMFile: Sendable {
    /// The 128-byte preamble, or `nil` when the input was a raw data set without one.
    public var preamble: ByteBuffer?
    /// The file meta information, group 0002 (PS3.10 §7.1); empty for a raw data set.
    public var metaInformation: DataSet
    /// The data set.
    public var dataSet: DataSet
    /// The transfer syntax of ``dataSet``.
    public var transferSyntax: TransferSyntax
    /// True when the file meta information was encoded in Implicit VR, a defect of some writers that is kept
    /// so that the file round-trips.
    public var metaInformationIsImplicitVR: Bool
    /// True when the input had the `DICM` prefix.
    public var hasPart10Prefix: Bool
    /// Whether the data set's elements carry their VR. It differs from the transfer syntax only for files
    /// whose writer declared one VR mode and used the other, which are read as they are encoded and written
    /// back the same way unless transcoded.
    public var dataSetIsExplicitVR: Bool
    /// Where reading stopped because of ``ParseOptions/stopBefore``: the offset, from the start of the input, of
    /// the first top-level element left unread; `nil` when the data set was read to its end (and for a deflated
    /// data set, whose offsets are not those of the input).
    ///
    /// A reader that parses a prefix of a large file knows by it that the prefix held everything before the stop
    /// tag, and where the rest starts.
    public var stopOffset: Int?

    /// Creates a file from a data set, with file meta information built for it by
    /// ``rebuildMetaInformation(transferSyntax:)``.
    public init(dataSet: DataSet, transferSyntax: TransferSyntax = .explicitVRLittleEndian) {
        self.preamble = nil
        self.metaInformation = DataSet()
        self.dataSet = dataSet
        self.transferSyntax = transferSyntax
        self.metaInformationIsImplicitVR = false
        self.hasPart10Prefix = true
        self.dataSetIsExplicitVR = transferSyntax.isExplicitVR
        rebuildMetaInformation(transferSyntax: transferSyntax)
    }

    /// Reads a DICOM file, or a raw data set without preamble and meta information.
    ///
    /// A raw data set's transfer syntax is inferred from its first element: explicit VR when its VR bytes
    /// name a VR, big endian when its group reads small only that way.
    ///
    /// - Parameters:
    ///   - buffer: the bytes, from the reader index to the writer index.
    ///   - options: where to stop and the limits to enforce.
    /// - Throws: ``DICOMError`` naming the byte offset of the first defect.
    public init(reading buffer: ByteBuffer, options: ParseOptions = ParseOptions()) throws {
        var buffer = buffer
        let origin = buffer.readerIndex
        let total = buffer.readableBytes
        preamble = nil
        hasPart10Prefix = false
        metaInformationIsImplicitVR = false
        metaInformation = DataSet()
        dataSetIsExplicitVR = true
        stopOffset = nil

        if total >= 132, buffer.getBytes(at: origin + 128, length: 4) == Self.prefix {
            preamble = buffer.getSlice(at: origin, length: 128)
            buffer.moveReaderIndex(forwardBy: 132)
            hasPart10Prefix = true
        } else if total >= 4, buffer.getBytes(at: origin, length: 4) == Self.prefix {
            buffer.moveReaderIndex(forwardBy: 4)
            hasPart10Prefix = true
        }

        let startsWithMeta =
            buffer.readableBytes >= 2
            && buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt16.self) == 0x0002
        if hasPart10Prefix || startsWithMeta {
            guard startsWithMeta else {
                throw DICOMError(
                    .invalidMetaInformation, "the file meta information group is missing",
                    offset: buffer.readerIndex - origin)
            }
            (metaInformation, metaInformationIsImplicitVR) = try Self.readMetaInformation(
                &buffer, origin: origin, options: options)
            if let uid = metaInformation[.transferSyntaxUID]?.string(), !uid.isEmpty {
                transferSyntax = TransferSyntax(uid: uid)
            } else {
                // Some writers omit the Transfer Syntax UID: infer it from the data set, as for raw data sets.
                transferSyntax = try Self.inferTransferSyntax(of: buffer, origin: origin)
            }
        } else {
            transferSyntax = try Self.inferTransferSyntax(of: buffer, origin: origin)
        }

        if transferSyntax.isDeflated {
            var inflated = try Self.inflate(&buffer, origin: origin, limit: options.maximumInflatedSize)
            let parser = DataSetParser(
                explicitVR: true, bigEndian: false, options: options, originIndex: inflated.readerIndex)
            dataSet = try parser.parseDataSet(&inflated, characterSet: .default)
        } else {
            dataSetIsExplicitVR = Self.detectExplicitVR(of: buffer, declared: transferSyntax)
            let parser = DataSetParser(
                explicitVR: dataSetIsExplicitVR, bigEndian: !transferSyntax.isLittleEndian,
                options: options, originIndex: origin)
            dataSet = try parser.parseDataSet(&buffer, characterSet: .default)
            if buffer.readableBytes > 0 { stopOffset = buffer.readerIndex - origin }
        }
    }

    static let prefix: [UInt8] = Array("DICM".utf8)

    /// The VR mode of the first data set element: the declared one unless its header contradicts it, as
    /// files from some writers do (an explicit syntax declared over implicit elements, or the reverse).
    private static func detectExplicitVR(of buffer: ByteBuffer, declared: TransferSyntax) -> Bool {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= 8,
            let byte0 = buffer.getInteger(at: start + 4, as: UInt8.self),
            let byte1 = buffer.getInteger(at: start + 5, as: UInt8.self),
            let group = buffer.getInteger(
                at: start, endianness: declared.isLittleEndian ? .little : .big, as: UInt16.self)
        else { return declared.isExplicitVR }
        let namesVR = VR(byte0: byte0, byte1: byte1) != nil
        if group == 0xFFFE { return declared.isExplicitVR }
        if declared.isExplicitVR && !namesVR { return false }
        if !declared.isExplicitVR && namesVR {
            // Two letters could also start an implicit length: only switch when both are upper-case letters
            // naming a VR, which a 32-bit little-endian length of a first element practically never is.
            return true
        }
        return declared.isExplicitVR
    }

    /// Reads the group 0002 elements, always Explicit VR Little Endian (PS3.10 §7.1) unless the first one
    /// shows Implicit VR.
    static func readMetaInformation(
        _ buffer: inout ByteBuffer, origin: Int, options: ParseOptions
    ) throws -> (DataSet, Bool) {
        let start = buffer.readerIndex
        let implicit =
            buffer.readableBytes >= 6
            && VR(
                byte0: buffer.getInteger(at: start + 4, as: UInt8.self) ?? 0,
                byte1: buffer.getInteger(at: start + 5, as: UInt8.self) ?? 0) == nil
        var parser = DataSetParser(explicitVR: !implicit, bigEndian: false, options: options, originIndex: origin)
        parser.onlyGroup = 0x0002
        let dataSet = try parser.parseDataSet(&buffer, characterSet: .default)
        return (dataSet, implicit)
    }

    /// Infers the transfer syntax of a raw data set from its first element header.
    private static func inferTransferSyntax(of buffer: ByteBuffer, origin: Int) throws -> TransferSyntax {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= 8,
            let littleGroup = buffer.getInteger(at: start, endianness: .little, as: UInt16.self),
            let bigGroup = buffer.getInteger(at: start, endianness: .big, as: UInt16.self),
            let byte0 = buffer.getInteger(at: start + 4, as: UInt8.self),
            let byte1 = buffer.getInteger(at: start + 5, as: UInt8.self)
        else {
            throw DICOMError(.notPart10, "the input is too short to be DICOM", offset: buffer.readerIndex - origin)
        }
        let explicit = VR(byte0: byte0, byte1: byte1) != nil
        func plausible(_ group: UInt16) -> Bool { group <= 0x0010 }
        if plausible(littleGroup) {
            return explicit ? .explicitVRLittleEndian : .implicitVRLittleEndian
        }
        if plausible(bigGroup) && explicit {
            return .explicitVRBigEndian
        }
        throw DICOMError(
            .notPart10, "the data set does not start with a data element", offset: start - origin)
    }

    /// Inflates the rest of the buffer: a raw deflate stream (RFC 1951) with no zlib header (PS3.5 §A.5).
    private static func inflate(_ buffer: inout ByteBuffer, origin: Int, limit: Int) throws -> ByteBuffer {
        let offset = buffer.readerIndex - origin
        do {
            return try buffer.decompress(with: .deflate(), maxSize: limit)
        } catch {
            throw DICOMError(.deflate, "the deflated data set cannot be inflated (\(error))", offset: offset)
        }
    }
}
