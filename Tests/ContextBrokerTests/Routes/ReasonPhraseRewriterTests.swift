import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import ContextBroker

@Suite struct ReasonPhraseRewriterTests {
    /// Encodes a response head with status `code` through a pipeline set up as Hummingbird's, plus the installer.
    func statusLine(_ code: Int) throws -> String {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try channel.pipeline.syncOperations.addHandler(ReasonPhraseInstaller())
        let head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: code), headers: ["Content-Length": "0"])
        try channel.writeOutbound(HTTPServerResponsePart.head(head))
        var written = ByteBuffer()
        while let part = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(var buffer) = part { written.writeBuffer(&buffer) }
        }
        _ = try channel.finish()
        let text = written.readString(length: written.readableBytes) ?? ""
        // "\r\n" is one Character in Swift.
        return String(text.prefix { $0 != "\r\n" })
    }

    @Test func writesOrionsPhrasesFor413And422() throws {
        #expect(try statusLine(413) == "HTTP/1.1 413 Content Too Large")
        #expect(try statusLine(422) == "HTTP/1.1 422 Unprocessable Content")
    }

    @Test func leavesOtherPhrasesAlone() throws {
        #expect(try statusLine(404) == "HTTP/1.1 404 Not Found")
        #expect(try statusLine(201) == "HTTP/1.1 201 Created")
    }
}
