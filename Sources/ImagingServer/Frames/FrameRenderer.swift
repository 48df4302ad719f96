import CompressNIO
import DICOM
import NIOCore

/// The decoded renderings of one frame, as Orthanc answers them: `GET /instances/{id}/frames/{n}/{rendering}`.
///
/// Native and RLE Lossless pixel data are decoded by ``PixelDecoder``. JPEG 2000 and other encapsulated
/// syntaxes Orthanc cannot decode without plugins get Orthanc's answer for undecodable data; the JPEG family,
/// which Orthanc decodes, answers 501.
struct FrameRenderer {
    /// The renderings decoded from pixel values.
    enum Rendering: String, CaseIterable {
        case preview
        case imageUInt8 = "image-uint8"
        case imageUInt16 = "image-uint16"
        case imageInt16 = "image-int16"
        case rendered
        case numpy
        case matlab

        /// The renderings answered as images: errors are bare statuses (404, 415) as Orthanc sends them.
        var isImage: Bool { self != .numpy && self != .matlab }
    }

    /// Why a frame cannot be decoded.
    enum Failure: Error, Equatable {
        /// No frame with that index.
        case outOfRange
        /// No RLE frame with that index.
        case rleOutOfRange
        /// A transfer syntax Orthanc does not decode (answered as Orthanc does).
        case undecodable(String)
        /// Pixel data Orthanc decodes and Atrium does not (a JPEG-family syntax, 1-bit cells, palette color): the
        /// message says which.
        case unsupported(String)
        /// The rendering does not exist for this kind of image (e.g. `image-uint8` of a color frame, 32-bit
        /// samples, YBR photometric interpretations).
        case unsupportedFormat
    }

    /// Transfer syntaxes of the JPEG family (PS3.5 §8.2.1, §8.2.3), which Orthanc decodes.
    static let jpegFamily: Set<String> = [
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
    ]

    /// RLE Lossless (PS3.5 Annex G).
    static let rleLossless = "1.2.840.10008.1.2.5"

    /// The frame numbered `index` (from 0), decoded.
    static func decode(_ index: Int, of dataSet: DataSet, transferSyntax: TransferSyntax) throws -> DecodedFrame {
        guard let pixelData = dataSet[.pixelData] else { throw OrthancError(.noPixelData, "no pixel data") }
        let attributes: PixelAttributes
        do {
            attributes = try PixelAttributes(dataSet: dataSet)
        } catch {
            if RawFrame.integer(dataSet, DICOMTag(0x0028, 0x0100)) == 1 {
                throw Failure.unsupported("Atrium does not decode 1-bit pixel data")
            }
            throw Failure.undecodable(transferSyntax.uid)
        }
        if attributes.photometricInterpretation == "PALETTE COLOR" {
            throw Failure.unsupported("Atrium does not decode palette color pixel data")
        }
        if transferSyntax.isEncapsulated && transferSyntax.uid != rleLossless {
            if jpegFamily.contains(transferSyntax.uid) {
                throw Failure.unsupported("Atrium does not decode the transfer syntax \(transferSyntax.uid)")
            }
            throw Failure.undecodable(transferSyntax.uid)
        }
        guard index >= 0, index < attributes.numberOfFrames else {
            // Orthanc looks for an RLE frame out of range as it decodes it, and fails as on a corrupt frame.
            throw transferSyntax.uid == rleLossless ? Failure.rleOutOfRange : Failure.outOfRange
        }
        let photometric = attributes.photometricInterpretation
        let supported =
            attributes.samplesPerPixel == 1
            ? photometric == "MONOCHROME1" || photometric == "MONOCHROME2" : photometric == "RGB"
        guard attributes.bitsAllocated <= 16, supported else { throw Failure.unsupportedFormat }
        // Orthanc 1.10.1 renders whole cells: it neither masks the bits above High Bit nor sign-extends from
        // Bits Stored (measured with 12-bit data whose upper bits are set).
        var cells = attributes
        cells.bitsStored = attributes.bitsAllocated
        cells.highBit = attributes.bitsAllocated - 1
        let raw: RawFrame
        do {
            raw = try RawFrame(index: index, of: dataSet, transferSyntax: transferSyntax)
        } catch {
            throw Failure.undecodable(transferSyntax.uid)
        }
        do {
            if transferSyntax.uid == rleLossless {
                return try PixelDecoder.decodeRLE(raw.bytes, attributes: cells)
            }
            // RawFrame answers OW values in little endian byte order.
            let bigEndian = !transferSyntax.isLittleEndian && pixelData.vr != .OW
            return try PixelDecoder.decodeNative(raw.bytes, attributes: cells, bigEndian: bigEndian)
        } catch {
            throw Failure.undecodable(transferSyntax.uid)
        }
    }

