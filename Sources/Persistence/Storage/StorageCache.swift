package import NIOCore
import Synchronization

/// An in-memory cache of storage-area files by attachment UUID, bounded by their total size (Orthanc's
/// `MaximumStorageCacheSize`).
///
/// Values are a file's original bytes, decompressed, so that a hit costs neither a system call nor zlib. The least
/// recently used files are evicted first when a new one does not fit. Every operation takes one short lock and
/// runs in constant time: entries live in an array, chained from the most to the least recently used by indices,
/// with a dictionary from UUID to index.
///
/// No invalidation beyond `remove(uuid:)` is needed: a stored file never changes, since every write creates a
/// file under a new UUID.
package final class StorageCache: Sendable {
    /// The most bytes the cached values may hold together; 0 disables the cache.
    package let capacity: Int
    private let state: Mutex<LRUList>

    /// Creates an empty cache.
    ///
    /// - Parameter capacity: the most bytes the cached values may hold together; 0 (or less) stores nothing.
    package init(capacity: Int) {
        self.capacity = max(0, capacity)
        self.state = Mutex(LRUList())
    }

    /// The bytes cached for `uuid`, which become the most recently used; `nil` when they are not cached.
    package func get(uuid: String) -> ByteBuffer? {
        state.withLock { $0.get(uuid) }
    }

    /// Caches `bytes` for `uuid` as the most recently used value, evicting the least recently used values until
    /// they fit.
    ///
    /// Bytes larger than the capacity are not cached (and any value cached for `uuid` is dropped), nor are empty
    /// ones: they would save little and count nothing against the bound.
    ///
    /// - Parameters:
    ///   - uuid: the attachment's UUID.
    ///   - bytes: the file's original bytes; their readable bytes are what counts against the capacity.
    package func insert(uuid: String, bytes: ByteBuffer) {
        let size = bytes.readableBytes
        let capacity = self.capacity
        state.withLock { list in
            guard size > 0, size <= capacity else {
                list.remove(uuid)
                return
            }
            list.insert(uuid, bytes)
            while list.totalBytes > capacity {
                list.removeLeastRecentlyUsed()
            }
        }
    }

    /// Drops the value cached for `uuid`, if any.
    package func remove(uuid: String) {
        state.withLock { $0.remove(uuid) }
    }

    /// The number of cached values.
    package var count: Int {
        state.withLock { $0.count }
    }

    /// The readable bytes of all cached values together; never more than `capacity`.
    package var totalBytes: Int {
        state.withLock { $0.totalBytes }
    }
}

/// The entries of a ``StorageCache`` in a doubly linked list by array index, most recently used first.
private struct LRUList {
    private struct Node {
        var uuid: String
        var bytes: ByteBuffer
        var previous: Int?
        var next: Int?
    }

    private var nodes: [Node] = []
    /// Indices in `nodes` of removed entries, reused by the next insertions.
    private var freeIndices: [Int] = []
    private var indexByUUID: [String: Int] = [:]
    private var head: Int?
    private var tail: Int?
    private(set) var totalBytes = 0

    var count: Int { indexByUUID.count }

    mutating func get(_ uuid: String) -> ByteBuffer? {
        guard let index = indexByUUID[uuid] else { return nil }
        moveToFront(index)
        return nodes[index].bytes
    }

    mutating func insert(_ uuid: String, _ bytes: ByteBuffer) {
        if let index = indexByUUID[uuid] {
            totalBytes += bytes.readableBytes - nodes[index].bytes.readableBytes
            nodes[index].bytes = bytes
            moveToFront(index)
            return
        }
        let node = Node(uuid: uuid, bytes: bytes, previous: nil, next: head)
        let index: Int
        if let free = freeIndices.popLast() {
            index = free
            nodes[index] = node
        } else {
            index = nodes.count
            nodes.append(node)
        }
        if let head { nodes[head].previous = index }
        head = index
        if tail == nil { tail = index }
        indexByUUID[uuid] = index
        totalBytes += bytes.readableBytes
    }

    mutating func remove(_ uuid: String) {
        guard let index = indexByUUID.removeValue(forKey: uuid) else { return }
        unlink(index)
        totalBytes -= nodes[index].bytes.readableBytes
        // Release the bytes now rather than when the slot is reused.
        nodes[index].bytes = ByteBuffer()
        nodes[index].uuid = ""
        freeIndices.append(index)
    }

    mutating func removeLeastRecentlyUsed() {
        guard let tail else { return }
        remove(nodes[tail].uuid)
    }

    private mutating func moveToFront(_ index: Int) {
        guard head != index else { return }
        unlink(index)
        nodes[index].next = head
        if let head { nodes[head].previous = index }
        head = index
        if tail == nil { tail = index }
    }

    private mutating func unlink(_ index: Int) {
        let previous = nodes[index].previous
        let next = nodes[index].next
        if let previous { nodes[previous].next = next } else { head = next }
        if let next { nodes[next].previous = previous } else { tail = previous }
        nodes[index].previous = nil
        nodes[index].next = nil
    }
}
