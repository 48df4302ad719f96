import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The edge between Hummingbird and the routes: authentication, body limits, request and response translation.
struct OrthancHTTPResponder: HTTPResponder {
    typealias Context = OrthancRequestContext

    let router: OrthancRouter
    let configuration: ImagingConfiguration

    func respond(to request: Request, context: OrthancRequestContext) async throws -> Response {
        let method = Self.method(request.method)
        let uri = request.uri.path
        var username = ""
        if configuration.requiresAuthentication {
            guard let user = authenticate(request.headers[.authorization]) else {
                var headers = HTTPFields()
                headers[.wwwAuthenticate] = "Basic realm=\"Orthanc Secure Area\""
                let body = OrthancErrorBody.body(for: OrthancError(.unauthorized), method: method.rawValue, uri: uri)
                headers[.contentType] = "application/json"
                return Response(
                    status: .unauthorized, headers: headers,
                    body: .init(byteBuffer: ByteBuffer(bytes: body.serializedBytes())))
            }
            username = user
        }
        var mutableRequest = request
        let limit =
            configuration.maximumRequestBodySizeMB > 0 ? configuration.maximumRequestBodySizeMB * 1024 * 1024 : Int.max
        var body = ByteBuffer()
        if method == .post || method == .put || method == .delete {
            do {
                body = try await mutableRequest.collectBody(upTo: limit)
            } catch {
                return convert(
                    OrthancErrorBody.response(
                        for: OrthancError(.requestEntityTooLarge, "the request body is too large"),
                        method: method.rawValue, uri: uri),
                    isHead: false)
            }
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let restRequest = RESTRequest(
            method: method, uri: uri, segments: RESTRequest.segments(of: uri),
            query: RESTRequest.query(of: request.uri.query),
            headers: headers, body: body, remoteIP: context.remoteIP, username: username)
        let response = await router.handle(restRequest)
        return convert(response, isHead: method == .head)
    }

    private func convert(_ response: RESTResponse, isHead: Bool) -> Response {
        var headers = HTTPFields()
        if let contentType = response.contentType { headers[.contentType] = contentType }
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { headers[fieldName] = value }
        }
        if !configuration.keepAlive { headers[.connection] = "close" }
        let status = HTTPResponse.Status(
            code: response.status, reasonPhrase: OrthancErrorBody.reasonPhrase(response.status))
        switch response.body {
        case .bytes(let buffer):
            return Response(status: status, headers: headers, body: isHead ? .init() : .init(byteBuffer: buffer))
        case .stream(let producer):
            // A HEAD gets the headers of the GET, Content-Length included, and no body.
            if isHead { return Response(status: status, headers: headers, body: .init()) }
            return Response(
                status: status, headers: headers,
                body: .init { writer in
                    let sink = StreamSink(writer: writer)
                    try await producer { buffer in try await sink.write(buffer) }
                    try await sink.finish()
                })
        }
    }

    /// Checks HTTP Basic credentials against `RegisteredUsers` (plain passwords or `sha256:` hashes).
    private func authenticate(_ header: String?) -> String? {
        guard let header, header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let user = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard let expected = configuration.registeredUsers[user] else { return nil }
        if expected.hasPrefix("sha256:") {
            let digest = SHA256.hash(data: Array(password.utf8)).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
            return digest == expected.dropFirst(7).lowercased() ? user : nil
        }
        return expected == password ? user : nil
    }

    static func method(_ method: HTTPRequest.Method) -> RESTRequest.Method {
        switch method {
        case .get: .get
        case .post: .post
        case .put: .put
        case .delete: .delete
        case .head: .head
        default: .other
        }
    }
}

/// Carries Hummingbird's body writer into the routes' streaming closure; it is used by one task at a time.
private final class StreamSink: @unchecked Sendable {
    private var writer: any ResponseBodyWriter

    init(writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ buffer: ByteBuffer) async throws {
        try await writer.write(buffer)
    }

    func finish() async throws {
        try await writer.finish(nil)
    }
}
