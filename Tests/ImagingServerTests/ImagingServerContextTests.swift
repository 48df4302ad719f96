import Foundation
import NIOCore
import Persistence
import Testing

@testable import ImagingServer

@Suite struct ImagingServerContextTests {
    private func withContext(
        cacheSizeMB: Int? = nil, _ body: (ImagingServerContext) async throws -> Void
    ) async throws {
        let folder = NSTemporaryDirectory() + "atrium-context-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = ImagingConfiguration()
        configuration.storageDirectory = folder
        if let cacheSizeMB { configuration.maximumStorageCacheSizeMB = cacheSizeMB }
        try await body(try ImagingServerContext(configuration: configuration))
    }

    @Test func buildsTheStorageCacheOfTheConfiguredSize() async throws {
        try await withContext { #expect($0.storage.cache?.capacity == 128 * 1024 * 1024) }
        try await withContext(cacheSizeMB: 3) { #expect($0.storage.cache?.capacity == 3 * 1024 * 1024) }
        try await withContext(cacheSizeMB: 0) { #expect($0.storage.cache == nil) }
        try await withContext(cacheSizeMB: Int.max) { #expect($0.storage.cache?.capacity == (Int.max >> 20) << 20) }
    }

    @Test func servesRepeatedReadsFromTheCache() async throws {
        try await withContext { context in
            // Above the size from which uncompressed files are streamed from the disk.
            let original = ByteBuffer(repeating: 0x5A, count: 8 * ImagingServerContext.streamChunkSize + 1)
            let file = try await context.storeFile(original, compressed: false)
            let attachment = AttachmentInfo(
                fileType: 1, uuid: file.uuid, compressedSize: file.compressedSize,
                uncompressedSize: file.uncompressedSize, compressionType: file.compression.rawValue,
                uncompressedMD5: file.uncompressedMD5, compressedMD5: file.compressedMD5, revision: 1)
            #expect(try await context.readFile(attachment) == original)
            #expect(context.storage.cache?.totalBytes == original.readableBytes)
            try FileManager.default.removeItem(atPath: context.storage.path(of: file.uuid))
            #expect(try await context.readFile(attachment) == original)
            guard case .bytes(let body) = try await context.fileBody(attachment) else {
                Issue.record("a cached file is streamed from the disk")
                return
            }
            #expect(body == original)
        }
    }
}
