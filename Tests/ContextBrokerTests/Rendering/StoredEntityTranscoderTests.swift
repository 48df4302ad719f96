import Testing

@testable import ContextBroker

@Suite struct StoredEntityTranscoderTests {
    /// The transcoder's bytes for an entity, or nil when it declines.
    func copied(_ entity: Entity, _ format: RenderOptions.Format = .normalized, identity: Bool = true) -> String? {
        var output: [UInt8] = Array("prefix".utf8)
        let done = StoredEntityTranscoder.append(
            id: identity ? entity.id : nil, type: entity.type, attributes: AttributeCodec.encode(entity.attributes),
            format: format,
            to: &output)
        #expect(output.starts(with: "prefix".utf8))
        return done ? String(decoding: output.dropFirst(6), as: UTF8.self) : nil
    }

    func rendered(_ entity: Entity, _ format: RenderOptions.Format = .normalized, identity: Bool = true) -> String {
        EntityRenderer.render(entity, RenderOptions(format: format), identity: identity).serialized
    }

    func entity(_ attributes: [Attribute], id: String = "Room1", type: String = "Room") -> Entity {
        Entity(id: id, type: type, servicePath: "/", created: 1, modified: 2, attributes: attributes)
    }

    @Test func copiesAttributesAsOrionRendersThem() {
        let room = entity([
            Attribute(name: "temperature", type: "Number", value: .number(23.5), created: 1, modified: 2),
            Attribute(
                name: "pressure", type: "Integer", value: .number(720),
                metadata: [Metadata(name: "unit", type: "Text", value: .string("hPa"))]),
            Attribute(name: "on", type: "Boolean", value: .bool(true)),
            Attribute(name: "none", type: "None", value: .null),
        ])
        let expected =
            #"{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{}},"#
            + #""pressure":{"type":"Integer","value":720,"metadata":{"unit":{"type":"Text","value":"hPa"}}},"#
            + #""on":{"type":"Boolean","value":true,"metadata":{}},"none":{"type":"None","value":null,"metadata":{}}}"#
        #expect(copied(room) == expected)
        #expect(rendered(room) == expected)
        #expect(
            copied(room, .keyValues)
                == #"{"id":"Room1","type":"Room","temperature":23.5,"pressure":720,"on":true,"none":null}"#)
        #expect(copied(room, .keyValues) == rendered(room, .keyValues))
    }

    @Test func attributesAloneForTheAttrsRoutes() {
        let room = entity([
            Attribute(name: "t", type: "Number", value: .number(1)),
            Attribute(name: "u", type: "Text", value: .string("x")),
        ])
        #expect(
            copied(room, identity: false)
                == #"{"t":{"type":"Number","value":1,"metadata":{}},"u":{"type":"Text","value":"x","metadata":{}}}"#)
        #expect(copied(room, .keyValues, identity: false) == #"{"t":1,"u":"x"}"#)
        #expect(copied(entity([]), identity: false) == "{}")
        #expect(copied(entity([]), identity: false) == rendered(entity([]), identity: false))
    }

    @Test func entityWithoutAttributes() {
        #expect(copied(entity([])) == #"{"id":"Room1","type":"Room"}"#)
        #expect(copied(entity([])) == rendered(entity([])))
    }

    @Test func nestedValuesAndAwkwardStringsAreCopiedIntact() {
        let value = JSONValue.object([
            ("a}", .array([.string("x]\"y\\"), .number(-0.125), .object([]), .array([])])),
            ("line\nbreak", .string("tab\there, é, \u{01}")),
            ("n", .number(1e21)),
        ])
        let tricky = entity(
            [
                Attribute(
                    name: "s", type: "StructuredValue", value: value,
                    metadata: [
                        Metadata(name: "m1", type: "StructuredValue", value: .array([.string("{"), .null])),
                        Metadata(name: "m2", type: "Number", value: .number(3)),
                    ])
            ], id: "a\"b\\c", type: "T é")
        #expect(copied(tricky) != nil)
        #expect(copied(tricky) == rendered(tricky))
        #expect(copied(tricky, .keyValues) == rendered(tricky, .keyValues))
    }

