import Testing

@testable import ContextBroker

@Suite struct EntityRendererTests {
    let entity = Entity(
        id: "Room1", type: "Room", servicePath: "/", created: 1_497_684_084.238, modified: 1_497_684_085,
        attributes: [
            Attribute(
                name: "temperature", type: "Number", value: .number(23.5),
                metadata: [Metadata(name: "unit", type: "Text", value: .string("C"))], created: 1, modified: 2),
            Attribute(name: "seen", type: "DateTime", value: .number(0)),
            Attribute(name: "tags", type: "StructuredValue", value: .array([.string("a"), .string("a")])),
        ])

    @Test func rendersNormalizedWithEmptyMetadataObjects() {
        #expect(
            EntityRenderer.render(entity, RenderOptions()).serialized
                == #"{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{"unit":{"type":"Text","value":"C"}}},"seen":{"type":"DateTime","value":"1970-01-01T00:00:00.000Z","metadata":{}},"tags":{"type":"StructuredValue","value":["a","a"],"metadata":{}}}"#
        )
    }

    @Test func rendersKeyValuesValuesAndUnique() {
        #expect(
            EntityRenderer.render(entity, RenderOptions(format: .keyValues)).serialized
                == #"{"id":"Room1","type":"Room","temperature":23.5,"seen":"1970-01-01T00:00:00.000Z","tags":["a","a"]}"#)
        #expect(
            EntityRenderer.render([entity, entity], RenderOptions(format: .values, attributes: ["temperature"])).serialized
                == "[[23.5],[23.5]]")
        #expect(
            EntityRenderer.render([entity, entity], RenderOptions(format: .unique, attributes: ["temperature"])).serialized
                == "[[23.5]]")
    }

    @Test func rendersBuiltinsOnlyWhenAsked() {
        let options = RenderOptions(format: .keyValues, attributes: ["dateCreated", "temperature", "missing"])
        #expect(
            EntityRenderer.render(entity, options).serialized
                == #"{"id":"Room1","type":"Room","dateCreated":"2017-06-17T07:21:24.238Z","temperature":23.5}"#)
        let metadata = RenderOptions(attributes: ["temperature"], metadata: ["dateCreated", "*"])
        #expect(
            EntityRenderer.render(entity, metadata, identity: false).serialized
                == #"{"temperature":{"type":"Number","value":23.5,"metadata":{"dateCreated":{"type":"DateTime","value":"1970-01-01T00:00:01.000Z"},"unit":{"type":"Text","value":"C"}}}}"#
        )
    }
}
