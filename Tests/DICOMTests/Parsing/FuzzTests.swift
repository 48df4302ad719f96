import DICOM
import Foundation
import NIOCore
import Testing

/// A deterministic mutation fuzzer: random bit flips, byte overwrites, length-field smashes, cuts and
/// splices of real and synthetic files. Every mutant must parse or throw `DICOMError`; a parsed mutant must
/// write and read back. A crash fails the whole test process, which is the point.
///
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of mutants (`scripts/test` runs 10,000; 2,000 by default).
@Suite struct FuzzTests {
    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    private static func seeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        if let corpus = SampleCorpus.shared {
            // Small files only: the point is many mutants, not big ones.
            for entry in corpus.readable {
                let bytes = Array(try SampleCorpus.bytes(of: entry).readableBytesView)
                if bytes.count < 64 * 1024 { seeds.append(bytes) }
            }
        }
        var data = EncodedBytes()
        data.explicit(0x0008, 0x0060, "CS", Array("CT".utf8))
        data.explicit(0x0008, 0x1115, "SQ", [], length: 0xFFFF_FFFF)
        data.item()
        data.explicit(0x0008, 0x1155, "UI", Array("1.2.3.4".utf8) + [0])
        data.itemEnd()
        data.sequenceEnd()
        data.explicit(0x7FE0, 0x0010, "OB", [], length: 0xFFFF_FFFF)
        data.item(length: 0)
        data.item(length: 2)
        data.bytes += [1, 2]
        data.sequenceEnd()
        seeds.append(
            Array(EncodedBytes.part10(transferSyntax: "1.2.840.10008.1.2.1", dataSet: data.bytes).readableBytesView))
        return seeds
    }

    @Test func mutantsNeverCrash() throws {
        let seeds = try Self.seeds()
        var random = SplitMix64(seed: 0xA7_21_07)
        var parsed = 0
        var rejected = 0
        for _ in 0..<Self.iterations {
            var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
            Self.mutate(&bytes, random: &random)
            let buffer = ByteBuffer(bytes: bytes)
            for options in [ParseOptions(), ParseOptions(stopBeforePixelData: true)] {
                do {
                    let file = try DICOMFile(reading: buffer, options: options)
                    parsed += 1
                    let written = try file.write()
                    _ = try DICOMFile(reading: written, options: options)
                } catch is DICOMError {
                    rejected += 1
                }
            }
        }
        // Both outcomes must occur, or the mutations are too weak (all parse) or too blunt (none parse) to
        // reach the writer and the deep paths of the parser.
        #expect(parsed > 0)
        #expect(rejected > 0)
    }

    private static func mutate(_ bytes: inout [UInt8], random: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let count = 1 + Int(random.next() % 4)
        for _ in 0..<count {
            let position = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0: bytes[position] ^= UInt8(1 << (random.next() % 8))
            case 1: bytes[position] = [0x00, 0xFF, 0xFE, 0xE0, 0xDD][Int(random.next() % 5)]
            case 2:  // smash what may be a length field
                for offset in 0..<4 where position + offset < bytes.count { bytes[position + offset] = 0xFF }
            case 3: bytes.removeSubrange(position...)  // truncate
            case 4: bytes.insert(contentsOf: [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF], at: position)
            default:
                let end = min(bytes.count, position + Int(random.next() % 64))
                bytes.removeSubrange(position..<end)
            }
            if bytes.isEmpty { return }
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood, 2014), so fuzz runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
