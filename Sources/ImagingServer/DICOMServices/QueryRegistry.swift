import Foundation
import Synchronization

/// The queries of `POST /modalities/{id}/query`, by ID, kept in memory for the `/queries` routes.
///
/// Like Orthanc's query/retrieve archive (`QueryRetrieveSize`, 100 by default), it holds a bounded number of
/// queries and forgets the oldest first. Queries do not survive a restart, as in Orthanc.
package final class QueryRegistry: Sendable {
    private let queries = Mutex<[(id: String, query: RemoteQuery)]>([])
    private let capacity: Int

    package init(capacity: Int = 100) {
        self.capacity = max(1, capacity)
    }

    /// Keeps a query and answers its new ID, a random lower-case UUID as Orthanc names queries.
    func add(_ query: RemoteQuery) -> String {
        let id = UUID().uuidString.lowercased()
        queries.withLock { entries in
            entries.append((id, query))
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
        return id
    }

    subscript(id: String) -> RemoteQuery? {
        queries.withLock { $0.first { $0.id == id }?.query }
    }

    /// The IDs of the queries kept, sorted as Orthanc lists them.
    var ids: [String] {
        queries.withLock { $0.map(\.id) }.sorted()
    }

    func remove(_ id: String) {
        queries.withLock { $0.removeAll { $0.id == id } }
    }
}
