import DICOM
import NIOCore

/// Writes frames as a NumPy `.npy` file (format version 1.0): the magic string, a little-endian 16-bit header
/// length, a Python dict literal padded with spaces to a multiple of 64 bytes ending in a newline, then the data
/// in C order.
enum NumpyWriter {
    /// One frame `(rows, columns, samples)`, or several `(frames, rows, columns, samples)` when `shapeWithFrames`.
    ///
    /// With `rescale` (slope, intercept), grayscale values become `value × slope + intercept` as `<f4`, as
    /// Orthanc's default; color frames and frames without `rescale` keep their type (`|u1`/`<u1`, `<u2`, `<i2`).
    static func array(_ frames: [DecodedFrame], rescale: (Double, Double)?, shapeWithFrames: Bool = false)
        -> ByteBuffer
    {
        guard let first = frames.first else { return ByteBuffer() }
        let attributes = first.attributes
        let asFloat = rescale != nil && attributes.samplesPerPixel == 1
        let (descr, size): (String, Int) =
            if asFloat {
                ("<f4", 4)
            } else if attributes.bitsAllocated == 8 {
                (attributes.isSigned ? "<i1" : "<u1", 1)
            } else {
                (attributes.isSigned ? "<i2" : "<u2", 2)
            }
        var shape = "\(attributes.rows),\(attributes.columns),\(attributes.samplesPerPixel)"
        if shapeWithFrames { shape = "\(frames.count)," + shape }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape)), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var buffer = ByteBuffer(bytes: [0x93] + Array("NUMPY".utf8) + [1, 0])
        buffer.writeInteger(UInt16(header.utf8.count), endianness: .little)
        buffer.writeString(header)
        buffer.reserveCapacity(buffer.readableBytes + frames.count * first.samples.count * size)
        for frame in frames {
            for value in frame.samples {
                if asFloat, let rescale {
                    let scaled = Float(Double(value) * rescale.0 + rescale.1)
                    buffer.writeInteger(scaled.bitPattern, endianness: .little)
                } else if size == 1 {
                    buffer.writeInteger(UInt8(truncatingIfNeeded: value))
                } else {
                    buffer.writeInteger(UInt16(truncatingIfNeeded: value), endianness: .little)
                }
            }
        }
        return buffer
    }
}
