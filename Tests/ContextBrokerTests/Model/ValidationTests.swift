import Testing

@testable import ContextBroker

@Suite struct ValidationTests {
    @Test func identifiersRefuseForbiddenAndReservedCharacters() {
        for text in ["a b", "a<b", "a>b", "a\"b", "a'b", "a=b", "a;b", "a(b", "a)b", "a&b", "a?b", "a/b", "a#b", "é"] {
            #expect(throws: NGSIError(.badRequest, "Invalid characters in entity id")) {
                try Validation.checkIdentifier(text, "entity id")
            }
        }
        #expect(throws: Never.self) { try Validation.checkIdentifier("urn:ngsi-ld:Room:1_a.b", "entity id") }
    }

    @Test func identifiersAreOneTo256Characters() {
        #expect(throws: NGSIError(.badRequest, "entity type length: 257, max length supported: 256")) {
            try Validation.checkIdentifier(String(repeating: "x", count: 257), "entity type")
        }
        #expect(throws: NGSIError(.badRequest, "attribute name length: 0, min length supported: 1")) {
            try Validation.checkIdentifier("", "attribute name")
        }
        #expect(throws: Never.self) { try Validation.checkIdentifier(String(repeating: "x", count: 256), "entity id") }
    }

    @Test func valuesRefuseForbiddenCharactersAtAnyDepth() {
        #expect(throws: NGSIError(.badRequest, "Invalid characters in attribute value")) {
            try Validation.checkValue(.object([("a", .array([.string("x(y")]))]), "attribute value")
        }
        #expect(throws: Never.self) { try Validation.checkValue(.string("plain text, 20%"), "attribute value") }
    }

    @Test func payloadDecoderReportsOrionsTexts() throws {
        #expect(throws: NGSIError(.badRequest, "entity id length: 0, min length supported: 1")) {
            try PayloadDecoder.entity(try JSONParser.parse(#"{"type":"T"}"#), keyValues: false)
        }
        #expect(throws: NGSIError(.badRequest, "Invalid JSON type for entity id")) {
            try PayloadDecoder.entity(try JSONParser.parse(#"{"id":3}"#), keyValues: false)
        }
        #expect(throws: NGSIError(.badRequest, "attribute must be a JSON object, unless keyValues option is used")) {
            try PayloadDecoder.entity(try JSONParser.parse(#"{"id":"E","a":3}"#), keyValues: false)
        }
        #expect(throws: NGSIError(.badRequest, "Invalid characters in attribute value")) {
            try PayloadDecoder.entity(try JSONParser.parse(#"{"id":"E","a":{"value":"<"}}"#), keyValues: false)
        }
        let unrestricted = try PayloadDecoder.entity(
            try JSONParser.parse(#"{"id":"E","a":{"type":"TextUnrestricted","value":"<b>"}}"#), keyValues: false)
        #expect(unrestricted.attributes == [AttributeUpdate(name: "a", type: "TextUnrestricted", value: .value(.string("<b>")))])
    }

    @Test func updateOperatorsApplyAsDocumented() {
        #expect(UpdateValue(.object([("$inc", .number(2))])).apply(to: .number(3)) == .number(5))
        #expect(UpdateValue(.object([("$mul", .number(2))])).apply(to: .number(3)) == .number(6))
        #expect(UpdateValue(.object([("$min", .number(2))])).apply(to: .number(3)) == .number(2))
        #expect(UpdateValue(.object([("$max", .number(2))])).apply(to: .number(3)) == .number(3))
        #expect(UpdateValue(.object([("$push", .number(2))])).apply(to: .array([.number(1)])) == .array([.number(1), .number(2)]))
        #expect(
            UpdateValue(.object([("$addToSet", .number(1))])).apply(to: .array([.number(1)])) == .array([.number(1)]))
        #expect(UpdateValue(.object([("$pull", .number(1))])).apply(to: .array([.number(1), .number(2)])) == .array([.number(2)]))
        #expect(
            UpdateValue(.object([("$pullAll", .array([.number(1), .number(2)]))])).apply(to: .array([.number(1), .number(2), .number(3)]))
                == .array([.number(3)]))
        #expect(
            UpdateValue(.object([("$set", .object([("b", .number(2))])), ("$unset", .object([("a", .number(1))]))]))
                .apply(to: .object([("a", .number(1))])) == .object([("b", .number(2))]))
        #expect(UpdateValue(.object([("$inc", .number(2))])).valueForCreation == .number(2))
        #expect(UpdateValue(.object([("$push", .number(2))])).valueForCreation == .array([.number(2)]))
        #expect(UpdateValue(.object([("other", .number(2))])) == .value(.object([("other", .number(2))])))
    }
}
