import Testing

@testable import ImagingServer

@Suite struct JSONValueTests {
    @Test func serializesSortedKeysLikeOrthanc() {
        let value: JSONValue = ["b": 1, "a": ["x", nil, true], "c": [:]]
        #expect(
            value.serialized()
                == "{\n   \"a\" : [\n      \"x\",\n      null,\n      true\n   ],\n   \"b\" : 1,\n   \"c\" : {}\n}\n")
        #expect(value.serialized(pretty: false) == "{\"a\":[\"x\",null,true],\"b\":1,\"c\":{}}")
    }

    @Test func escapesStrings() {
        #expect(JSONValue.string("a\"b\\c\n\u{01}").serialized(pretty: false) == "\"a\\\"b\\\\c\\n\\u0001\"")
    }

    @Test func parsesDocuments() throws {
        let parsed = try JSONValue(
            parsing: Array(#"{"Level":"Study","Limit":5,"X":1.5,"Q":{"A":"\u00e9"},"L":[true,null]}"#.utf8))
        #expect(parsed["Level"] == "Study")
        #expect(parsed["Limit"]?.intValue == 5)
        #expect(parsed["X"] == .double(1.5))
        #expect(parsed["Q"]?["A"] == "é")
        #expect(parsed["L"] == [true, nil])
    }

    @Test(arguments: ["", "{", "{\"a\" 1}", "[1,]", "tru", "{\"a\":1} x", "\"\\x\""])
    func refusesMalformedText(_ text: String) {
        #expect(throws: OrthancError(.badJSON)) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test(arguments: [
        ("", "unexpected end"), ("[1] x", "trailing characters"), ("tru", "bad literal"), ("{1:2}", "expected a key"),
        (#"{"a" 1}"#, "expected a colon"), ("[1 2]", "expected a comma"), (#""\x""#, "bad escape"),
        (#""abc"#, "unterminated string"), ("1e", "bad number"), ("x", "unexpected character"),
        (String(repeating: "[", count: 300), "nesting too deep"),
    ])
    func keepsItsErrorDetails(text: String, details: String) {
        let error = #expect(throws: OrthancError.self) { try JSONValue(parsing: Array(text.utf8)) }
        #expect(error?.details == details, "\(text)")
    }

    @Test func readsLenientNumbersAndReplacesInvalidText() throws {
        #expect(try JSONValue(parsing: Array("[01,+1,-0,1e2]".utf8)) == [.int(1), .double(1), .int(0), .double(100)])
        // A high surrogate before another escape used to overflow and stop the process.
        #expect(try JSONValue(parsing: Array(#""\ud800\u0041""#.utf8)) == "\u{FFFD}A")
        #expect(try JSONValue(parsing: [0x22, 0xFF, 0x22]) == "\u{FFFD}")
        #expect(try JSONValue(parsing: Array(#"{"a":1,"a":2}"#.utf8)) == ["a": 2])
    }
}
