import NIOCore
import Testing

@testable import Persistence

@Suite struct StorageCacheTests {
    private func bytes(_ count: Int, _ value: UInt8 = 0x41) -> ByteBuffer {
        ByteBuffer(repeating: value, count: count)
    }

    @Test func hitsAndMisses() {
        let cache = StorageCache(capacity: 100)
        #expect(cache.get(uuid: "a") == nil)
        cache.insert(uuid: "a", bytes: ByteBuffer(string: "hello"))
        #expect(cache.get(uuid: "a") == ByteBuffer(string: "hello"))
        #expect(cache.get(uuid: "b") == nil)
        #expect(cache.count == 1)
        #expect(cache.totalBytes == 5)
    }

    @Test func evictsTheLeastRecentlyUsedByBytes() {
        let cache = StorageCache(capacity: 20)
        cache.insert(uuid: "A", bytes: bytes(10, 0x41))
        #expect(cache.totalBytes == 10)
        cache.insert(uuid: "B", bytes: bytes(10, 0x42))
        #expect(cache.totalBytes == 20)
        cache.insert(uuid: "C", bytes: bytes(10, 0x43))
        // A was the least recently used.
        #expect(cache.get(uuid: "A") == nil)
        #expect(cache.count == 2)
        #expect(cache.totalBytes == 20)
        // B is the least recently used and goes; touching C, then A, makes C the next to go.
        cache.insert(uuid: "A", bytes: bytes(10, 0x41))
        #expect(cache.get(uuid: "B") == nil)
        #expect(cache.get(uuid: "C") == bytes(10, 0x43))
        #expect(cache.get(uuid: "A") == bytes(10, 0x41))
        cache.insert(uuid: "D", bytes: bytes(10, 0x44))
        #expect(cache.get(uuid: "C") == nil)
        #expect(cache.get(uuid: "A") == bytes(10, 0x41))
        #expect(cache.get(uuid: "D") == bytes(10, 0x44))
        #expect(cache.count == 2)
        #expect(cache.totalBytes == 20)
    }

    @Test func touchingKeepsAValue() {
        // Room for three values: insert A, B and C, touch A, insert D; B is the least recently used and goes.
        let cache = StorageCache(capacity: 30)
        cache.insert(uuid: "A", bytes: bytes(10, 0x41))
        cache.insert(uuid: "B", bytes: bytes(10, 0x42))
        cache.insert(uuid: "C", bytes: bytes(10, 0x43))
        #expect(cache.totalBytes == 30)
        #expect(cache.get(uuid: "A") == bytes(10, 0x41))
        cache.insert(uuid: "D", bytes: bytes(10, 0x44))
        #expect(cache.count == 3)
        #expect(cache.totalBytes == 30)
        #expect(cache.get(uuid: "B") == nil)
        #expect(cache.get(uuid: "A") == bytes(10, 0x41))
        #expect(cache.get(uuid: "C") == bytes(10, 0x43))
        #expect(cache.get(uuid: "D") == bytes(10, 0x44))
    }

    @Test func evictsSeveralValuesForALargeOne() {
        let cache = StorageCache(capacity: 30)
        cache.insert(uuid: "A", bytes: bytes(10))
        cache.insert(uuid: "B", bytes: bytes(10))
        cache.insert(uuid: "C", bytes: bytes(10))
        #expect(cache.totalBytes == 30)
        cache.insert(uuid: "D", bytes: bytes(25))
        #expect(cache.get(uuid: "A") == nil)
        #expect(cache.get(uuid: "B") == nil)
        #expect(cache.get(uuid: "C") == nil)
        #expect(cache.get(uuid: "D") == bytes(25))
        #expect(cache.count == 1)
        #expect(cache.totalBytes == 25)
    }

    @Test func refusesValuesLargerThanTheCapacity() {
        let cache = StorageCache(capacity: 10)
        cache.insert(uuid: "A", bytes: bytes(4))
        cache.insert(uuid: "big", bytes: bytes(11))
        #expect(cache.get(uuid: "big") == nil)
        #expect(cache.get(uuid: "A") == bytes(4))
        #expect(cache.count == 1)
        #expect(cache.totalBytes == 4)
        cache.insert(uuid: "exact", bytes: bytes(10))
        #expect(cache.get(uuid: "exact") == bytes(10))
        #expect(cache.get(uuid: "A") == nil)
        #expect(cache.totalBytes == 10)
    }

