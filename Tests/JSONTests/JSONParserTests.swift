import JSON
import NIOCore
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String, _ options: JSONParser.Options = .init()) throws(JSONError) -> JSONValue {
        try JSONParser.parse(text, options: options)
    }

    private func code(_ text: String, _ options: JSONParser.Options = .init()) -> JSONError.Code? {
        do {
            _ = try parse(text, options)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func keepsMemberOrder() throws {
        let value = try parse(#"{"z":1,"a":2,"m":{"y":null,"b":true}}"#)
        guard case .object(let members) = value, case .object(let inner)? = value["m"] else {
            Issue.record("not objects")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
        #expect(inner.map(\.key) == ["y", "b"])
    }

    @Test(arguments: ["1.50", "1e3", "-0", "0.0", "-2.5E+03", "123456789012345678901234567890", "1e400"])
    func keepsNumberLiteralsExactly(literal: String) throws {
        #expect(try parse("[\(literal)]") == .array([.number(JSONNumber(literal: literal))]))
        #expect(String(buffer: try parse(literal).serialized()) == literal)
    }

    @Test func laterDuplicateWinsInTheFirstPosition() throws {
        let value = try parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value == .object([("a", .number("3")), ("b", .number("2"))]))
    }

    @Test func duplicatesInLargeObjectsGoThroughTheHashIndex() throws {
        let keys = (0..<40_000).map { "k\($0)" }
        let text =
            "{" + (keys + ["k7", "k39999"]).enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",") + "}"
        guard case .object(let members) = try parse(text) else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 40_000)
        #expect(members[7] == (key: "k7", value: .number("40000")) as (key: String, value: JSONValue))
        #expect(members[39_999].value == .number("40001"))
    }

    @Test func keepAllKeepsEveryDuplicate() throws {
        let value = try parse(#"{"a":1,"a":2}"#, .init(duplicateKeys: .keepAll))
        #expect(value == .object([("a", .number("1")), ("a", .number("2"))]))
        #expect(value["a"] == .number("1"))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#])
    func unpairedSurrogatesAreRefusedOrReplaced(text: String) throws {
        #expect(code(text) == .unpairedSurrogate)
        guard case .string(let decoded) = try parse(text, .init(unpairedSurrogates: .replace)) else {
            Issue.record("not a string")
            return
        }
        #expect(decoded.hasPrefix("\u{FFFD}"))
    }

    @Test func invalidUTF8IsRefusedOrReplaced() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(throws: JSONError(.invalidUTF8, "", offset: 0)) { try JSONParser.parse(bytes) }
        #expect(try JSONParser.parse(bytes, options: .init(invalidUTF8: .replace)) == .string("a\u{FFFD}b"))
        let escaped: [UInt8] = Array(#""\n"#.utf8) + [0xC3] + [0x22]
        #expect(throws: JSONError(.invalidUTF8, "", offset: 0)) { try JSONParser.parse(escaped) }
    }

    @Test func limitsDepth() throws {
        let deep = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(throws: Never.self) { try parse(deep, .init(maximumDepth: 50)) }
        let error = #expect(throws: JSONError.self) { try parse("[" + deep + "]", .init(maximumDepth: 50)) }
        #expect(error?.code == .tooDeep)
        #expect(error?.offset == 50)
        #expect(code(String(repeating: "[", count: 100_000)) == .tooDeep)
    }

    @Test func limitsSize() throws {
        #expect(throws: Never.self) { try parse("[1,2]", .init(maximumSize: 5)) }
        #expect(code("[1, 2]", .init(maximumSize: 5)) == .tooLarge)
    }

    @Test(arguments: [
        ("", JSONError.Code.unexpectedEnd), ("[1] 2", .trailingCharacters), ("{} {}", .trailingCharacters),
        ("nul", .invalidLiteral), ("x", .unexpectedCharacter), (#"{1:2}"#, .expectedKey), (#"{"a" 1}"#, .expectedColon),
        ("[1 2]", .expectedComma), (#""\x""#, .invalidEscape), (#""\u12"#, .shortEscape),
        (#""\u12g4""#, .invalidEscape),
        ("\"a\u{1}\"", .controlCharacter), ("01", .trailingCharacters), ("1.", .invalidNumber), ("-", .invalidNumber),
        ("+1", .unexpectedCharacter), (".5", .unexpectedCharacter), ("1e", .invalidNumber),
        (#""abc"#, .unterminatedString),
        ("[1,]", .unexpectedCharacter), (#"{"a":1,}"#, .expectedKey), ("{", .expectedKey), ("[", .unexpectedEnd),
    ])
    func refusesMalformedText(text: String, expected: JSONError.Code) {
        #expect(code(text) == expected, "\(text)")
    }

    @Test(arguments: [("01", "01"), ("+1", "+1"), (".5", ".5"), ("1.", "1."), ("-2.5e3", "-2.5e3")])
    func lenientNumbersReadWhatSwiftReads(text: String, literal: String) throws {
        #expect(try parse(text, .init(numbers: .lenient)) == .number(JSONNumber(literal: literal)))
    }

    @Test func lenientNumbersStillRefuseNonNumbers() {
        #expect(code("1e", .init(numbers: .lenient)) == .invalidNumber)
        #expect(code("-", .init(numbers: .lenient)) == .unexpectedCharacter)
    }

    @Test func parsesAByteBufferInPlaceAndLeavesItUnchanged() throws {
        var buffer = ByteBuffer(string: "xx")
        buffer.moveReaderIndex(forwardBy: 2)
        buffer.writeString(#" {"a": [true, false, null]} "#)
        let before = buffer
        #expect(try JSONParser.parse(buffer) == .object([("a", .array([.bool(true), .bool(false), .null]))]))
        #expect(buffer == before)
    }

    @Test func roundTripsThroughTheWriter() throws {
        let text = #"{"b":[1.50,-0,"x\n\u0001\"",{}],"a":{"c":null,"d":[true,false]},"e":"😀/"}"#
        let value = try parse(text)
        let written = value.serialized()
        #expect(
            String(buffer: written) == #"{"b":[1.50,-0,"x\n\u0001\"",{}],"a":{"c":null,"d":[true,false]},"e":"😀/"}"#)
        #expect(try JSONParser.parse(written) == value)
    }
}
