import Synchronization

/// The Orthanc names of private tags already looked up, by tag and private creator.
///
/// A private tag's name needs its creator's entry in the private dictionary (a lookup by text) and the entry's
/// name made into one word; rendering `/tags` of a file with many private elements did both for every element of
/// every request. Names never change, so they are kept. Creators come from the files, so the cache stops growing
/// at ``capacity`` entries rather than letting uploads fill memory.
final class PrivateTagNameCache: Sendable {
    static let shared = PrivateTagNameCache()

    /// The most names kept.
    static let capacity = 65_536

    private struct Key: Hashable {
        let tag: UInt32
        let creator: String
    }

    private let names = Mutex<[Key: String]>([:])

    /// The cached name, or the one `make` returns, which is cached while there is room.
    func name(of tag: DICOMTag, creator: String, make: () -> String) -> String {
        let key = Key(tag: tag.rawValue, creator: creator)
        if let name = names.withLock({ $0[key] }) { return name }
        let name = make()
        names.withLock { names in
            if names.count < Self.capacity { names[key] = name }
        }
        return name
    }

    /// The number of cached names.
    var count: Int { names.withLock { $0.count } }
}
