import Synchronization

/// The modalities Atrium knows, by symbolic name: `DicomModalities` at start, then changed by
/// `PUT` and `DELETE /modalities/{id}`. Read by the DICOM server for every association, so lookups are
/// synchronous and cheap.
package final class ModalityDirectory: Sendable {
    private let modalities: Mutex<[String: RemoteModality]>
    private let strictComparison: Bool

    package init(_ modalities: [String: RemoteModality], strictAETComparison: Bool) {
        self.modalities = Mutex(modalities)
        self.strictComparison = strictAETComparison
    }

    /// Every modality, by symbolic name.
    package var all: [String: RemoteModality] { modalities.withLock { $0 } }

    package subscript(name: String) -> RemoteModality? { modalities.withLock { $0[name] } }

    package func set(_ modality: RemoteModality, named name: String) {
        modalities.withLock { $0[name] = modality }
    }

    /// Removes a modality; false when there was none of that name.
    package func remove(named name: String) -> Bool {
        modalities.withLock { $0.removeValue(forKey: name) != nil }
    }

    /// The first modality (by symbolic name) with this AE title, and, when `host` is given, this host.
    package func modality(withTitle title: String, host: String? = nil) -> RemoteModality? {
        let candidates = all.sorted { $0.key < $1.key }.map(\.value)
        return candidates.first { modality in
            let sameTitle =
                strictComparison
                ? modality.applicationEntityTitle == title
                : modality.applicationEntityTitle.uppercased() == title.uppercased()
            return sameTitle && (host == nil || modality.host == host)
        }
    }
}
