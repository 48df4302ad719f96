import Synchronization

/// The modalities Atrium knows, by symbolic name: `DicomModalities` (or those saved in the index, with
/// `DicomModalitiesInDatabase`) at start, then changed by `PUT` and `DELETE /modalities/{id}`. Read by the DICOM
/// server for every association, so lookups are synchronous and cheap.
package final class ModalityDirectory: Sendable {
    /// Every modality after a change, and the rank of that change, for saving the list in the index.
    package struct Snapshot: Sendable, Equatable {
        package var modalities: [String: RemoteModality]
        /// Counts the changes: a snapshot of a higher revision is newer.
        package var revision: Int64

        package init(modalities: [String: RemoteModality], revision: Int64) {
            self.modalities = modalities
            self.revision = revision
        }
    }

    /// The modalities sorted by symbolic name, so that a look-up by AE title needs no sort, and the revision of the
    /// last change.
    private let state: Mutex<(entries: [(name: String, modality: RemoteModality)], revision: Int64)>
    private let strictComparison: Bool

    package init(_ modalities: [String: RemoteModality], strictAETComparison: Bool, revision: Int64 = 0) {
        self.state = Mutex((modalities.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, revision))
        self.strictComparison = strictAETComparison
    }

    /// Every modality, by symbolic name.
    package var all: [String: RemoteModality] {
        state.withLock { Self.dictionary($0.entries) }
    }

    package subscript(name: String) -> RemoteModality? {
        state.withLock { $0.entries.first { $0.name == name }?.modality }
    }

    /// Adds or replaces a modality.
    ///
    /// - Returns: the modalities after the change.
    @discardableResult
    package func set(_ modality: RemoteModality, named name: String) -> Snapshot {
        state.withLock { state in
            state.entries.removeAll { $0.name == name }
            let position = state.entries.firstIndex { $0.name > name } ?? state.entries.endIndex
            state.entries.insert((name, modality), at: position)
            state.revision += 1
            return Snapshot(modalities: Self.dictionary(state.entries), revision: state.revision)
        }
    }

    /// Removes a modality.
    ///
    /// - Returns: the modalities after the change; nil when there was none of that name.
    package func remove(named name: String) -> Snapshot? {
        state.withLock { state in
            guard let position = state.entries.firstIndex(where: { $0.name == name }) else { return nil }
            state.entries.remove(at: position)
            state.revision += 1
            return Snapshot(modalities: Self.dictionary(state.entries), revision: state.revision)
        }
    }

    private static func dictionary(_ entries: [(name: String, modality: RemoteModality)]) -> [String: RemoteModality] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.modality) })
    }

    /// The first modality (by symbolic name) with this AE title, and, when `host` is given, this host.
    package func modality(withTitle title: String, host: String? = nil) -> RemoteModality? {
        state.withLock { state in
            state.entries.lazy.map(\.modality).first { modality in
                let sameTitle =
                    strictComparison
                    ? modality.applicationEntityTitle == title
                    : modality.applicationEntityTitle.uppercased() == title.uppercased()
                return sameTitle && (host == nil || modality.host == host)
            }
        }
    }
}
