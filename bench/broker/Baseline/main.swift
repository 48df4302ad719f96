import Hummingbird

// A bare Hummingbird server: the ceiling the broker's figures are divided by. `GET /ping` answers a small JSON
// object, `POST /echo` returns the request body.
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18080
let router = Router()
router.get("ping") { _, _ in
    Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"id":"E1","type":"T","temperature":23}"#)))
}
router.post("echo") { request, _ in
    let body = try await request.body.collect(upTo: 1 << 20)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
