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

    @Test func rejectsForbiddenCharactersInStringsAndPatterns() {
        let forbidden = NGSIError(.badRequest, "forbidden characters in String Filter")
        for text in [
            "a==x<y", "a==x>y", "a==x\"y", "a==x(y", "a==x)y", "a!=x=y", "a=='x<y'", "a=='x=y'", "a>x)",
            "a==b,c(d", "a==x(..y", "a~=x(y)", "a~='^x'", "a~=x\"", "b'c", "!b'c",
        ] {
            #expect(throws: forbidden, "\(text)") { try SimpleQuery(text) }
        }
        #expect(throws: forbidden) { try SimpleQuery("a.b'c", metadata: true) }
    }

    @Test func acceptsForbiddenLookingCharactersOutsideStrings() throws {
        // Numbers and dates are not checked; quotes close forced strings; quotes around a dotted path are fine.
        let query = try SimpleQuery("a==-1.5e3;'x.y'.z;!'x.y';d==2020-01-01T00:00:00Z;e~=^a.[0-9]+$")
        #expect(query.statements.count == 5)
        #expect(
            query.statements[4]
                == .comparison(
                    Path(attribute: "e", metadata: nil, subpath: []), .match, .values([.string("^a.[0-9]+$")])))
    }

    @Test func reportsOrionsCharacterAndStructureErrors() {
        let cases: [(String, Bool, String)] = [
            ("a(b==1", false, "invalid character found in URI param /q/"),
            ("a\"b==1", false, "invalid character found in URI param /q/"),
            ("a=b", false, "invalid character found in URI param /q/"),
            ("a.m)==1", true, "invalid character found in URI param /mq/"),
            ("a=='x", false, "non-terminated forced string"),
            ("a=='x'y'", false, "quote in forced string"),
            ("a==1;;b", false, "empty q-item"),
            ("a==1; ;", false, "empty q-item"),
            ("a==1;  ;b", false, "empty q-item (only whitespace)"),
            (";", false, "empty q"),
            ("!", false, "empty right-hand-side in q-item"),
            ("a==1..", false, "empty item in range"),
            ("a==true..false", false, "invalid data type for /range-from/"),
            ("a==1..null", false, "invalid data type for /range-to/"),
            ("a==1,,2", false, "empty item in list"),
            ("a==1,x", false, "invalid JSON value type in list"),
            ("a==true,false", false, "invalid JSON value type in list"),
            ("a>true", false, "values of type /Bool/ not supported for operator /GreaterThan/"),
            ("a<=null", false, "values of type /Null/ not supported for operator /LessThanOrEqual/"),
            ("a~=[", false, "error compiling filter regex: '['"),
            ("temperature", true, "no metadata in right-hand-side of q-item"),
            ("temperature==1", true, "no metadata name - not valid for metadata filters"),
        ]
        for (text, metadata, description) in cases {
            #expect(throws: NGSIError(.badRequest, description), "\(text)") {
                try SimpleQuery(text, metadata: metadata)
            }
        }
    }
}

@Suite struct ServicePathTests {
    @Test func writesTakeOneAbsolutePath() throws {
        #expect(try ServicePath.forWrite(nil) == "/")
        #expect(try ServicePath.forWrite("/a/b/") == "/a/b")
        #expect(throws: NGSIError(.badRequest, "more than one service path in context update request")) {
            try ServicePath.forWrite("/a,/b")
        }
        #expect(
            throws: NGSIError(.badRequest, "Only /absolute/ Service Paths allowed [a service path must begin with /]")
        ) { try ServicePath.forWrite("a") }
    }

    @Test func queriesTakeUpToTenScopes() throws {
        #expect(try ServicePath.forQuery(nil) == [ServicePath.Scope(path: "/", recursive: true)])
        #expect(
            try ServicePath.forQuery("/a/#, /b")
                == [ServicePath.Scope(path: "/a", recursive: true), ServicePath.Scope(path: "/b", recursive: false)])
        let eleven = (0...10).map { "/p\($0)" }.joined(separator: ",")
        #expect(throws: NGSIError(.badRequest, "too many service paths - a maximum of ten service paths is allowed")) {
            try ServicePath.forQuery(eleven)
        }
        #expect(throws: NGSIError(.badRequest, "component-name too long in ServicePath")) {
            try ServicePath.forQuery("/" + String(repeating: "x", count: 51))
        }
        #expect(throws: NGSIError(.badRequest, "a component of ServicePath contains an illegal character")) {
            try ServicePath.forQuery("/a-b")
        }
    }
}
