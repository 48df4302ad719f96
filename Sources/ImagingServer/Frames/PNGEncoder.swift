import CompressNIO
import NIOCore

/// Writes PNG images (ISO/IEC 15948, W3C PNG 2nd edition): grayscale 8 or 16 bits, RGB 8 bits, no interlace,
/// filter type 0 (None) on every scanline, the image data compressed as one zlib stream (RFC 1950).
struct PNGEncoder {
    /// The pixel formats written (PNG §11.2.2, IHDR color type and bit depth).
    enum Format {
        /// Color type 0, bit depth 8: one byte per pixel.
        case gray8
        /// Color type 0, bit depth 16: two bytes per pixel, most significant first.
        case gray16
        /// Color type 2, bit depth 8: R, G, B bytes per pixel.
        case rgb8

        var bytesPerPixel: Int {
            switch self {
            case .gray8: 1
            case .gray16: 2
            case .rgb8: 3
            }
        }
    }

    let width: Int
    let height: Int
    let format: Format

    /// The PNG file of an image whose `pixels` are the scanlines' bytes without filter bytes
    /// (`width × height × bytesPerPixel`).
    ///
    /// - Throws: `OrthancError.internalError` when the image data cannot be compressed or does not match the size.
    func encode(_ pixels: [UInt8]) throws -> ByteBuffer {
        let stride = width * format.bytesPerPixel
        guard pixels.count == stride * height, width > 0, height > 0 else {
            throw OrthancError(.internalError, "the image does not match its size")
        }
        var scanlines = ByteBuffer()
        scanlines.reserveCapacity((stride + 1) * height)
        for row in 0..<height {
            scanlines.writeInteger(UInt8(0))
            scanlines.writeBytes(pixels[(row * stride)..<((row + 1) * stride)])
        }
        let compressed: ByteBuffer
        do {
            compressed = try scanlines.compress(with: .zlib())
        } catch {
            throw OrthancError(.internalError, "the PNG image data cannot be compressed")
        }
        var header = ByteBuffer()
        header.writeInteger(UInt32(width))
        header.writeInteger(UInt32(height))
        switch format {
        case .gray8: header.writeBytes([8, 0])
        case .gray16: header.writeBytes([16, 0])
        case .rgb8: header.writeBytes([8, 2])
        }
        header.writeBytes([0, 0, 0])  // compression 0 (deflate), filter method 0, no interlace
        var png = ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        Self.writeChunk("IHDR", header, to: &png)
        Self.writeChunk("IDAT", compressed, to: &png)
        Self.writeChunk("IEND", ByteBuffer(), to: &png)
        return png
    }

    /// Appends a chunk: length, type, data, and the CRC-32 of type and data (PNG §5.3).
    static func writeChunk(_ type: String, _ data: ByteBuffer, to png: inout ByteBuffer) {
        png.writeInteger(UInt32(data.readableBytes))
        var crc = CRC32()
        let typeBytes = Array(type.utf8)
        typeBytes.withUnsafeBytes { crc.update($0) }
        data.withUnsafeReadableBytes { crc.update($0) }
        png.writeBytes(typeBytes)
        var copy = data
        png.writeBuffer(&copy)
        png.writeInteger(crc.value)
    }
}
