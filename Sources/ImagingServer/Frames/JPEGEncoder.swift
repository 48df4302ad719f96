import Foundation
import NIOCore

/// Writes baseline sequential JPEG images (ITU-T T.81 / ISO/IEC 10918-1, process 1, JFIF): 8-bit grayscale, or
/// 8-bit RGB converted to YCbCr (JFIF §7) without subsampling; the example tables of Annex K (K.1 quantization
/// scaled by `quality` as the IJG software does, K.3 Huffman).
struct JPEGEncoder {
    let width: Int
    let height: Int
    /// 1 (grayscale) or 3 (RGB, color-by-pixel).
    let components: Int
    /// 1 to 100; Orthanc's default is 90.
    let quality: Int

    /// Table K.1, luminance quantization, in natural (row-major) order.
    static let luminance: [Int] = [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ]
    /// Table K.2, chrominance quantization.
    static let chrominance: [Int] = [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ]
    /// The zig-zag sequence (Figure A.6): `zigzag[k]` is the natural index of the k-th coefficient.
    static let zigzag: [Int] = [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63,
    ]

    /// A Huffman table: the BITS and HUFFVAL lists of §B.2.4.2 and the codes derived from them (Annex C).
    struct HuffmanTable {
        let counts: [UInt8]
        let symbols: [UInt8]
        var codes: [Int: (code: UInt32, length: Int)] = [:]

        init(counts: [UInt8], symbols: [UInt8]) {
            self.counts = counts
            self.symbols = symbols
            var code: UInt32 = 0
            var index = 0
            for length in 1...16 {
                for _ in 0..<Int(counts[length - 1]) {
                    codes[Int(symbols[index])] = (code, length)
                    code += 1
                    index += 1
                }
                code <<= 1
            }
        }
    }

