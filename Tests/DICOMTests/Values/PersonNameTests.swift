import DICOM
import Testing

@Suite struct PersonNameTests {
    @Test func parsesThreeGroups() throws {
        let name = try #require(PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう"))
        #expect(name.alphabetic.familyName == "Yamada")
        #expect(name.alphabetic.givenName == "Tarou")
        #expect(name.ideographic.familyName == "山田")
        #expect(name.ideographic.givenName == "太郎")
        #expect(name.phonetic.familyName == "やまだ")
        #expect(name.phonetic.givenName == "たろう")
        #expect(name.description == "Yamada^Tarou=山田^太郎=やまだ^たろう")
    }

    @Test func parsesFiveComponents() throws {
        let name = try #require(PersonName("Adams^John Robert Quincy^^Rev.^B.A. M.Div."))
        #expect(name.alphabetic.components == ["Adams", "John Robert Quincy", "", "Rev.", "B.A. M.Div."])
        #expect(name.ideographic.isEmpty)
        #expect(name.description == "Adams^John Robert Quincy^^Rev.^B.A. M.Div.")
    }

    @Test(arguments: [
        ("Doe^John^^^", "Doe^John"), ("Doe^John==", "Doe^John"), ("^^^^", ""), ("", ""), ("=山田", "=山田"),
        ("Wang^XiaoDong=王^小東= ", "Wang^XiaoDong=王^小東"), ("Doe^^^^Jr", "Doe^^^^Jr"), ("==やまだ", "==やまだ"),
        ("Doe^John  ", "Doe^John"),
    ])
    func rebuildsWithoutTrailingEmptyComponents(text: String, description: String) {
        #expect(PersonName(text)?.description == description)
    }

    @Test(arguments: ["a=b=c=d", "a^b^c^d^e^f", "x=a^b^c^d^e^f", "Doe\\Smith", "Doe\r\nJohn", "Doe^\u{1B}$B"])
    func rejectsMalformed(text: String) {
        #expect(PersonName(text) == nil)
    }

    @Test func doesNotMergeDelimitersWithCombiningMarks() throws {
        // "^" followed by U+0301 is one Character; the split is by scalar, so the accent starts the given name.
        let name = try #require(PersonName("Doe^\u{301}Ann"))
        #expect(name.alphabetic.givenName == "\u{301}Ann")
    }

    @Test func buildsFromGroups() {
        let name = PersonName(
            alphabetic: .init(familyName: "Hong", givenName: "Gildong"), phonetic: .init(familyName: "홍"))
        #expect(name.description == "Hong^Gildong==홍")
    }
}
