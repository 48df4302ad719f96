import Foundation
import HTTPTypes
package import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The broker's HTTP edge: turns a Hummingbird request into an ``NGSIRequest``, runs the route, and writes
/// Orion's response with Orion's headers in Orion's order (`Date`, `Fiware-Correlator`, then `Location`,
/// `Fiware-Total-Count` or `Allow`, then `Content-Type` and `Content-Length`).
package struct BrokerResponder: HTTPResponder {
    package typealias Context = BrokerRequestContext

    let broker: ContextBroker

    package init(broker: ContextBroker) { self.broker = broker }

    static let correlatorName = HTTPField.Name("Fiware-Correlator")!
    static let serviceName = HTTPField.Name("Fiware-Service")!
    static let servicePathName = HTTPField.Name("Fiware-ServicePath")!
    static let originName = HTTPField.Name("Origin")!
    static let realIPName = HTTPField.Name("X-Real-IP")!
    static let forwardedForName = HTTPField.Name("X-Forwarded-For")!
    static let authTokenName = HTTPField.Name("X-Auth-Token")!

    package func respond(to request: Request, context: Context) async throws -> Response {
        let correlator = request.headers[Self.correlatorName] ?? CorrelatorGenerator.shared.next()
        var request = request
        let response: NGSIResponse
        // Only -statSemWait and -statTiming measure requests; otherwise nothing is timed.
        let timer = broker.measuresRequests ? RequestTimer() : nil
        let start = timer.map { _ in ContinuousClock.now }
        defer { if let timer, let start { broker.record(timer, total: ContinuousClock.now - start) } }
        var payload: [UInt8] = []
        do {
            response = try await RequestTimer.$current.withValue(timer) {
                try await handle(&request, correlator: correlator, payload: &payload)
            }
        } catch let error as NGSIError {
            broker.statistics.withLock { $0.invalidRequests += 1 }
            response = .error(error)
        } catch {
            response = .error(NGSIError.internalServerError(for: error, logger: broker.logger))
        }
        var withCORS = response
        if let cors = broker.configuration.cors {
            withCORS.headers += cors.headers(
                requestOrigin: request.headers[Self.originName],
                preflightMethods: request.method == .options ? withCORS.allowedMethods : nil)
        }
        // Only the broker that logs as Orion (`atrium context-broker`) writes a line per request.
        if broker.logSink != nil && broker.logger.logLevel <= .info {
            logRequest(request, context: context, correlator: correlator, payload: payload, status: response.status)
        }
        return Self.httpResponse(withCORS, correlator: correlator)
    }

    /// Orion's INFO line of a request (doc/manuals/admin/logs.md, "INFO level in detail"):
    /// `Request received: POST /v2/entities, request payload (34 bytes): {…}, response code: 201`, the payload cut
    /// at `infoPayloadMaxSize` bytes with `(...)`.
    func logRequest(_ request: Request, context: Context, correlator: String, payload: [UInt8], status: Int) {
        var message = "Request received: \(request.method.rawValue) \(request.uri.description)"
        if !payload.isEmpty {
            let maximum = broker.logSettings.withLock { $0.infoPayloadMaxSize }
            var text = String(decoding: payload.prefix(maximum), as: UTF8.self)
            text.removeAll { $0 == "\n" || $0 == "\r" }
            message += ", request payload (\(payload.count) bytes): " + text + (payload.count > maximum ? "(...)" : "")
        }
        message += ", response code: \(status)"
        // A client of the dual-stack listener that came over IPv4 shows as its IPv4 address, as on Orion's own
        // IPv4 listener.
        var address = context.remoteAddress?.ipAddress ?? "N/A"
        if address.hasPrefix("::ffff:") && address.contains(".") { address.removeFirst(7) }
        let from = request.headers[Self.realIPName] ?? request.headers[Self.forwardedForName] ?? address
        broker.logger.info(
            "\(message)",
            metadata: [
                "corr": "\(correlator)", "trans": "\(TransactionIDGenerator.shared.next())", "from": "\(from)",
                "srv": "\(request.headers[Self.serviceName] ?? "<none>")",
                "subsrv": "\(request.headers[Self.servicePathName] ?? "<none>")",
            ])
    }

    static func httpResponse(_ response: NGSIResponse, correlator: String) -> Response {
        var headers = HTTPFields()
        // Placeholder: Hummingbird overwrites the Date field in place, which keeps it first as in Orion.
        headers[.date] = ""
        headers[correlatorName] = correlator
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        guard let body = response.body else {
            if response.status != 204 { headers[.contentLength] = "0" }
            return Response(status: HTTPResponse.Status(code: response.status), headers: headers, body: ResponseBody())
        }
        let buffer = ByteBuffer(string: body)
        headers[.contentType] = response.contentType
        headers[.contentLength] = String(buffer.readableBytes)
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: headers, body: ResponseBody(byteBuffer: buffer)
        )
    }

    private func handle(_ request: inout Request, correlator: String, payload: inout [UInt8]) async throws
        -> NGSIResponse
    {
        let method = request.method.rawValue
        let rawPath = request.uri.path
        var segments: [String] = []
        for piece in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard piece.utf8.contains(UInt8(ascii: "%")) else {
                segments.append(String(piece))
                continue
            }
            guard let decoded = String(piece).removingPercentEncoding else { throw NGSIError.invalidURIPath }
            segments.append(decoded)
        }
        // Orion's test hook: with -harakiri, GET /exit/harakiri stops the broker cleanly.
        if broker.configuration.harakiri && segments == ["exit", "harakiri"] && method == "GET" {
            broker.requestExit()
            return NGSIResponse(status: 200)
        }
        guard let (route, pathParameters) = Route.match(segments) else {
            throw NGSIError.serviceNotFound
        }
        // With -corsOrigin, OPTIONS on a /v2 resource is a CORS preflight, answered with the resource's methods.
        if method == "OPTIONS", broker.configuration.cors != nil, route.rawValue.hasPrefix("/v2") {
            var preflight = NGSIResponse(status: 200)
            preflight.allowedMethods = route.methods + ["OPTIONS"]
            return preflight
        }
        guard route.methods.contains(method) else {
            broker.statistics.withLock { $0.missedVerb += 1 }
            return .error(NGSIError.methodNotAllowed, headers: [("Allow", route.methods.joined(separator: ", "))])
        }
        for segment in pathParameters where Validation.hasForbiddenCharacters(segment) {
            throw NGSIError.invalidURIPath
        }
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            parameters[String(key)] = String(value)
        }
        for (key, value) in parameters where value.isEmpty {
            throw NGSIError(.badRequest, "Empty right-hand-side for URI param /\(key)/")
        }
        for (key, value) in parameters where Self.hasForbiddenCharacters(parameter: key, value) {
            throw NGSIError.invalidURIParameter
        }

        // Body: Content-Length is required on writes, bounded by -inReqPayloadMaxSize.
        var body: [UInt8] = []
        var contentType: String?
        let hasBodyMethod = method == "POST" || method == "PUT" || method == "PATCH"
        let carriesBody = hasBodyMethod && !(route == .adminLog)
        if carriesBody {
            guard let lengthText = request.headers[.contentLength], let length = Int(lengthText), length > 0 else {
                throw NGSIError.contentLengthRequired
            }
            let maximum = broker.configuration.payloadMaximum
            if length > maximum { throw NGSIError.payloadTooLarge(size: length, maximum: maximum) }
            let buffer = try await request.collectBody(upTo: maximum)
            body = Array(buffer.readableBytesView)
            payload = body
            guard let declared = request.headers[.contentType] else { throw NGSIError.missingContentType }
            let declaredType = String(declared.split(separator: ";", omittingEmptySubsequences: false)[0])
            let mediaType = declaredType.trimmingWhitespace().lowercased()
            contentType = mediaType
            let accepted = route == .attributeValue ? ["application/json", "text/plain"] : ["application/json"]
            guard accepted.contains(mediaType) else { throw NGSIError.unsupportedMediaType(declaredType) }
            broker.statistics.withLock {
                if mediaType == "text/plain" { $0.textRequests += 1 } else { $0.jsonRequests += 1 }
            }
        } else {
            broker.statistics.withLock { $0.noPayloadRequests += 1 }
        }

        let accept = request.headers[.accept]
        if let accept, !Self.acceptsJSON(accept), !(route == .attributeValue && Self.accepts(accept, "text/plain")) {
            throw NGSIError.notAcceptable(
                route == .attributeValue ? "application/json, text/plain" : "application/json")
        }

        var tenant = ""
        if broker.configuration.multiservice, let service = request.headers[Self.serviceName], !service.isEmpty {
            tenant = try Self.tenant(service)
        }
        broker.statistics.withLock { $0.requests[route.rawValue, default: [:]][method, default: 0] += 1 }

        let ngsiRequest = NGSIRequest(
            method: method, segments: pathParameters, parameters: parameters, body: body, contentType: contentType,
            accept: accept, servicePath: request.headers[Self.servicePathName], tenant: tenant, correlator: correlator,
            authToken: request.headers[Self.authTokenName])
        let isWrite = method != "GET"
        return try await broker.gate.run(isWrite: isWrite) {
            try await broker.dispatch(route, ngsiRequest)
        }
    }

    /// Orion's tenant rules: alphanumerics and `_`, at most 50 characters, lower-cased.
    static func tenant(_ service: String) throws(NGSIError) -> String {
        if service.utf8.count > 50 {
            throw NGSIError(.badRequest, "bad length - a tenant name can be max 50 characters long")
        }
        for byte in service.utf8 {
            let valid =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            if !valid {
                throw NGSIError(
                    .badRequest,
                    "bad character in tenant name - only underscore and alphanumeric characters are allowed")
            }
        }
        return service.lowercased()
    }

    /// Orion's forbidden-character check on URI parameters: `q`, `mq` and `idPattern` are exempt (the Simple
    /// Query Language has its own check); `georel` and `geometry` may hold `=` and `;`, `coords` may hold `;`.
    static func hasForbiddenCharacters(parameter key: String, _ value: String) -> Bool {
        switch key {
        case "q", "mq", "idPattern": return false
        case "georel", "geometry": return hasForbiddenCharacters(value, except: [0x3D, 0x3B])
        case "coords": return hasForbiddenCharacters(value, except: [0x3B])
        default: return Validation.hasForbiddenCharacters(key) || Validation.hasForbiddenCharacters(value)
        }
    }

    private static func hasForbiddenCharacters(_ value: String, except allowed: Set<UInt8>) -> Bool {
        for byte in value.utf8 where !allowed.contains(byte) {
            switch byte {
            case 0x3C, 0x3E, 0x22, 0x27, 0x3D, 0x3B, 0x28, 0x29: return true
            default: continue
            }
        }
        return false
    }

    static func acceptsJSON(_ accept: String) -> Bool { accepts(accept, "application/json") }

    static func accepts(_ accept: String, _ mediaType: String) -> Bool {
        let major = mediaType.split(separator: "/")[0]
        for item in accept.split(separator: ",") {
            let type = item.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() } ?? ""
            if type.isEmpty { continue }
            if type == "*/*" || type == mediaType || type == "\(major)/*" { return true }
        }
        return false
    }
}
