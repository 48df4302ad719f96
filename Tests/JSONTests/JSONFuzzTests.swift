import Foundation
import JSON
import NIOCore
import Testing

/// A deterministic mutation fuzzer for the JSON core: random bytes, and byte flips, cuts, splices and insertions
/// of JSON tokens in real documents. Every input must parse or throw ``JSONError`` under each face's options; a
/// parsed input must write and read back to the same value, and its written form must be stable.
///
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of inputs (`scripts/test` runs 10,000; 2,000 by default).
@Suite struct JSONFuzzTests {
    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    private static let seeds: [[UInt8]] = [
        #"{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{}}}"#,
        #"{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^John"}]},"00280030":{"vr":"DS","Value":[1.50,1e3]}}"#,
        #"[1,-0,0.5e-3,true,false,null,"\u00e9\ud83d\ude00\n\"\\/",[],{},[[{"a":[{}]}]]]"#,
        #"{"Level":"Study","Query":{"PatientName":"*"},"Limit":5,"a":1,"a":2}"#,
    ].map { Array($0.utf8) }

    private static let tokens: [[UInt8]] =
        [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00", "-", "0", "1e", ".", "e+", "true",
            "nul", " ", "\u{0}", "\u{1F}",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]

    private static let faces: [JSONParser.Options] = [
        .init(maximumDepth: 128, maximumSize: 1 << 30, duplicateKeys: .keepAll),
        .init(maximumDepth: 50, invalidUTF8: .replace),
        .init(maximumDepth: 256, invalidUTF8: .replace, unpairedSurrogates: .replace, numbers: .lenient),
        .init(maximumDepth: 4, maximumSize: 64),
    ]

    @Test func mutantsParseOrThrowTypedErrorsAndRoundTrip() throws {
        var random = SplitMix64(seed: 0x4A_53_4F_4E)
        var parsed = 0
        var refused = 0
        for iteration in 0..<Self.iterations {
            let bytes: [UInt8]
            if iteration % 8 == 0 {
                bytes = (0..<Int(random.next() % 48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                var mutant = Self.seeds[Int(random.next() % UInt64(Self.seeds.count))]
                for _ in 0...Int(random.next() % 3) { Self.mutate(&mutant, random: &random) }
                bytes = mutant
            }
            for options in Self.faces {
                do {
                    let value = try JSONParser.parse(bytes, options: options)
                    parsed += 1
                    let written = value.serialized()
                    let reread = try JSONParser.parse(written, options: options)
                    #expect(reread == value, "\(bytes)")
                    #expect(reread.serialized() == written, "\(bytes)")
                } catch {
                    refused += 1
                    #expect(error.offset >= 0)
                }
            }
        }
        #expect(parsed > 0)
        #expect(refused > 0)
    }

    private static func mutate(_ bytes: inout [UInt8], random: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes = tokens[Int(random.next() % UInt64(tokens.count))]
            return
        }
        let position = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 5 {
        case 0: bytes[position] ^= UInt8(1 << (random.next() % 8))
        case 1: bytes.removeSubrange(position...)
        case 2: bytes.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: position)
        case 3:
            let end = min(bytes.count, position + 1 + Int(random.next() % 8))
            bytes.removeSubrange(position..<end)
        default:
            let other = seeds[Int(random.next() % UInt64(seeds.count))]
            let cut = Int(random.next() % UInt64(other.count))
            bytes = Array(bytes[..<position]) + Array(other[cut...])
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
