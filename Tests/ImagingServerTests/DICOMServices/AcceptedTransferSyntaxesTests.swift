import Testing

@testable import ImagingServer

@Suite struct AcceptedTransferSyntaxesTests {
    @Test func patternsSelectKnownSyntaxesInOrthancsOrder() {
        #expect(AcceptedTransferSyntaxes(patterns: ["1.2.840.10008.1.*"]).uids == AcceptedTransferSyntaxes.known)
        #expect(AcceptedTransferSyntaxes.known.count == 42)
        #expect(
            AcceptedTransferSyntaxes(patterns: ["1.2.840.10008.1.2.5", "1.2.840.10008.1.2", "1.2.3"]).uids == [
                "1.2.840.10008.1.2", "1.2.840.10008.1.2.5",
            ])
        #expect(
            AcceptedTransferSyntaxes(patterns: ["1.2.840.10008.1.2.4.9?"]).uids == [
                "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92",
                "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.94", "1.2.840.10008.1.2.4.95",
            ])
        #expect(AcceptedTransferSyntaxes(patterns: []).uids.isEmpty)
    }

    @Test(arguments: [
        (#""1.2.840.10008.1.2.1""#, ["1.2.840.10008.1.2.1"]),
        (
            #" ["1.2.840.10008.1.2", "1.2.840.10008.1.2.?"] "#,
            [
                "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5",
            ]
        ),
        ("[]", []),
        ("foo", []),
        ("", []),
        ("{", []),
        ("*", AcceptedTransferSyntaxes.known),
    ])
    func requestBodies(body: String, expected: [String]) throws {
        #expect(try AcceptedTransferSyntaxes(requestBody: body).uids == expected)
    }

    @Test(arguments: ["1.2.840.10008.1.2.1", " 1abc", "-x", "true", "null", "[1]", #"{"a": 1}"#, "3"])
    func refusedBodies(body: String) {
        #expect(throws: OrthancError(.badFileFormat)) { try AcceptedTransferSyntaxes(requestBody: body) }
    }

    @Test func rendersTheListOrthancAnswers() {
        let selection = AcceptedTransferSyntaxes(patterns: ["1.2.840.10008.1.2"])
        #expect(selection.json.serialized(pretty: false) == #"["1.2.840.10008.1.2"]"#)
    }
}
