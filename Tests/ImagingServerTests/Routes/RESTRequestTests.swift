import Testing

@testable import ImagingServer

@Suite struct RESTRequestTests {
    @Test func splitsPathsOnSlashesAndDropsEmptySegments() {
        #expect(RESTRequest.segments(of: "/instances/abc/file") == ["instances", "abc", "file"])
        #expect(RESTRequest.segments(of: "//instances//abc/") == ["instances", "abc"])
        #expect(RESTRequest.segments(of: "/") == [])
        #expect(RESTRequest.segments(of: "") == [])
        #expect(RESTRequest.segments(of: "tools") == ["tools"])
    }

    @Test func decodesPercentEscapesInSegments() {
        #expect(
            RESTRequest.segments(of: "/instances/a%2Fb/metadata/My%20Key") == [
                "instances", "a/b", "metadata", "My Key",
            ])
        #expect(RESTRequest.segments(of: "/content/0010%2c0010") == ["content", "0010,0010"])
        #expect(RESTRequest.segments(of: "/labels/caf%C3%A9") == ["labels", "café"])
    }

    @Test func keepsAPercentThatIsNotAnEscape() {
        #expect(RESTRequest.percentDecoded("100%") == "100%")
        #expect(RESTRequest.percentDecoded("%zz1") == "%zz1")
        #expect(RESTRequest.percentDecoded("%4") == "%4")
        #expect(RESTRequest.percentDecoded("%41%") == "A%")
    }

    @Test func parsesQueryStrings() {
        #expect(RESTRequest.query(of: "expand&limit=10&since=%32") == ["expand": "", "limit": "10", "since": "2"])
        #expect(RESTRequest.query(of: "a=x+y&b=") == ["a": "x y", "b": ""])
        #expect(RESTRequest.query(of: nil) == [:])
        #expect(RESTRequest.query(of: "") == [:])
    }
}
