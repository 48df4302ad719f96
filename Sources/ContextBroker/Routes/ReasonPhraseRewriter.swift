import NIOCore
import NIOHTTP1

/// Writes Orion's status-line reason phrases where SwiftNIO's differ.
///
/// Orion (libmicrohttpd 1.0) sends the RFC 9110 phrases `413 Content Too Large` and `422 Unprocessable Content`
/// (RFC 9110 §15.5.14, §15.5.21); SwiftNIO's `HTTPResponseStatus(statusCode:)` maps those codes to its own
/// `Payload Too Large` and `Unprocessable Entity` whatever phrase the response carries. This handler sits next to
/// the HTTP/1 encoder and replaces the status of those two codes by a custom one with Orion's phrase. It only
/// frames bytes: no routing, no state.
final class ReasonPhraseRewriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Orion's phrase for a status code, when it is not SwiftNIO's.
    static func orionPhrase(for code: UInt) -> String? {
        switch code {
        case 413: return "Content Too Large"
        case 422: return "Unprocessable Content"
        default: return nil
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), let phrase = Self.orionPhrase(for: head.status.code)
        else {
            context.write(data, promise: promise)
            return
        }
        head.status = .custom(code: head.status.code, reasonPhrase: phrase)
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
