import DICOM
import Foundation
import NIOCore
import Testing

@testable import ImagingServer

/// A deterministic mutation fuzzer of the reading of streamed C-STOREs: files too large for the first prefix, with
/// bytes flipped, overwritten or cut around their element headers, read through a prefix and ``DataSetTail``. Every
/// mutant must give a reading or an ``IngestRejection``; a crash or a trap fails the test process.
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of mutants (2,000 by default; `scripts/test` runs 10,000).
@Suite struct StreamedReadingFuzzTests {
    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    /// SplitMix64: the same mutants on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Positions worth mutating: the start of the file, the headers around Pixel Data, the end.
    static func hotSpots(of bytes: [UInt8]) -> [Range<Int>] {
        var spots = [0..<min(bytes.count, 600), max(0, bytes.count - 400)..<bytes.count]
        for index in 0..<(bytes.count - 4) where bytes[index] == 0xE0 && bytes[index + 1] == 0x7F {
            spots.append(max(0, index - 16)..<min(bytes.count, index + 32))
        }
        for index in 0..<(bytes.count - 4)
        where bytes[index] == 0xFE && bytes[index + 1] == 0xFF && (bytes[index + 2] & 0xF0) == 0x00 {
            spots.append(index..<min(bytes.count, index + 8))
        }
        return spots
    }

    @Test func mutantsAreReadOrRefused() throws {
        var generator = Generator(state: 0x57_3EA3)
        var outcomes = (read: 0, refused: 0)
        let seeds = try InstanceReaderPrefixTests.cases.map { transferSyntax, encapsulated in
            Array(
                try InstanceReaderPrefixTests.file(transferSyntax: transferSyntax, encapsulated: encapsulated)
                    .readableBytesView)
        }
        let spots = seeds.map(Self.hotSpots)
        for iteration in 0..<Self.iterations {
            let pick = iteration % seeds.count
            var bytes = seeds[pick]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let spot = spots[pick][Int.random(in: 0..<spots[pick].count, using: &generator)]
                guard !spot.isEmpty, !bytes.isEmpty else { continue }
                let position = min(bytes.count - 1, Int.random(in: spot, using: &generator))
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                case 1: bytes[position] = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &generator)]
                case 2:
                    for offset in position..<min(bytes.count, position + 4) { bytes[offset] = 0xFF }
                default: bytes.removeSubrange(position..<bytes.count)
                }
            }
            switch InstanceReaderPrefixTests.readThroughPrefix(ByteBuffer(bytes: bytes)).0 {
            case .success: outcomes.read += 1
            case .failure: outcomes.refused += 1
            }
        }
        // Both ways out are exercised.
        #expect(outcomes.read > 0 && outcomes.refused > 0)
    }
}
