import Synchronization

/// The modalities Atrium knows, by symbolic name: `DicomModalities` at start, then changed by
/// `PUT` and `DELETE /modalities/{id}`. Read by the DICOM server for every association, so lookups are
/// synchronous and cheap.
package final class ModalityDirectory: Sendable {
    /// The modalities sorted by symbolic name, so that a look-up by AE title needs no sort.
    private let modalities: Mutex<[(name: String, modality: RemoteModality)]>
    private let strictComparison: Bool

    package init(_ modalities: [String: RemoteModality], strictAETComparison: Bool) {
        self.modalities = Mutex(modalities.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        self.strictComparison = strictAETComparison
    }

    /// Every modality, by symbolic name.
    package var all: [String: RemoteModality] {
        modalities.withLock { Dictionary(uniqueKeysWithValues: $0.map { ($0.name, $0.modality) }) }
    }

    package subscript(name: String) -> RemoteModality? {
        modalities.withLock { $0.first { $0.name == name }?.modality }
    }

    package func set(_ modality: RemoteModality, named name: String) {
        modalities.withLock { entries in
            entries.removeAll { $0.name == name }
            let position = entries.firstIndex { $0.name > name } ?? entries.endIndex
            entries.insert((name, modality), at: position)
        }
    }

    /// Removes a modality; false when there was none of that name.
    package func remove(named name: String) -> Bool {
        modalities.withLock { entries in
            guard let position = entries.firstIndex(where: { $0.name == name }) else { return false }
            entries.remove(at: position)
            return true
        }
    }

    /// The first modality (by symbolic name) with this AE title, and, when `host` is given, this host.
    package func modality(withTitle title: String, host: String? = nil) -> RemoteModality? {
        modalities.withLock { entries in
            entries.lazy.map(\.modality).first { modality in
                let sameTitle =
                    strictComparison
                    ? modality.applicationEntityTitle == title
                    : modality.applicationEntityTitle.uppercased() == title.uppercased()
                return sameTitle && (host == nil || modality.host == host)
            }
        }
    }
}