    /// Orthanc's answer for a rendering of a frame.
    static func answer(
        _ rendering: Rendering, frame index: Int, of dataSet: DataSet, transferSyntax: TransferSyntax,
        query: [String: String], jpegQuality: Int? = nil
    ) throws -> RESTResponse {
        do {
            let frame = try decode(index, of: dataSet, transferSyntax: transferSyntax)
            let image: (PNGEncoder, [UInt8])
            switch rendering {
            case .preview: image = try preview(frame)
            case .rendered: image = try rendered(frame, of: dataSet)
            case .imageUInt8: image = try clamped(frame, to: 0...255, format: .gray8)
            case .imageUInt16: image = try clamped(frame, to: 0...65535, format: .gray16)
            case .imageInt16: image = try clamped(frame, to: -32768...32767, format: .gray16)
            case .numpy: return numpy([frame], of: dataSet, query: query, shapeWithFrames: false)
            case .matlab: return .bytes(ByteBuffer(string: matlab(frame)), contentType: "text/plain")
            }
            guard let quality = jpegQuality else { return try png(image) }
            // Orthanc writes JPEG from 8-bit images only, and answers 404 for the 16-bit ones.
            guard image.0.format != .gray16 else { return .notFound }
            let encoder = JPEGEncoder(
                width: image.0.width, height: image.0.height, components: image.0.format == .rgb8 ? 3 : 1,
                quality: quality)
            return .bytes(try encoder.encode(image.1), contentType: "image/jpeg")
        } catch let failure as Failure {
            switch (failure, rendering.isImage) {
            case (.outOfRange, true): return .notFound
            case (.outOfRange, false): throw OrthancError(.parameterOutOfRange)
            case (.rleOutOfRange, true): return RESTResponse(status: 415, body: .bytes(ByteBuffer()))
            case (.rleOutOfRange, false): throw OrthancError(.badFileFormat, "Cannot decode a non-palette image")
            case (.undecodable, true), (.unsupportedFormat, true):
                return RESTResponse(status: 415, body: .bytes(ByteBuffer()))
            case (.unsupportedFormat, false): throw OrthancError(.noPixelData)
            case (.undecodable(let uid), false):
                throw OrthancError(
                    .noPixelData,
                    "The built-in DCMTK decoder cannot decode some DICOM instance whose transfer syntax is: \(uid)")
            case (.unsupported(let message), _): throw OrthancError(.notImplemented, message)
            }
        }
    }

    /// `GET /instances/{id}/numpy`: every frame, shaped `(frames, rows, columns, samples)`.
    static func allFrames(of dataSet: DataSet, transferSyntax: TransferSyntax, query: [String: String]) throws
        -> RESTResponse
    {
        let count = (try? PixelAttributes(dataSet: dataSet).numberOfFrames) ?? 1
        var frames: [DecodedFrame] = []
        for index in 0..<count {
            do {
                frames.append(try decode(index, of: dataSet, transferSyntax: transferSyntax))
            } catch let failure as Failure {
                switch failure {
                case .undecodable(let uid):
                    throw OrthancError(
                        .noPixelData,
                        "The built-in DCMTK decoder cannot decode some DICOM instance whose transfer syntax is: \(uid)")
                case .unsupported(let message): throw OrthancError(.notImplemented, message)
                case .outOfRange, .rleOutOfRange, .unsupportedFormat: throw OrthancError(.noPixelData)
                }
            }
        }
        return numpy(frames, of: dataSet, query: query, shapeWithFrames: true)
    }

    /// `numpy`: `.npy`, rescaled to `<f4` unless `?rescale=0`; `?compress` wraps it in a `.npz` archive.
    static func numpy(_ frames: [DecodedFrame], of dataSet: DataSet, query: [String: String], shapeWithFrames: Bool)
        -> RESTResponse
    {
        func flag(_ name: String, default value: Bool) -> Bool {
            guard let text = query[name] else { return value }
            return text.isEmpty || text == "1" || text == "true"
        }
        let rescale =
            flag("rescale", default: true)
            ? (number(dataSet, DICOMTag(0x0028, 0x1053)) ?? 1, number(dataSet, DICOMTag(0x0028, 0x1052)) ?? 0) : nil
        let array = NumpyWriter.array(frames, rescale: rescale, shapeWithFrames: shapeWithFrames)
        guard flag("compress", default: false) else { return .bytes(array, contentType: "application/octet-stream") }
        var zip = ZipArchiveWriter()
        var archive = zip.entry(named: "arr_0", contents: array)
        var end = zip.finish()
        archive.writeBuffer(&end)
        return .bytes(archive, contentType: "application/octet-stream")
    }

    /// A PNG answer.
    static func png(_ image: (PNGEncoder, [UInt8])) throws -> RESTResponse {
        .bytes(try image.0.encode(image.1), contentType: "image/png")
    }

