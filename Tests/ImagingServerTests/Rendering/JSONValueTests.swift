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
}
