import JSON
import Testing

@Suite struct JSONScannerTests {
    private func ranges(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = JSONScanner(bytes: bytes)
            var found: [String] = []
            guard scanner.take(UInt8(ascii: "[")) else { return found }
            repeat {
                guard let range = scanner.skipValue() else { return found + ["<nil>"] }
                found.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            } while scanner.take(UInt8(ascii: ","))
            if !scanner.take(UInt8(ascii: "]")) || !scanner.isAtEnd { found.append("<end>") }
            return found
        }
    }

    @Test func findsTheRangesOfValues() {
        #expect(
            ranges(#"["a\"]",{"b":[1,"}"]},1.50,null,[]]"#) == [#""a\"]""#, #"{"b":[1,"}"]}"#, "1.50", "null", "[]"])
    }

    @Test func returnsNilInsteadOfReadingPastTheEnd() {
        #expect(ranges(#"["abc"#) == ["<nil>"])
        #expect(ranges(#"[{"a":[1]"#) == ["<nil>"])
        #expect(ranges("[1") == ["<nil>"])
    }
}
