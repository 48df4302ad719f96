import DICOM
import NIOCore
import Testing

@testable import ImagingServer

@Suite struct NumpyWriterTests {
    let frame = DecodedFrame(
        attributes: PixelAttributes(rows: 1, columns: 2, bitsAllocated: 16, isSigned: true), samples: [-3, 500])

    @Test func rescaledToFloat32() {
        var array = NumpyWriter.array([frame], rescale: (2, -1))
        #expect(array.readBytes(length: 8) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = array.readInteger(endianness: .little, as: UInt16.self)
        #expect(length == 118)
        let header = array.readString(length: 118)
        #expect(header?.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (1,2,1), }   ") == true)
        #expect(header?.hasSuffix(" \n") == true)
        let first = array.readInteger(endianness: .little, as: UInt32.self).map(Float.init(bitPattern:))
        let second = array.readInteger(endianness: .little, as: UInt32.self).map(Float.init(bitPattern:))
        #expect(first == -7)
        #expect(second == 999)
        #expect(array.readableBytes == 0)
    }

    @Test func storedTypeWithFrames() {
        var array = NumpyWriter.array([frame, frame], rescale: nil, shapeWithFrames: true)
        array.moveReaderIndex(forwardBy: 10)
        let header = array.readString(length: 118) ?? ""
        #expect(header.hasPrefix("{'descr': '<i2', 'fortran_order': False, 'shape': (2,1,2,1), }"))
        #expect(array.readInteger(endianness: .little, as: Int16.self) == -3)
        #expect(array.readableBytes == 6)
    }
}
