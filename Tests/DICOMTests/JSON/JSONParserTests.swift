import JSON
import Testing

@testable import DICOM

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try DICOM.JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"b": [1, -2.5e3, true, false, null, "x"], "a": {}} "#)
        #expect(
            value
                == .object([
                    ("b", .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null, .string("x")])),
                    ("a", .object([])),
                ]))
    }

    @Test func keepsMemberOrderAndNumberText() throws {
        let value = try parse(#"{"z":1.50,"a":0}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["z", "a"])
        #expect(value["z"] == .number("1.50"))
    }

    @Test func decodesEscapes() throws {
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{c}\n\r\té😀"))
    }

    @Test(arguments: [
        ("", 0), ("{", 1), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 1), ("1.", 2), ("-", 1), (#""\x""#, 3),
        (#""\ud800""#, 7), ("tru", 0), ("[1] 2", 4), ("\"a\u{1}\"", 2), (#"{"a":1,}"#, 7),
    ])
    func rejectsMalformedInputWithItsOffset(text: String, offset: Int) throws {
        let error = #expect(throws: DICOMError.self) { try parse(text) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.offset == offset, "\(text)")
    }

    @Test func limitsNestingDepth() throws {
        let deep = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(throws: Never.self) { try DICOM.JSONParser.parse(Array(deep.utf8), maximumDepth: 10) }
        let error = #expect(throws: DICOMError.self) { try DICOM.JSONParser.parse(Array(deep.utf8), maximumDepth: 9) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.offset == 9)
    }

    @Test func limitsInputSize() throws {
        let error = #expect(throws: DICOMError.self) {
            try DICOM.JSONParser.parse(Array("[1, 2]".utf8), maximumSize: 5)
        }
        #expect(error?.code == .invalidJSON)
    }
}
