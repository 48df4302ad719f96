@_spi(CustomByteBufferAllocator) public import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of a file on disk as a `ByteBuffer`, read without copying what a parse does not touch.
///
/// A large file is mapped into memory rather than read: a parse that stops before Pixel Data, or that only
/// slices the pixel value without decoding it, then never brings the pixel bytes in from the page cache, and
/// the kernel does not copy them into the process. A small file is read with one `read`, which costs less
/// than setting up and tearing down a mapping.
///
/// The mapping is private and copy-on-write, so a buffer that is written to never changes the file. It is
/// unmapped when the last buffer (or slice) that shares it is released. A mapped file must not be truncated
/// by another process while a buffer over it is alive (reading a page past the new end raises `SIGBUS`): map
/// only files that are written once and replaced by rename, as the files of a storage area are.
public enum FileContents {
    /// Files at least this large are mapped; smaller ones are read.
    public static let mappingThreshold = 256 * 1024

    /// Reads or maps a whole file.
    ///
    /// - Parameters:
    ///   - path: the file's path.
    ///   - mapping: whether a file of at least ``mappingThreshold`` bytes may be mapped; `false` always reads.
    /// - Throws: ``DICOMError/Code/unreadableFile`` when the file cannot be opened, examined or read.
    public static func read(path: String, mapping: Bool = true) throws(DICOMError) -> ByteBuffer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open the file") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot examine the file") }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DICOMError(.unreadableFile, "the path does not name a regular file")
        }
        let size = Int(status.st_size)
        if mapping && size >= mappingThreshold, let mapped = map(descriptor, size: size) {
            return mapped
        }
        return try readWhole(descriptor, size: size)
    }

    private static func failure(_ message: String) -> DICOMError {
        DICOMError(.unreadableFile, "\(message) (errno \(errno))")
    }

    /// Reads `size` bytes with `read`, retrying on interruption; a file that shrank meanwhile yields what is left.
    private static func readWhole(_ descriptor: Int32, size: Int) throws(DICOMError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: max(size, 1))
        var remaining = size
        while remaining > 0 {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: remaining) { target in
                systemRead(descriptor, target.baseAddress, remaining)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read the file")
            }
            if count == 0 { break }
            remaining -= count
        }
        return buffer
    }

    /// Maps a file, or returns `nil` when the system refuses (the caller then reads it).
    private static func map(_ descriptor: Int32, size: Int) -> ByteBuffer? {
        guard let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0),
            address != MAP_FAILED
        else { return nil }
        MappedRegions.shared.record(address, size: size)
        return ByteBuffer(
            takingOwnershipOf: UnsafeMutableRawBufferPointer(start: address, count: size),
            allocator: MappedRegions.allocator)
    }
}

/// `read(2)`, named apart from ``FileContents/read(path:mapping:)``.
private func systemRead(_ descriptor: Int32, _ target: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, target, count)
    #else
        Darwin.read(descriptor, target, count)
    #endif
}

/// The sizes of the mappings that buffers own, so that their release can unmap them.
///
/// `ByteBuffer` hands its allocator only the address of the memory it frees, and `munmap` needs the length
/// too. Memory that is not in the table was allocated by `malloc`: a mapped buffer that grows or is copied on
/// write moves to ordinary memory.
private final class MappedRegions: Sendable {
    static let shared = MappedRegions()

    private let sizes = Mutex<[UInt: Int]>([:])

    func record(_ address: UnsafeMutableRawPointer, size: Int) {
        sizes.withLock { $0[UInt(bitPattern: address)] = size }
    }

    /// Forgets a mapping and returns its size, or `nil` for memory that is not mapped.
    func take(_ address: UnsafeMutableRawPointer) -> Int? {
        sizes.withLock { $0.removeValue(forKey: UInt(bitPattern: address)) }
    }

    static let allocator = ByteBufferAllocator(
        allocate: { size in malloc(size) },
        reallocate: { address, oldSize, newSize in
            guard let address, let mappedSize = MappedRegions.shared.take(address) else {
                return realloc(address, newSize)
            }
            guard let moved = malloc(newSize) else { return nil }
            moved.copyMemory(from: address, byteCount: min(oldSize, mappedSize, newSize))
            munmap(address, mappedSize)
            return moved
        },
        deallocate: { address in
            if let mappedSize = MappedRegions.shared.take(address) {
                munmap(address, mappedSize)
            } else {
                free(address)
            }
        },
        copy: { target, source, count in target.copyMemory(from: source, byteCount: count) }
    )
}
