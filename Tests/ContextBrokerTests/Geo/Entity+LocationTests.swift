import Testing

@testable import ContextBroker

@Suite struct EntityLocationTests {
    func p(_ longitude: Double, _ latitude: Double) -> GeoPosition {
        GeoPosition(longitude: longitude, latitude: latitude)
    }

    func entity(_ attributes: [Attribute]) -> Entity {
        Entity(id: "E", type: "T", servicePath: "/", created: 0, modified: 0, attributes: attributes)
    }

    func geometry(_ type: String, _ value: JSONValue) throws -> GeoGeometry? {
        try entity([Attribute(name: "location", type: type, value: value)]).location(creating: true)?.geometry
    }

    @Test func readsEachLocationType() throws {
        #expect(try geometry("geo:point", .string("40.4, -3.7")) == .point(p(-3.7, 40.4)))
        #expect(
            try geometry("geo:line", .array([.string("1,2"), .string("3,4")])) == .lineString([p(2, 1), p(4, 3)]))
        #expect(
            try geometry("geo:box", .array([.string("2,3"), .string("0,1")]))
                == .polygon([[p(1, 0), p(1, 2), p(3, 2), p(3, 0), p(1, 0)]]))
        #expect(
            try geometry("geo:polygon", .array(["0,0", "0,1", "1,1", "0,0"].map { .string($0) }))
                == .polygon([[p(0, 0), p(1, 0), p(1, 1), p(0, 0)]]))
        let point = JSONValue.object([
            ("type", .string("Point")), ("coordinates", .array([.number(-3.7), .number(40.4)])),
        ])
        #expect(try geometry("geo:json", point) == .point(p(-3.7, 40.4)))
        let feature = JSONValue.object([("type", .string("Feature")), ("geometry", point), ("properties", .object([]))])
        #expect(try geometry("geo:json", feature) == .point(p(-3.7, 40.4)))
        let collection = JSONValue.object([("type", .string("FeatureCollection")), ("features", .array([feature]))])
        #expect(try geometry("geo:json", collection) == .point(p(-3.7, 40.4)))
        #expect(try geometry("geo:json", .null) == nil)
        let multi = JSONValue.object([
            ("type", .string("MultiLineString")),
            ("coordinates", .array([.array([.array([.number(0), .number(0)]), .array([.number(1), .number(1)])])])),
        ])
        #expect(try geometry("geo:json", multi) == .multiLineString([[p(0, 0), p(1, 1)]]))
    }

    @Test func reportsMalformedLocations() {
        let cases: [(String, JSONValue, String)] = [
            ("geo:point", .string("40.4"), "geo coordinates format error [see Orion user manual]: 40.4"),
            ("geo:point", .string("100, 0"), "geo coordinates format error [see Orion user manual]: 100, 0"),
            ("geo:line", .string("1,2"), "geo:line, geo:box and geo:polygon needs array of strings as value"),
            (
                "geo:line", .array([.number(1)]),
                "geo:line, geo:box and geo:polygon needs array of strings but some element is not a string"
            ),
            ("geo:line", .array([.string("1,2")]), "geo:line uses at least 2 coordinates"),
            ("geo:box", .array([.string("1,2")]), "geo:box uses exactly 2 coordinates"),
            (
                "geo:box", .array([.string("1,2"), .string("1,3")]),
                "geo:box coordinates are not defining an actual box"
            ),
            (
                "geo:polygon", .array(["0,0", "0,1", "0,0"].map { .string($0) }),
                "geo:polygon uses at least 4 coordinates"
            ),
            (
                "geo:polygon", .array(["0,0", "0,1", "1,1", "1,0"].map { .string($0) }),
                "geo:polygon first and last coordinates must match"
            ),
            ("geo:json", .string("x"), "geo:json needs an object or null as value"),
            (
                "geo:json", .object([("type", .string("GeometryCollection")), ("geometries", .array([]))]),
                "geo:json GeometryCollection is not supported"
            ),
        ]
        for (type, value, description) in cases {
            #expect(throws: NGSIError(.badRequest, description), "\(description)") {
                try geometry(type, value)
            }
            #expect(throws: NGSIError(.badRequest, "error parsing location attribute: " + description)) {
                try entity([Attribute(name: "l", type: type, value: value)]).location(creating: false)
            }
        }
    }

    @Test func allowsOneLocationAtCreationAndFollowsTheLatestUpdate() throws {
        let first = Attribute(name: "a", type: "geo:point", value: .string("1,1"), modified: 10)
        let second = Attribute(name: "b", type: "geo:point", value: .string("2,2"), modified: 20)
        let informative = Attribute(
            name: "c", type: "geo:point", value: .string("3,3"),
            metadata: [Metadata(name: "ignoreType", type: "Boolean", value: .bool(true))], modified: 30)
        #expect(throws: Entity.tooManyLocations) { try entity([first, second]).location(creating: true) }
        #expect(Entity.tooManyLocations.code.status == 413)
        #expect(Entity.tooManyLocations.code.name == "NoResourcesAvailable")
        #expect(try entity([first, informative]).location(creating: true)?.attribute == "a")
        #expect(try entity([second, first, informative]).location(creating: false)?.attribute == "b")
        #expect(try entity([informative]).location(creating: true) == nil)
        #expect(try entity([Attribute(name: "t", type: "Number", value: .number(1))]).location(creating: true) == nil)
    }
}
