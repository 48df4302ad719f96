import Testing

@testable import ContextBroker

@Suite struct JSONValueTests {
    @Test func keepsMemberOrderAndSerialisesCompactly() throws {
        let value = try JSONParser.parse(#"{ "b" : 1, "a" : [true, null, "x\"y"], "c": {"d": 2.5} }"#)
        #expect(value.serialized == #"{"b":1,"a":[true,null,"x\"y"],"c":{"d":2.5}}"#)
    }
}