    @Test func refusesEmptyValues() {
        let cache = StorageCache(capacity: 10)
        cache.insert(uuid: "empty", bytes: ByteBuffer())
        #expect(cache.get(uuid: "empty") == nil)
        #expect(cache.count == 0)
        #expect(cache.totalBytes == 0)
    }

    @Test func replacesAValue() {
        let cache = StorageCache(capacity: 20)
        cache.insert(uuid: "A", bytes: bytes(5))
        cache.insert(uuid: "B", bytes: bytes(5))
        cache.insert(uuid: "A", bytes: bytes(8, 0x61))
        #expect(cache.get(uuid: "A") == bytes(8, 0x61))
        #expect(cache.count == 2)
        #expect(cache.totalBytes == 13)
        cache.insert(uuid: "A", bytes: bytes(21))
        #expect(cache.get(uuid: "A") == nil)
        #expect(cache.count == 1)
        #expect(cache.totalBytes == 5)
    }

    @Test func removes() {
        let cache = StorageCache(capacity: 100)
        cache.insert(uuid: "A", bytes: bytes(10))
        cache.insert(uuid: "B", bytes: bytes(20))
        cache.insert(uuid: "C", bytes: bytes(30))
        #expect(cache.totalBytes == 60)
        cache.remove(uuid: "B")
        #expect(cache.get(uuid: "B") == nil)
        #expect(cache.count == 2)
        #expect(cache.totalBytes == 40)
        cache.remove(uuid: "missing")
        #expect(cache.totalBytes == 40)
        cache.remove(uuid: "C")
        cache.remove(uuid: "A")
        #expect(cache.count == 0)
        #expect(cache.totalBytes == 0)
        // Freed slots are reused and the order still holds.
        cache.insert(uuid: "D", bytes: bytes(50))
        cache.insert(uuid: "E", bytes: bytes(50))
        cache.insert(uuid: "F", bytes: bytes(50))
        #expect(cache.get(uuid: "D") == nil)
        #expect(cache.get(uuid: "E") == bytes(50))
        #expect(cache.get(uuid: "F") == bytes(50))
        #expect(cache.totalBytes == 100)
    }

    @Test func capacityZeroStoresNothing() {
        let cache = StorageCache(capacity: 0)
        cache.insert(uuid: "A", bytes: bytes(1))
        cache.insert(uuid: "B", bytes: ByteBuffer())
        #expect(cache.get(uuid: "A") == nil)
        #expect(cache.get(uuid: "B") == nil)
        #expect(cache.count == 0)
        #expect(cache.totalBytes == 0)
        #expect(StorageCache(capacity: -5).capacity == 0)
    }

    @Test func cachedBytesAreNotChangedByTheirReaders() {
        let cache = StorageCache(capacity: 100)
        cache.insert(uuid: "A", bytes: ByteBuffer(string: "hello"))
        var first = cache.get(uuid: "A")
        #expect(first?.readString(length: 5) == "hello")
        first?.writeString(" world")
        #expect(cache.get(uuid: "A") == ByteBuffer(string: "hello"))
        #expect(cache.totalBytes == 5)
    }

    @Test func concurrentUse() async {
        let cache = StorageCache(capacity: 1000)
        // Each task inserts, reads and removes values of 64 UUIDs shared by all; the value of `file-n` is always
        // n + 1 bytes of n + 1, so a read that sees anything else counts as wrong.
        let wrongReads = await withTaskGroup(of: Int.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var wrong = 0
                    for step in 0..<2000 {
                        let number = (task * 7 + step) % 64
                        let expected = ByteBuffer(repeating: UInt8(number + 1), count: number + 1)
                        switch step % 4 {
                        case 0, 1: cache.insert(uuid: "file-\(number)", bytes: expected)
                        case 2: if let value = cache.get(uuid: "file-\(number)"), value != expected { wrong += 1 }
                        default: cache.remove(uuid: "file-\(number)")
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrongReads == 0)
        var expectedBytes = 0
        var found = 0
        for number in 0..<64 {
            if let value = cache.get(uuid: "file-\(number)") {
                #expect(value.readableBytes == number + 1)
                expectedBytes += value.readableBytes
                found += 1
            }
        }
        #expect(cache.count == found)
        #expect(cache.totalBytes == expectedBytes)
        #expect(cache.totalBytes <= 1000)
    }
}