    @Test func declinesDatesWhichNeedFormatting() {
        let withDate = entity([
            Attribute(name: "n", type: "Number", value: .number(1)),
            Attribute(name: "when", type: "DateTime", value: .number(1_700_000_000)),
        ])
        #expect(copied(withDate) == nil)
        let withISO = entity([Attribute(name: "when", type: "ISO8601", value: .number(0))])
        #expect(copied(withISO) == nil)
        let withDateMetadata = entity([
            Attribute(
                name: "n", type: "Number", value: .number(1),
                metadata: [Metadata(name: "at", type: "DateTime", value: .number(0))])
        ])
        #expect(copied(withDateMetadata) == nil)
    }

    @Test func declinesTextItDidNotWrite() {
        for stored in [
            "", "{", "[]", #"{"a":{"v":1}}"#, #"{"a":{"t":"Number"}}"#, #"{"a":{"t":"N","v":1}"#, #"{"a":1}"#,
            #"{"a":{"t":"N","v":1}} "#, #"{"a":{"t":"N","v":"unterminated}}"#, #"{"a":{"t":"N","v":1,"md":{"x":2}}}"#,
        ] {
            var output: [UInt8] = [1, 2]
            #expect(
                !StoredEntityTranscoder.append(
                    id: "i", type: "t", attributes: stored, format: .normalized, to: &output),
                "\(stored)")
            #expect(output == [1, 2])
        }
    }

    @Test func handlesOnlyUnprojectedNamedRepresentations() {
        #expect(StoredEntityTranscoder.handles(RenderOptions()))
        #expect(StoredEntityTranscoder.handles(RenderOptions(format: .keyValues)))
        #expect(!StoredEntityTranscoder.handles(RenderOptions(format: .values)))
        #expect(!StoredEntityTranscoder.handles(RenderOptions(format: .unique)))
        #expect(!StoredEntityTranscoder.handles(RenderOptions(attributes: ["a"])))
        #expect(!StoredEntityTranscoder.handles(RenderOptions(metadata: ["*"])))
    }

    /// Random values, names and metadata: the copy must equal the long way every time.
    @Test func matchesTheRendererOnRandomEntities() {
        var generator = SplitMix(seed: 20261130)
        let alphabet = Array("ab\"\\/{}[],:é \n\t\u{7}9-.e")
        func text() -> String {
            String(
                (0..<Int(generator.next() % 6)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        func value(_ depth: Int) -> JSONValue {
            switch generator.next() % (depth > 2 ? 4 : 6) {
            case 0: return .null
            case 1: return .bool(generator.next() % 2 == 0)
            case 2:
                let numbers: [Double] = [0, -1, 3.25, 1e-7, 123_456_789_012, 1e300, -0.5]
                return .number(numbers[Int(generator.next() % UInt64(numbers.count))])
            case 3: return .string(text())
            case 4: return .array((0..<Int(generator.next() % 4)).map { _ in value(depth + 1) })
            default:
                return .object((0..<Int(generator.next() % 4)).map { index in ("\(index)" + text(), value(depth + 1)) })
            }
        }
        for _ in 0..<500 {
            let attributes = (0..<Int(generator.next() % 5)).map { index in
                Attribute(
                    name: "a\(index)" + text(),
                    type: ["Number", "Text", "StructuredValue", text()][Int(generator.next() % 4)],
                    value: value(0),
                    metadata: (0..<Int(generator.next() % 3)).map { m in
                        Metadata(name: "m\(m)" + text(), type: "Text", value: value(1))
                    }, created: 1, modified: 2)
            }
            let item = entity(attributes, id: "e" + text(), type: "T" + text())
            for format in [RenderOptions.Format.normalized, .keyValues] {
                #expect(copied(item, format) == rendered(item, format))
                #expect(copied(item, format, identity: false) == rendered(item, format, identity: false))
            }
        }
    }
}

/// A small deterministic generator, so that a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