    /// Tables K.3 to K.6.
    static let dcLuminance = HuffmanTable(
        counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: Array(0...11))
    static let dcChrominance = HuffmanTable(
        counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], symbols: Array(0...11))
    static let acLuminance = HuffmanTable(
        counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D],
        symbols: [
            0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71,
            0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72,
            0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37,
            0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
            0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83,
            0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3,
            0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3,
            0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
            0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
        ])
    static let acChrominance = HuffmanTable(
        counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
        symbols: [
            0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22,
            0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1,
            0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x35, 0x36,
            0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
            0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A,
            0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A,
            0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA,
            0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
            0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
        ])

    /// A quantization table scaled by quality: 5000 / q below 50, 200 − 2q from 50, clamped to 1…255.
    static func scaled(_ table: [Int], quality: Int) -> [Int] {
        let q = min(max(quality, 1), 100)
        let scale = q < 50 ? 5000 / q : 200 - 2 * q
        return table.map { min(max(($0 * scale + 50) / 100, 1), 255) }
    }

    /// The JPEG file of `pixels` (one byte per sample, color-by-pixel).
    ///
    /// - Throws: `OrthancError.internalError` when the pixels do not match the size.
    func encode(_ pixels: [UInt8]) throws -> ByteBuffer {
        guard width > 0, height > 0, width <= 65535, height <= 65535, components == 1 || components == 3,
            pixels.count == width * height * components
        else { throw OrthancError(.internalError, "the image does not match its size") }
        let tables = [Self.scaled(Self.luminance, quality: quality), Self.scaled(Self.chrominance, quality: quality)]
        var out = ByteBuffer()
        out.writeBytes([0xFF, 0xD8])
        // APP0 JFIF 1.01, no density.
        out.writeBytes([0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        for (id, table) in tables.prefix(components == 1 ? 1 : 2).enumerated() {
            out.writeBytes([0xFF, 0xDB, 0, 67, UInt8(id)])
            out.writeBytes(Self.zigzag.map { UInt8(table[$0]) })
        }
        out.writeBytes([0xFF, 0xC0])
        out.writeInteger(UInt16(8 + 3 * components))
        out.writeInteger(UInt8(8))
        out.writeInteger(UInt16(height))
        out.writeInteger(UInt16(width))
        out.writeInteger(UInt8(components))
        for component in 0..<components { out.writeBytes([UInt8(component + 1), 0x11, component == 0 ? 0 : 1]) }
        let huffman = [
            (0x00, Self.dcLuminance), (0x10, Self.acLuminance), (0x01, Self.dcChrominance), (0x11, Self.acChrominance),
        ]
        for (id, table) in huffman.prefix(components == 1 ? 2 : 4) {
            out.writeBytes([0xFF, 0xC4])
            out.writeInteger(UInt16(2 + 1 + 16 + table.symbols.count))
            out.writeInteger(UInt8(id))
            out.writeBytes(table.counts)
            out.writeBytes(table.symbols)
        }
        out.writeBytes([0xFF, 0xDA])
        out.writeInteger(UInt16(6 + 2 * components))
        out.writeInteger(UInt8(components))
        for component in 0..<components { out.writeBytes([UInt8(component + 1), component == 0 ? 0x00 : 0x11]) }
        out.writeBytes([0, 63, 0])
        var writer = BitWriter()
        var predictors = [Int](repeating: 0, count: components)
        var block = [Double](repeating: 0, count: 64)
        for blockY in stride(from: 0, to: height, by: 8) {
            for blockX in stride(from: 0, to: width, by: 8) {
                for component in 0..<components {
                    for y in 0..<8 {
                        for x in 0..<8 {
                            // Edge blocks repeat the last row and column.
                            let row = min(blockY + y, height - 1)
                            let column = min(blockX + x, width - 1)
                            let base = (row * width + column) * components
                            block[y * 8 + x] = Self.sample(pixels, base, component, components) - 128
                        }
                    }
                    let chroma = component > 0
                    let coefficients = Self.quantized(block, table: tables[chroma ? 1 : 0])
                    let difference = coefficients[0] - predictors[component]
                    predictors[component] = coefficients[0]
                    writer.encode(
                        coefficients, dc: difference, dcTable: chroma ? Self.dcChrominance : Self.dcLuminance,
                        acTable: chroma ? Self.acChrominance : Self.acLuminance)
                }
            }
        }
        writer.flush()
        out.writeBytes(writer.bytes)
        out.writeBytes([0xFF, 0xD9])
        return out
    }

    /// One component of a pixel: gray, or Y, Cb, Cr from R, G, B (JFIF §7).
    static func sample(_ pixels: [UInt8], _ base: Int, _ component: Int, _ components: Int) -> Double {
        if components == 1 { return Double(pixels[base]) }
        let red = Double(pixels[base])
        let green = Double(pixels[base + 1])
        let blue = Double(pixels[base + 2])
        switch component {
        case 0: return 0.299 * red + 0.587 * green + 0.114 * blue
        case 1: return -0.168_736 * red - 0.331_264 * green + 0.5 * blue + 128
        default: return 0.5 * red - 0.418_688 * green - 0.081_312 * blue + 128
        }
    }

    /// The forward DCT of a level-shifted block (§A.3.3), divided by the table and rounded, in zig-zag order.
    static func quantized(_ block: [Double], table: [Int]) -> [Int] {
        var coefficients = [Int](repeating: 0, count: 64)
        for k in 0..<64 {
            let natural = zigzag[k]
            let v = natural / 8
            let u = natural % 8
            var sum = 0.0
            for y in 0..<8 {
                let cy = cosines[y * 8 + v]
                for x in 0..<8 { sum += block[y * 8 + x] * cosines[x * 8 + u] * cy }
            }
            let cu = u == 0 ? 1 / 2.0.squareRoot() : 1
            let cv = v == 0 ? 1 / 2.0.squareRoot() : 1
            // The DC term is the block's sum over 8, computed exactly so that ties round as they should.
            let value = k == 0 ? block.reduce(0, +) / 8 : 0.25 * cu * cv * sum
            coefficients[k] = Int((value / Double(table[natural])).rounded())
        }
        return coefficients
    }

    /// cos((2x + 1) u π / 16), indexed `x * 8 + u`.
    static let cosines: [Double] = (0..<64).map { index in
        let x = Double(index / 8)
        let u = Double(index % 8)
        return cos((2 * x + 1) * u * Double.pi / 16)
    }

    /// The entropy-coded segment: bits packed most significant first, 0xFF followed by a stuffed 0x00 (§B.1.1.5).
    struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var count = 0

        mutating func write(_ code: UInt32, _ length: Int) {
            guard length > 0 else { return }
            accumulator = accumulator << UInt32(length) | (code & ((1 << UInt32(length)) - 1))
            count += length
            while count >= 8 {
                let byte = UInt8(truncatingIfNeeded: accumulator >> UInt32(count - 8))
                bytes.append(byte)
                if byte == 0xFF { bytes.append(0) }
                count -= 8
            }
            accumulator &= (1 << UInt32(count)) - 1
        }

        /// Pads the last byte with 1 bits.
        mutating func flush() {
            if count > 0 { write((1 << UInt32(8 - count)) - 1, 8 - count) }
        }

        /// The magnitude category of a value and its additional bits (§F.1.2.1).
        static func category(_ value: Int) -> (size: Int, bits: UInt32) {
            var magnitude = abs(value)
            var size = 0
            while magnitude > 0 {
                size += 1
                magnitude >>= 1
            }
            let bits = value >= 0 ? UInt32(value) : UInt32(truncatingIfNeeded: value - 1)
            return (size, size == 0 ? 0 : bits & ((1 << UInt32(size)) - 1))
        }

        /// One block: the DC difference, then run-length coded AC coefficients (§F.1.2).
        mutating func encode(_ block: [Int], dc: Int, dcTable: HuffmanTable, acTable: HuffmanTable) {
            let (size, bits) = Self.category(dc)
            if let code = dcTable.codes[size] { write(code.code, code.length) }
            write(bits, size)
            var run = 0
            for index in 1..<64 {
                let value = block[index]
                if value == 0 {
                    run += 1
                    continue
                }
                while run > 15 {
                    if let code = acTable.codes[0xF0] { write(code.code, code.length) }
                    run -= 16
                }
                let (acSize, acBits) = Self.category(value)
                if let code = acTable.codes[run << 4 | acSize] { write(code.code, code.length) }
                write(acBits, acSize)
                run = 0
            }
            if run > 0, let code = acTable.codes[0x00] { write(code.code, code.length) }
        }
    }
}
