import Foundation
import NIOCore
import Testing

@testable import Persistence

/// Spool files: written piece by piece with their MD5, adopted into Orthanc's layout by a rename, removed when
/// abandoned or left by a stopped process.
@Suite struct SpoolFileTests {
    private func temporaryFolder() -> String {
        NSTemporaryDirectory() + "atrium-spool-" + UUID().uuidString
    }

    private func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func aSpoolFileIsAdoptedIntoTheLayoutWithItsSizeAndMD5() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = StorageArea(root: root, compressesNewFiles: true)
        let spool = try area.createSpoolFile()
        #expect(spool.path.hasPrefix(root + "/.spool-"))
        var whole = ByteBuffer()
        for index in 0..<50 {
            let piece = ByteBuffer(bytes: (0..<(1000 + index)).map { UInt8(truncatingIfNeeded: $0 &+ index) })
            try spool.write(piece)
            whole.writeImmutableBuffer(piece)
        }
        #expect(spool.size == Int64(whole.readableBytes))
        // Reads at any offset, shorter at the end.
        #expect(try spool.read(at: 10, count: 20) == whole.getSlice(at: 10, length: 20))
        #expect(try spool.read(at: Int64(whole.readableBytes - 5), count: 20).readableBytes == 5)

        let file = try area.adopt(spool)
        #expect(file.uncompressedMD5 == StorageArea.md5(whole))
        #expect(file.compressedMD5 == file.uncompressedMD5)
        #expect(file.uncompressedSize == Int64(whole.readableBytes))
        // Stored uncompressed whatever `StorageCompression` says, at the UUID's place in the layout.
        #expect(file.compression == .none)
        #expect(
            area.path(of: file.uuid).hasPrefix(
                root + "/" + file.uuid.prefix(2) + "/" + file.uuid.dropFirst(2).prefix(2) + "/"))
        #expect(try area.read(uuid: file.uuid, compression: .none) == whole)
        #expect(!FileManager.default.fileExists(atPath: spool.path))
        #expect(!names(in: root).contains { $0.hasPrefix(".spool-") })
        #expect(throws: PersistenceError.self) { try spool.write(ByteBuffer(string: "late")) }
    }

    @Test func aDiscardedSpoolFileLeavesNothing() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = StorageArea(root: root)
        let spool = try area.createSpoolFile()
        try spool.write(ByteBuffer(string: "partial"))
        spool.discard()
        #expect(names(in: root).isEmpty)
    }

    @Test func leftoverSpoolFilesAreRemovedWhenTheAreaOpens() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = StorageArea(root: root)
        let stored = try area.store(ByteBuffer(string: "kept"))
        let leftover = try area.createSpoolFile()
        try leftover.write(ByteBuffer(string: "crashed in the middle"))
        #expect(names(in: root).contains { $0.hasPrefix(".spool-") })
        StorageArea(root: root).removeLeftoverSpoolFiles()
        #expect(!names(in: root).contains { $0.hasPrefix(".spool-") })
        #expect(try area.read(uuid: stored.uuid, compression: .none) == ByteBuffer(string: "kept"))
    }
}
