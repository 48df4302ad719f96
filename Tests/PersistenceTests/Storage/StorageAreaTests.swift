import Foundation
import NIOCore
import Testing

@testable import Persistence

@Suite struct StorageAreaTests {
    private func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "atrium-storage-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func storesInOrthancLayout() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = StorageArea(root: root)
        let file = try area.store(ByteBuffer(string: "hello"))
        #expect(file.uuid.count == 36)
        let prefix1 = String(file.uuid.prefix(2))
        let prefix2 = String(file.uuid.dropFirst(2).prefix(2))
        #expect(area.path(of: file.uuid) == "\(root)/\(prefix1)/\(prefix2)/\(file.uuid)")
        #expect(FileManager.default.fileExists(atPath: area.path(of: file.uuid)))
        #expect(file.uncompressedSize == 5)
        #expect(file.compressedSize == 5)
        #expect(file.compression == .none)
        #expect(file.uncompressedMD5 == "5d41402abc4b2a76b9719d911017c592")
        #expect(file.compressedMD5 == file.uncompressedMD5)
        #expect(try area.read(uuid: file.uuid, compression: .none) == ByteBuffer(string: "hello"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(prefix1)/\(prefix2)")
        #expect(entries == [file.uuid])
        area.remove(uuid: file.uuid)
        #expect(!FileManager.default.fileExists(atPath: area.path(of: file.uuid)))
    }

    @Test func makesMissingFoldersAndRefusesARootThatIsAFile() throws {
        let base = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        // A root whose ancestors do not exist yet, as a first start with a fresh StorageDirectory.
        let area = StorageArea(root: base + "/a/b/storage")
        var stored: [StoredFile] = []
        for index in 0..<40 { stored.append(try area.store(ByteBuffer(string: "file \(index)"))) }
        for (index, file) in stored.enumerated() {
            #expect(try area.read(uuid: file.uuid, compression: .none) == ByteBuffer(string: "file \(index)"))
        }
        // Nothing but shard folders and files: no temporary file is left behind.
        let everything = try FileManager.default.subpathsOfDirectory(atPath: area.root)
        #expect(everything.filter { !$0.contains("/") }.allSatisfy { $0.count == 2 })
        #expect(everything.filter { $0.split(separator: "/").count == 3 }.count == 40)
        #expect(!everything.contains { $0.hasSuffix(".tmp") })

        let blocked = StorageArea(root: base + "/file")
        #expect(FileManager.default.createFile(atPath: blocked.root, contents: Data("x".utf8)))
        #expect(throws: PersistenceError.self) { try blocked.store(ByteBuffer(string: "y")) }
        #expect(try String(contentsOfFile: blocked.root, encoding: .utf8) == "x")
    }

    @Test func compressesInZlibWithSizeFormat() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = StorageArea(root: root, compressesNewFiles: true)
        let original = ByteBuffer(repeating: 0x41, count: 10_000)
        let file = try area.store(original)
        #expect(file.compression == .zlibWithSize)
        #expect(file.uncompressedSize == 10_000)
        #expect(file.compressedSize < 200)
        var raw = try area.readRaw(uuid: file.uuid)
        #expect(raw.readInteger(endianness: .little, as: UInt64.self) == 10_000)
        #expect(raw.readInteger(as: UInt8.self) == 0x78)  // a zlib header (RFC 1950)
        #expect(try area.read(uuid: file.uuid, compression: .zlibWithSize) == original)
        #expect(file.compressedMD5 != file.uncompressedMD5)
    }

    @Test func reportsMissingAndCorruptedFiles() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = StorageArea(root: root)
        #expect(throws: PersistenceError(.inexistentFile, "")) {
            try area.read(uuid: "00000000-0000-4000-8000-000000000000", compression: .none)
        }
        let file = try area.store(ByteBuffer(string: "not zlib at all"))
        #expect(throws: PersistenceError(.corruptedFile, "")) {
            try area.read(uuid: file.uuid, compression: .zlibWithSize)
        }
    }

    @Test func readsThroughTheCache() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = StorageCache(capacity: 1024)
        let area = StorageArea(root: root, cache: cache)
        let uncached = StorageArea(root: root)
        let file = try area.store(ByteBuffer(string: "hello"))
        // Writing does not fill the cache; the first read does.
        #expect(cache.count == 0)
        #expect(try area.read(uuid: file.uuid, compression: .none) == ByteBuffer(string: "hello"))
        #expect(cache.get(uuid: file.uuid) == ByteBuffer(string: "hello"))
        #expect(cache.totalBytes == 5)
        // With the file deleted behind the cache's back, only the cache can answer.
        try FileManager.default.removeItem(atPath: area.path(of: file.uuid))
        #expect(try area.read(uuid: file.uuid, compression: .none) == ByteBuffer(string: "hello"))
        #expect(throws: PersistenceError(.inexistentFile, "")) {
            try uncached.read(uuid: file.uuid, compression: .none)
        }
        #expect(throws: PersistenceError(.inexistentFile, "")) { try area.readRaw(uuid: file.uuid) }
        #expect(throws: PersistenceError(.inexistentFile, "")) { try area.openForReading(uuid: file.uuid) }
        // readFromDisk skips the lookup its caller has just made.
        #expect(throws: PersistenceError(.inexistentFile, "")) {
            try area.readFromDisk(uuid: file.uuid, compression: .none)
        }
    }

    @Test func readFromDiskFillsTheCache() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = StorageCache(capacity: 1024)
        let area = StorageArea(root: root, compressesNewFiles: true, cache: cache)
        let file = try area.store(ByteBuffer(string: String(repeating: "a", count: 100)))
        #expect(try area.readFromDisk(uuid: file.uuid, compression: file.compression).readableBytes == 100)
        #expect(cache.get(uuid: file.uuid) == ByteBuffer(string: String(repeating: "a", count: 100)))
    }

    @Test func removeEvicts() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = StorageCache(capacity: 1024)
        let area = StorageArea(root: root, cache: cache)
        let file = try area.store(ByteBuffer(string: "hello"))
        #expect(try area.read(uuid: file.uuid, compression: .none) == ByteBuffer(string: "hello"))
        #expect(cache.count == 1)
        area.remove(uuid: file.uuid)
        #expect(cache.count == 0)
        #expect(cache.totalBytes == 0)
        #expect(throws: PersistenceError(.inexistentFile, "")) {
            try area.read(uuid: file.uuid, compression: .none)
        }
    }

    @Test func cachesCompressedFilesDecompressed() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = StorageCache(capacity: 20_000)
        let area = StorageArea(root: root, compressesNewFiles: true, cache: cache)
        let original = ByteBuffer(repeating: 0x41, count: 10_000)
        let file = try area.store(original)
        #expect(file.compression == .zlibWithSize)
        #expect(try area.read(uuid: file.uuid, compression: .zlibWithSize) == original)
        #expect(cache.get(uuid: file.uuid) == original)
        #expect(cache.totalBytes == 10_000)
        // `readRaw` still reads the disk, compressed.
        let raw = try area.readRaw(uuid: file.uuid)
        #expect(raw.readableBytes == Int(file.compressedSize))
        #expect(raw.getInteger(at: raw.readerIndex, endianness: .little, as: UInt64.self) == 10_000)
        try FileManager.default.removeItem(atPath: area.path(of: file.uuid))
        #expect(try area.read(uuid: file.uuid, compression: .zlibWithSize) == original)
        #expect(throws: PersistenceError(.inexistentFile, "")) { try area.readRaw(uuid: file.uuid) }
    }

    @Test func skipsFilesLargerThanTheCache() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cache = StorageCache(capacity: 4)
        let area = StorageArea(root: root, cache: cache)
        let file = try area.store(ByteBuffer(string: "hello"))
        #expect(try area.read(uuid: file.uuid, compression: .none) == ByteBuffer(string: "hello"))
        #expect(cache.count == 0)
        #expect(cache.totalBytes == 0)
    }
}
