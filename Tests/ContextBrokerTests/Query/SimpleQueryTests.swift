import Testing

@testable import ContextBroker

@Suite struct SimpleQueryTests {
    typealias Path = SimpleQuery.Path

    func path(_ attribute: String, _ subpath: String...) -> Path {
        Path(attribute: attribute, metadata: nil, subpath: subpath)
    }

    @Test func parsesEveryOperator() throws {
        let query = try SimpleQuery("a==1;b!=x;c>2;d>=3;e<4;f<=5;g~=^ab;h:true;i;!j")
        #expect(
            query.statements == [
                .comparison(path("a"), .equal, .values([.number(1)])),
                .comparison(path("b"), .notEqual, .values([.string("x")])),
                .comparison(path("c"), .greater, .values([.number(2)])),
                .comparison(path("d"), .greaterOrEqual, .values([.number(3)])),
                .comparison(path("e"), .less, .values([.number(4)])),
                .comparison(path("f"), .lessOrEqual, .values([.number(5)])),
                .comparison(path("g"), .match, .values([.string("^ab")])),
                .comparison(path("h"), .equal, .values([.bool(true)])),
                .exists(path("i")),
                .notExists(path("j")),
            ])
    }

    @Test func parsesListsRangesQuotesAndDates() throws {
        let query = try SimpleQuery("color=='light,green','deep,blue';t==10..20;title=='20';d>2020-01-01T00:00:00Z;")
        #expect(
            query.statements == [
                .comparison(path("color"), .equal, .values([.string("light,green"), .string("deep,blue")])),
                .comparison(path("t"), .equal, .range(.number(10), .number(20))),
                .comparison(path("title"), .equal, .values([.string("20")])),
                .comparison(path("d"), .greater, .values([.date(1_577_836_800)])),
            ])
    }

    @Test func parsesCompoundAndQuotedPaths() throws {
        let query = try SimpleQuery("'a.b'.w.'x.y'==1")
        #expect(query.statements == [.comparison(path("a.b", "w", "x.y"), .equal, .values([.number(1)]))])
        let metadata = try SimpleQuery("temperature.accuracy<0.5", metadata: true)
        #expect(
            metadata.statements == [
                .comparison(
                    Path(attribute: "temperature", metadata: "accuracy", subpath: []), .less, .values([.number(0.5)]))
            ])
    }

    @Test func reportsOrionsErrors() {
        #expect(throws: NGSIError(.badRequest, "empty right-hand-side in q-item")) { try SimpleQuery("a==") }
        #expect(throws: NGSIError(.badRequest, "empty left-hand-side in q-item")) { try SimpleQuery("==1") }
        #expect(throws: NGSIError(.badRequest, "invalid range: types mixed")) { try SimpleQuery("a==1..b") }
        #expect(throws: NGSIError(.badRequest, "ranges only valid for equal and not equal ops")) {
            try SimpleQuery("a>1..2")
        }
        #expect(throws: NGSIError(.badRequest, "lists only valid for equal and not equal ops")) {
            try SimpleQuery("a<1,2")
        }
    }
}
