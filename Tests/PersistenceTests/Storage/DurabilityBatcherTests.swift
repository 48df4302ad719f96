import Foundation
import NIOCore
import Persistence
import Testing

@Suite struct DurabilityBatcherTests {
    @Test func everyConcurrentCallerResumesAfterASync() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("durability-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let area = StorageArea(root: folder)
        let batcher = DurabilityBatcher(folder: folder)
        let stored = try await withThrowingTaskGroup(of: StoredFile.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let file = try area.storeWithoutSync(ByteBuffer(bytes: [UInt8(index)]), compressed: false)
                    try await batcher.makeDurable()
                    return file
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stored.count == 64)
        for file in stored {
            #expect(try area.read(uuid: file.uuid, compression: .none).readableBytes == 1)
        }
    }

    @Test func aMissingFolderIsAnError() async {
        let batcher = DurabilityBatcher(folder: "/nonexistent-\(UUID())")
        await #expect(throws: PersistenceError.self) { try await batcher.makeDurable() }
    }
}
