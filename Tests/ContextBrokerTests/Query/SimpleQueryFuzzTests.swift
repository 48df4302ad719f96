import Foundation
import Testing

@testable import ContextBroker

/// A deterministic fuzzer for the Simple Query Language parser: random texts over the language's own
/// characters, and mutations of real `q` and `mq` expressions. Every text must parse or throw ``NGSIError``
/// with status 400; parsing is deterministic.
///
/// `ATRIUM_FUZZ_ITERATIONS` sets the number of texts (`scripts/test` runs 10,000; 2,000 by default).
@Suite struct SimpleQueryFuzzTests {
    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    private static let seeds = [
        "temperature>20;humidity<=80", "name=='Room 1','Room 2'", "pressure==1..5", "!status",
        "location.address.city~=Ber", "a.b.c!=null;d==true", "t==2024-01-01T00:00:00Z..2024-12-31T23:59:59Z",
        "'x.y'.z==\"q\"", "n:1,2,3", "temperature.accuracy>0.5", "speed>=-1e3;x<.5",
    ]

    private static let alphabet = Array("ab.=!<>~:;,'\"()0123456789-+eTZ .. \u{1}é😀")

    @Test func textsParseOrThrowBadRequest() {
        var random = SplitMix64(seed: 0x51_4C)
        for iteration in 0..<Self.iterations {
            var characters: [Character]
            if iteration % 4 == 0 {
                characters = (0..<Int(random.next() % 24)).map { _ in
                    Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))]
                }
            } else {
                characters = Array(Self.seeds[Int(random.next() % UInt64(Self.seeds.count))])
                for _ in 0...Int(random.next() % 3) {
                    let position = characters.isEmpty ? 0 : Int(random.next() % UInt64(characters.count))
                    let character = Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))]
                    switch random.next() % 3 {
                    case 0 where !characters.isEmpty: characters[position] = character
                    case 1 where !characters.isEmpty: characters.removeSubrange(position...)
                    default: characters.insert(character, at: position)
                    }
                }
            }
            let text = String(characters)
            for metadata in [false, true] {
                do {
                    let first = try SimpleQuery(text, metadata: metadata)
                    #expect(try SimpleQuery(text, metadata: metadata) == first, "\(text)")
                } catch {
                    #expect(error.code == .badRequest, "\(text)")
                }
            }
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
