import DICOMNetwork
import Foundation
import NIOCore
import Testing

/// A deterministic mutation fuzzer of what a peer sends: association requests and P-DATA-TF PDUs with bit flips,
/// byte overwrites, smashed length fields and cuts, fed whole and in pieces to the PDU decoder, then to the
/// message assembler. Every mutant must decode or throw the layer's error; a crash fails the test process.
///
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of mutants (`scripts/test` runs 10,000; 2,000 by default).
@Suite struct UpperLayerFuzzTests {
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

    static func seeds() -> [[UInt8]] {
        func bytes(_ pdu: PDU) -> [UInt8] {
            var buffer = ByteBuffer()
            pdu.write(to: &buffer)
            return Array(buffer.readableBytesView)
        }
        var identity = PDUCodecTests.sampleRequest()
        identity.userInformation.userIdentity = UserIdentity(
            type: 2, positiveResponseRequested: true, primaryField: Array("user".utf8),
            secondaryField: Array("secret".utf8))
        identity.userInformation.asynchronousOperationsWindow = (invoked: 1, performed: 1)
        var store = CommandSet.request(
            .cStoreRequest, messageID: 1, sopClass: "1.2.840.10008.5.1.4.1.1.2", hasDataSet: true)
        store.setString(CommandSet.affectedSOPInstanceUID, "1.2.3.4")
        let message = DIMSEMessage(contextID: 1, command: store, dataSet: ByteBuffer(repeating: 7, count: 300))
        return [
            bytes(.associateRequest(PDUCodecTests.sampleRequest())),
            bytes(.associateRequest(identity)),
            PDU.dataPDUs(message.presentationDataValues, maximumLength: 128).flatMap(bytes),
            bytes(.associateReject(.noReason)) + bytes(.releaseRequest) + bytes(.abort(.serviceUser)),
        ]
    }

    static func mutate(_ seed: [UInt8], using generator: inout Generator) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            case 1: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 2:
                // A length field smashed to an extreme.
                let extremes: [UInt8] = [0xFF, 0x00, 0x7F, 0x80]
                let extreme = extremes[Int.random(in: 0..<extremes.count, using: &generator)]
                for offset in position..<min(bytes.count, position + 4) { bytes[offset] = extreme }
            case 3: bytes.removeSubrange(position..<bytes.count)
            default:
                var inserted: [UInt8] = []
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    inserted.append(UInt8.random(in: 0...255, using: &generator))
                }
                bytes.insert(contentsOf: inserted, at: position)
            }
        }
        return bytes
    }

    /// Decodes every PDU of `bytes`, feeding them in pieces of `piece` bytes, and assembles the P-DATA-TF.
    static func consume(_ bytes: [UInt8], piece: Int) {
        let decoder = PDUDecoder(maximumDataLength: 16384)
        var assembler = MessageAssembler(maximumDataSetLength: 1 << 20)
        var buffer = ByteBuffer()
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            do {
                while let pdu = try decoder.decode(&buffer) {
                    guard case .data(let values) = pdu else { continue }
                    for value in values { _ = try assembler.append(value) }
                }
            } catch is UpperLayerError {
                return
            } catch is MessageAssembler.AssemblyError {
                return
            } catch {
                Issue.record("unexpected error \(error)")
                return
            }
        }
    }

    @Test func mutantsDecodeOrFailCleanly() {
        var generator = Generator(state: 0x00A7_2105)
        let seeds = Self.seeds()
        for iteration in 0..<Self.iterations {
            let mutant = Self.mutate(seeds[iteration % seeds.count], using: &generator)
            Self.consume(mutant, piece: iteration % 3 == 0 ? 1 : Int.random(in: 1...4096, using: &generator))
        }
    }

    @Test func commandSetMutantsDecodeOrFailCleanly() {
        var generator = Generator(state: 0xC0FF_EE00)
        var request = CommandSet.request(
            .cFindRequest, messageID: 9, sopClass: "1.2.840.10008.5.1.4.1.2.2.1", hasDataSet: true)
        request.setString(CommandSet.moveDestinationElement, "DEST", padding: 0x20)
        let seed = Array(request.encoded().readableBytesView)
        for _ in 0..<Self.iterations {
            let mutant = Self.mutate(seed, using: &generator)
            if let decoded = try? CommandSet(decoding: ByteBuffer(bytes: mutant)) {
                // What decodes encodes and decodes to the same values.
                #expect((try? CommandSet(decoding: decoded.encoded())) == decoded)
            }
        }
    }
}
