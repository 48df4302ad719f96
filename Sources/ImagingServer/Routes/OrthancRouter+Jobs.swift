import Foundation
import NIOCore

extension OrthancRouter {
    /// `/jobs`, `/jobs/{id}`, `/jobs/{id}/cancel` and `/jobs/{id}/archive` (Orthanc Book, "Jobs").
    func routeJobs(_ request: RESTRequest) async throws -> RESTResponse {
        let segments = request.segments
        switch segments.count {
        case 1:
            return try await allow([.get], request) {
                let now = OrthancTimestamp.epochSeconds()
                let all = await jobs.all()
                if request.flag("expand") { return .json(.array(all.map { $0.json(now: now) })) }
                return .json(.array(all.map { .string($0.id) }))
            }
        case 2:
            return try await allow([.get], request) {
                guard let job = await jobs.job(segments[1]) else { return .notFound }
                return .json(job.json(now: OrthancTimestamp.epochSeconds()))
            }
        case 3 where segments[2] == "cancel":
            return try await allow([.post], request) {
                // Orthanc answers an unknown job with 400 and no body.
                guard await jobs.cancel(segments[1]) else {
                    return RESTResponse(status: 400, body: .bytes(ByteBuffer()))
                }
                return .emptyObject
            }
        case 3:
            return try await allow([.get], request) { try await jobOutput(segments[1], key: segments[2]) }
        default:
            throw OrthancError(.unknownResource)
        }
    }

    /// `GET /jobs/{id}/archive`: the archive a finished job wrote, streamed from its temporary file with its
    /// `Content-Length`, as Orthanc sends it.
    private func jobOutput(_ id: String, key: String) async throws -> RESTResponse {
        guard key == "archive", let job = await jobs.job(id), job.state == .success, let path = job.outputPath,
            let file = FileHandle(forReadingAtPath: path)
        else { throw OrthancError(.inexistentItem, "Job has no such output: \(key)") }
        // The handle stays valid if the job is forgotten meanwhile: removing the file only unlinks it.
        let size = try file.seekToEnd()
        try file.seek(toOffset: 0)
        return RESTResponse(
            status: 200, contentType: "application/zip",
            headers: [("Content-Disposition", "filename=\"archive.zip\""), ("Content-Length", String(size))],
            body: .stream { write in
                defer { try? file.close() }
                while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try await write(ByteBuffer(bytes: chunk))
                }
            })
    }
}
