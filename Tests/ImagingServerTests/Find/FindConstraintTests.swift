import Persistence
import Testing

@testable import ImagingServer

@Suite struct FindConstraintTests {
    @Test(arguments: [
        ("", false, FindConstraint.universal),
        ("*", false, .universal),
        ("SMITH", false, .equal("SMITH")),
        ("SM*TH", false, .wildcard("SM*TH")),
        ("SM?TH", false, .wildcard("SM?TH")),
        ("A\\B", false, .list(["A", "B"])),
        ("20200101-20201231", true, .range(lower: "20200101", upper: "20201231")),
        ("-20201231", true, .range(lower: nil, upper: "20201231")),
        ("20200101-", true, .range(lower: "20200101", upper: nil)),
        ("1.2-3", false, .equal("1.2-3")),
    ])
    func parsing(value: String, isDate: Bool, expected: FindConstraint) {
        #expect(FindConstraint(parsing: value, isDateOrTime: isDate) == expected)
    }

    @Test func universalMatchesMissingTags() {
        #expect(FindConstraint.universal.matches(nil, caseSensitive: true))
        #expect(!FindConstraint.equal("A").matches(nil, caseSensitive: true))
    }

    @Test func equalityAndCase() {
        #expect(FindConstraint.equal("Smith^John").matches("Smith^John", caseSensitive: true))
        #expect(!FindConstraint.equal("SMITH^JOHN").matches("Smith^John", caseSensitive: true))
        #expect(FindConstraint.equal("SMITH^JOHN").matches("Smith^John", caseSensitive: false))
    }

    @Test func wildcards() {
        let constraint = FindConstraint(parsing: "SM*", isDateOrTime: false)
        #expect(constraint.matches("SMITH", caseSensitive: true))
        #expect(!constraint.matches("JONES", caseSensitive: true))
        #expect(!constraint.matches("smith", caseSensitive: true))
        #expect(constraint.matches("smith", caseSensitive: false))
        #expect(FindConstraint.wildcard("*TH").matches("SMITH", caseSensitive: true))
        #expect(FindConstraint.wildcard("S?ITH").matches("SMITH", caseSensitive: true))
        #expect(!FindConstraint.wildcard("S?ITH").matches("SMMITH", caseSensitive: true))
        #expect(FindConstraint.wildcard("*M*T*").matches("SMITH", caseSensitive: true))
        #expect(FindConstraint.wildcard("**").matches("", caseSensitive: true))
    }

    @Test func lists() {
        let constraint = FindConstraint(parsing: "CT\\MR", isDateOrTime: false)
        #expect(constraint.matches("CT", caseSensitive: true))
        #expect(constraint.matches("MR", caseSensitive: true))
        #expect(!constraint.matches("US", caseSensitive: true))
    }

    @Test func dateRanges() {
        let closed = FindConstraint(parsing: "20200101-20201231", isDateOrTime: true)
        #expect(closed.matches("20200101", caseSensitive: true))
        #expect(closed.matches("20200615", caseSensitive: true))
        #expect(closed.matches("20201231", caseSensitive: true))
        #expect(!closed.matches("20210101", caseSensitive: true))
        #expect(!closed.matches("20191231", caseSensitive: true))
        #expect(FindConstraint(parsing: "-20000101", isDateOrTime: true).matches("19991231", caseSensitive: true))
        #expect(FindConstraint(parsing: "20000101-", isDateOrTime: true).matches("20260101", caseSensitive: true))
        #expect(!FindConstraint(parsing: "20000101-", isDateOrTime: true).matches("19990101", caseSensitive: true))
    }

    /// Orthanc 1.10.1 folds letters of every VR unless `CaseSensitive` is true, accented ones included.
    @Test(arguments: [
        (FindConstraint.equal("head scan"), "HEAD Scan", true),
        (FindConstraint.equal("étude müller"), "Étude Müller", true),
        (FindConstraint.equal("ETUDE MULLER"), "Étude Müller", false),
        (FindConstraint.wildcard("acc*"), "ACC8", true),
        (FindConstraint.list(["ct", "mr"]), "MR", true),
        (FindConstraint.list(["ct", "m?"]), "MR", true),
        (FindConstraint.list(["ct", "us"]), "MR", false),
    ])
    func foldsCaseUnlessCaseSensitive(constraint: FindConstraint, value: String, insensitive: Bool) {
        #expect(constraint.matches(value, caseSensitive: false) == insensitive)
        #expect(!constraint.matches(value, caseSensitive: true))
    }
}

@Suite struct FindConstraintSQLTests {
    @Test func patterns() {
        #expect(FindConstraint.globPattern("SM[I]TH*") == "SM[[]I]TH*")
        #expect(FindConstraint.likePattern("50%_a*b?", wildcards: true) == "50\\%\\_a%b_")
        #expect(FindConstraint.likePattern("a*", wildcards: false) == "a*")
    }

    @Test func prefilters() {
        #expect(
            FindConstraint.equal("X").sqlPrefilter(column: "v", caseSensitive: true, dialect: .sqlite)?.sql == "v = ?")
        #expect(
            FindConstraint.wildcard("S*").sqlPrefilter(column: "v", caseSensitive: true, dialect: .sqlite)?.sql
                == "v GLOB ?")
        #expect(
            FindConstraint.wildcard("s*").sqlPrefilter(column: "v", caseSensitive: false, dialect: .sqlite)?.sql
                == "v LIKE ? ESCAPE '\\'"
        )
        #expect(FindConstraint.wildcard("é*").sqlPrefilter(column: "v", caseSensitive: false, dialect: .sqlite) == nil)
        #expect(
            FindConstraint.range(lower: "2020", upper: "2021").sqlPrefilter(
                column: "v", caseSensitive: true, dialect: .sqlite)?.sql
                == "v >= ? AND substr(v, 1, 4) <= ?")
        let list = FindConstraint.list(["A", "B*"])
        #expect(list.sqlPrefilter(column: "v", caseSensitive: true, dialect: .sqlite)?.sql == "(v = ? OR v GLOB ?)")
        let folded = list.sqlPrefilter(column: "v", caseSensitive: false, dialect: .sqlite)
        #expect(folded?.sql == "(v LIKE ? ESCAPE '\\' OR v LIKE ? ESCAPE '\\')")
        #expect(folded?.arguments == [SQLValue("A"), SQLValue("B%")])
        #expect(
            FindConstraint.list(["A", "é"]).sqlPrefilter(column: "v", caseSensitive: false, dialect: .sqlite) == nil)
        #expect(FindConstraint.universal.sqlPrefilter(column: "v", caseSensitive: true, dialect: .sqlite) == nil)
    }

    @Test func postgresPrefiltersUseLikeForCaseAndIlikeWithoutIt() {
        let wildcard = FindConstraint.wildcard("S*_").sqlPrefilter(column: "v", caseSensitive: true, dialect: .postgres)
        #expect(wildcard?.sql == "v LIKE ? ESCAPE '\\'")
        #expect(wildcard?.arguments == [SQLValue("S%\\_")])
        let folded = FindConstraint.list(["a", "b*"]).sqlPrefilter(
            column: "v", caseSensitive: false, dialect: .postgres)
        #expect(folded?.sql == "(v ILIKE ? ESCAPE '\\' OR v ILIKE ? ESCAPE '\\')")
        #expect(
            FindConstraint.equal("X").sqlPrefilter(column: "v", caseSensitive: true, dialect: .postgres)?.sql == "v = ?"
        )
    }
}
