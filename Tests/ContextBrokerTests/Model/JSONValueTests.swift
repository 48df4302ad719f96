import Testing

@testable import ContextBroker

@Suite struct JSONValueTests {
    @Test func keepsMemberOrderAndSerialisesCompactly() throws {
        let value = try JSONParser.parse(#"{ "b" : 1, "a" : [true, null, "x\"y"], "c": {"d": 2.5} }"#)
        #expect(value.serialized == #"{"b":1,"a":[true,null,"x\"y"],"c":{"d":2.5}}"#)
    }

    @Test func formatsNumbersAsOrion() {
        #expect(JSONValue.format(number: 23) == "23")
        #expect(JSONValue.format(number: -4) == "-4")
        #expect(JSONValue.format(number: 23.5) == "23.5")
        #expect(JSONValue.format(number: 0.1) == "0.1")
        #expect(JSONValue.format(number: 1e20) == "1e+20")
    }

    @Test func escapesControlCharactersAndKeepsSlashes() {
        #expect(JSONValue.string("a/b\n\u{01}").serialized == #""a/b\n\u0001""#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00\t""#) == .string("é😀\t"))
    }

    @Test func refusesMalformedDocuments() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"a", "{} x", "[1 2]"] {
            #expect(throws: JSONParser.Failure.syntax) { try JSONParser.parse(text) }
        }
    }

    @Test func refusesNestingDeeperThanFifty() throws {
        let fifty = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(try JSONParser.parse(fifty) != .null)
        let fiftyOne = String(repeating: "[", count: 51) + String(repeating: "]", count: 51)
        #expect(throws: JSONParser.Failure.tooDeep) { try JSONParser.parse(fiftyOne) }
    }

    @Test func laterDuplicateMembersReplaceEarlierOnes() throws {
        #expect(try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#).serialized == #"{"a":3,"b":2}"#)
    }

    @Test func duplicatesInALargeObjectReplaceInPlaceThroughTheKeyIndex() throws {
        // Past 16 members the parser finds keys through a hash index; the result must be the scan's.
        var members = (0..<40).map { #""k\#($0)":\#($0)"# }
        members.append(#""k3":"again""#)
        members.append(#""k39":null"#)
        members.append(#""new":true"#)
        let parsed = try JSONParser.parse("{" + members.joined(separator: ",") + "}")
        guard case .object(let result) = parsed else {
            Issue.record("not an object")
            return
        }
        #expect(result.count == 41)
        #expect(result[3].0 == "k3" && result[3].1 == .string("again"))
        #expect(result[39].0 == "k39" && result[39].1 == .null)
        #expect(result[40].0 == "new")
        #expect(result.map(\.0) == (0..<40).map { "k\($0)" } + ["new"])
    }

    @Test func stringLiteralsAreTheWritersWithOrWithoutEscapes() {
        for text in ["Room1", "é/😀", "", "a\"b", "back\\slash", "tab\tnew\nline\u{1}"] {
            var output = "x"
            JSONValue.write(string: text, to: &output)
            #expect(output == "x" + JSONValue.string(text).serialized, "\(text)")
        }
    }
}