    /// `preview`: grayscale stretched from its minimum to its maximum over 0…255 (rounded), MONOCHROME1
    /// inverted; 8-bit color as it is.
    static func preview(_ frame: DecodedFrame) throws -> (PNGEncoder, [UInt8]) {
        let attributes = frame.attributes
        if attributes.samplesPerPixel == 3 {
            guard attributes.bitsAllocated == 8 else { throw Failure.unsupportedFormat }
            return (
                PNGEncoder(width: attributes.columns, height: attributes.rows, format: .rgb8),
                frame.samples.map { UInt8(clamping: $0) }
            )
        }
        guard let range = frame.range else { throw Failure.unsupportedFormat }
        let (low, high) = range
        let span = Double(high - low)
        let invert = attributes.photometricInterpretation == "MONOCHROME1"
        let pixels = frame.samples.map { value -> UInt8 in
            let scaled = span > 0 ? UInt8(clamping: Int((Double(value - low) * 255 / span).rounded())) : 0
            return invert ? 255 - scaled : scaled
        }
        return (PNGEncoder(width: attributes.columns, height: attributes.rows, format: .gray8), pixels)
    }

    /// `rendered`: grayscale through the Modality LUT (Rescale Slope and Intercept) then the first Window Center
    /// and Width, `floor((v − (center − width / 2)) / width × 255)` clipped to 0…255; without a window, 0 to
    /// 2^BitsStored. MONOCHROME1 is inverted; 8-bit color is as it is.
    static func rendered(_ frame: DecodedFrame, of dataSet: DataSet) throws -> (PNGEncoder, [UInt8]) {
        let attributes = frame.attributes
        if attributes.samplesPerPixel == 3 { return try preview(frame) }
        let slope = number(dataSet, DICOMTag(0x0028, 0x1053)) ?? 1
        let intercept = number(dataSet, DICOMTag(0x0028, 0x1052)) ?? 0
        // The frame holds whole cells; the default window spans the data set's Bits Stored.
        let bitsStored = (try? PixelAttributes(dataSet: dataSet))?.bitsStored ?? attributes.bitsStored
        let full = Double(UInt64(1) << UInt64(min(bitsStored, 32)))
        var low = 0.0
        var span = full
        if let center = first(dataSet, DICOMTag(0x0028, 0x1050)), let width = first(dataSet, DICOMTag(0x0028, 0x1051)),
            width > 0
        {
            low = center - width / 2
            span = width
        }
        let invert = attributes.photometricInterpretation == "MONOCHROME1"
        let pixels = frame.samples.map { value -> UInt8 in
            let scaled = ((Double(value) * slope + intercept - low) / span * 255).rounded(.down)
            let byte = UInt8(clamping: Int(min(max(scaled, 0), 255)))
            return invert ? 255 - byte : byte
        }
        return (PNGEncoder(width: attributes.columns, height: attributes.rows, format: .gray8), pixels)
    }

    /// The first value of a multi-valued decimal attribute (DS), e.g. Window Center.
    static func first(_ dataSet: DataSet, _ tag: DICOMTag) -> Double? {
        guard let text = dataSet[tag]?.strings().first else { return nil }
        return Double(text.filter { $0 != " " && $0 != "\0" })
    }

    /// `image-uint8`, `image-uint16`, `image-int16`: grayscale values clamped to the range; 16-bit PNG samples
    /// carry the value's two's complement bits (so negative `image-int16` values read as 65536 + value).
    static func clamped(_ frame: DecodedFrame, to range: ClosedRange<Int64>, format: PNGEncoder.Format) throws
        -> (PNGEncoder, [UInt8])
    {
        guard frame.attributes.samplesPerPixel == 1 else { throw Failure.unsupportedFormat }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(frame.samples.count * format.bytesPerPixel)
        for sample in frame.samples {
            let value = min(max(sample, range.lowerBound), range.upperBound)
            if format == .gray8 {
                pixels.append(UInt8(value))
            } else {
                let bits = UInt16(truncatingIfNeeded: value)
                pixels.append(UInt8(bits >> 8))
                pixels.append(UInt8(bits & 0xFF))
            }
        }
        return (PNGEncoder(width: frame.attributes.columns, height: frame.attributes.rows, format: format), pixels)
    }

    /// `matlab`: `double([ … ])` with rows separated by `; ` for grayscale; color as
    /// `double(permute(reshape([ … ], [ 3 rows columns ]), [ 3 2 1 ]))`. Stored values, no rescale.
    static func matlab(_ frame: DecodedFrame) -> String {
        let attributes = frame.attributes
        var text = ""
        text.reserveCapacity(frame.samples.count * 6 + 64)
        if attributes.samplesPerPixel == 1 {
            text += "double([ "
            for row in 0..<attributes.rows {
                if row > 0 { text += "; " }
                for value in frame.samples[(row * attributes.columns)..<((row + 1) * attributes.columns)] {
                    text += "\(value) "
                }
            }
            text += "])"
        } else {
            text += "double(permute(reshape([ "
            for value in frame.samples { text += "\(value) " }
            text += "], [ \(attributes.samplesPerPixel) \(attributes.rows) \(attributes.columns) ]), [ 3 2 1 ]))"
        }
        return text
    }

    /// A decimal attribute (DS), e.g. Rescale Slope.
    static func number(_ dataSet: DataSet, _ tag: DICOMTag) -> Double? {
        guard let text = dataSet[tag]?.string() else { return nil }
        return Double(text.filter { $0 != " " && $0 != "\0" })
    }
}
