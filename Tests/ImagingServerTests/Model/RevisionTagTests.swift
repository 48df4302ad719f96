import Testing

@testable import ImagingServer

@Suite struct RevisionTagTests {
    @Test func readsIfMatchHeaders() throws {
        #expect(try RevisionTag(ifMatch: "\"3-abc\"") == RevisionTag(revision: 3, md5: "abc"))
        #expect(try RevisionTag(ifMatch: " 0-d41d8cd98f00b204e9800998ecf8427e ").revision == 0)
        #expect(RevisionTag(revision: 2, md5: "ff").headerValue == "\"2-ff\"")
        #expect(
            RevisionTag(revision: 0, value: "v") == RevisionTag(revision: 0, md5: "9e3669d19b675bd57058fd4664205d2a"))
        #expect(throws: OrthancError(.parameterOutOfRange)) { try RevisionTag(ifMatch: "7") }
        #expect(throws: OrthancError(.parameterOutOfRange)) { try RevisionTag(ifMatch: "x-abc") }
    }

    @Test func checksTheSentTagAgainstTheCurrentOne() throws {
        let current = RevisionTag(revision: 1, md5: "aa")
        try RevisionTag.check(current, against: current, required: true)
        try RevisionTag.check(nil, against: current, required: false)
        #expect(throws: OrthancError(.revision)) { try RevisionTag.check(nil, against: current, required: true) }
        #expect(throws: OrthancError(.revision)) {
            try RevisionTag.check(RevisionTag(revision: 0, md5: "aa"), against: current, required: false)
        }
        #expect(throws: OrthancError(.revision)) {
            try RevisionTag.check(RevisionTag(revision: 1, md5: "bb"), against: current, required: false)
        }
    }
}
