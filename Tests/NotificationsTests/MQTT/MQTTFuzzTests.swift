import Foundation
import NIOCore
import Notifications
import Testing

/// A deterministic mutation fuzzer of what a broker sends: CONNACK, acknowledgements, PUBLISH and SUBACK streams
/// with bit flips, byte overwrites, smashed length fields, cuts and insertions, fed whole and in pieces to the
/// decoder, and every decoded packet to a connection state machine with publications in flight. Every mutant must
/// decode or fail with ``MQTTProtocolError``; every publication must complete exactly once; a crash fails the
/// test process.
///
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of mutants (2,000 by default).
@Suite("MQTT fuzzing")
struct MQTTFuzzTests {
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
        func bytes(_ packets: [MQTTPacket]) -> [UInt8] { packets.flatMap(MQTTPacketTests.bytes) }
        let accepted = MQTTPacket.connectAcknowledgement(.init(returnCode: .accepted))
        return [
            bytes([
                accepted, .publishAcknowledgement(packetIdentifier: 1), .publishReceived(packetIdentifier: 2),
                .publishComplete(packetIdentifier: 2), .pingResponse,
            ]),
            bytes([.connectAcknowledgement(.init(returnCode: .badUserNameOrPassword))]),
            bytes([
                accepted,
                .publish(.init(topic: "a/b", payload: ByteBuffer(string: "{}"), qualityOfService: .atMostOnce)),
                .publish(
                    .init(
                        topic: "é/x", payload: ByteBuffer(string: "payload"), qualityOfService: .exactlyOnce,
                        retain: true, packetIdentifier: 7)),
                .publishRelease(packetIdentifier: 7),
                .subscribeAcknowledgement(.init(packetIdentifier: 1, grantedQualities: [.atLeastOnce, nil])),
            ]),
            bytes([
                accepted,
                .publish(
                    .init(
                        topic: "big", payload: ByteBuffer(repeating: 0x41, count: 300), qualityOfService: .atLeastOnce,
                        packetIdentifier: 1)),
                .publishAcknowledgement(packetIdentifier: 1),
            ]),
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

    /// Feeds `bytes` in pieces of `piece` bytes to the decoder and what it decodes to a state machine with three
    /// publications waiting; at the end the connection closes. Returns the problems seen.
    static func consume(_ bytes: [UInt8], piece: Int) -> [String] {
        var problems: [String] = []
        var decoder = MQTTPacketDecoder()
        var machine = MQTTConnectionStateMachine(
            connect: .init(clientIdentifier: "atrium-fuzz", keepAliveSeconds: 60))
        var pending = Set<MQTTConnectionStateMachine.PublicationID>()
        func apply(_ actions: [MQTTConnectionStateMachine.Action]) {
            for action in actions {
                switch action {
                case .write(_, completing: let publication?), .succeed(let publication), .fail(let publication, _):
                    if pending.remove(publication) == nil { problems.append("\(publication) completed twice") }
                case .write, .close:
                    break
                }
            }
        }
        apply(machine.connectionEstablished())
        for quality in [MQTTQualityOfService.atLeastOnce, .exactlyOnce, .atMostOnce] {
            let (publication, actions) = machine.publishRequested(
                .init(topic: "t", payload: ByteBuffer(string: "x"), qualityOfService: quality))
            pending.insert(publication)
            apply(actions)
        }
        var buffer = ByteBuffer()
        var offset = 0
        feeding: while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            buffer.writeBytes(bytes[offset..<end])
            offset = end
            do {
                while let packet = try decoder.next(&buffer) {
                    // What decodes encodes to bytes that decode to the same packet.
                    var encoded = ByteBuffer()
                    packet.write(to: &encoded)
                    var again = MQTTPacketDecoder()
                    if (try? again.next(&encoded)) != packet { problems.append("\(packet) does not round-trip") }
                    apply(machine.packetReceived(packet))
                }
            } catch {
                apply(machine.decodingFailed(error))
                if machine.isConnected {
                    problems.append("\(error) did not close the connection")
                }
                break feeding
            }
        }
        apply(machine.connectionClosed())
        if !pending.isEmpty { problems.append("\(pending.count) publications never completed") }
        return problems
    }

    @Test("every mutant of broker bytes decodes or fails with MQTTProtocolError, and completes every publication once")
    func mutantsDecodeOrFailCleanly() {
        var generator = Generator(state: 0x4D51_5454)
        let seeds = Self.seeds()
        for seed in seeds {
            #expect(Self.consume(seed, piece: seed.count) == [], "seed")
        }
        var failures = 0
        for iteration in 0..<Self.iterations {
            let mutant = Self.mutate(seeds[iteration % seeds.count], using: &generator)
            let piece = iteration % 3 == 0 ? 1 : Int.random(in: 1...512, using: &generator)
            let problems = Self.consume(mutant, piece: piece)
            if !problems.isEmpty {
                failures += 1
                if failures <= 5 { Issue.record("mutant \(mutant): \(problems)") }
            }
        }
        #expect(failures == 0)
    }
}
