import Hummingbird

// A bare Hummingbird server: the ceiling the broker's figures are divided by. `GET /ping` answers a small JSON
// object, `POST /echo` returns the request body, and `GET /bytes` answers the number of bytes given as the second
// argument from memory (the imaging benchmark's ceiling for downloads of files of that size).
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
let blobSize = min(max(Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 0, 0), 64 << 20)
let blob = ByteBuffer(bytes: (0..<blobSize).map { UInt8(truncatingIfNeeded: $0) })
router.get("bytes") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/dicom"], body: .init(byteBuffer: blob))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
