/// The registry of DICOM unique identifiers: SOP classes, transfer syntaxes, well-known instances, … (PS3.6
/// Annex A).
///
/// The table is generated from a machine-readable PS3.6 and parsed once, on first use; a lookup is one
/// hash-table access.
public enum UIDDictionary {
    /// The entry of a UID, such as `Explicit VR Little Endian` for `1.2.840.10008.1.2.1`.
    ///
    /// - Parameter uid: the UID. The trailing NUL that pads a UI value to even length (PS3.5 §6.2) is ignored.
    /// - Returns: the entry, or `nil` when PS3.6 does not list the UID.
    public static func entry(for uid: String) -> UIDEntry? {
        if uid.utf8.last == 0 {
            return entries[String(decoding: uid.utf8.dropLast(), as: UTF8.self)]
        }
        return entries[uid]
    }

    /// The storage SOP classes (PS3.4 Annex B): the SOP classes of the registry under `1.2.840.10008.5.1.4.1.1.`,
    /// retired ones included, as a storage SCP lists them for association negotiation.
    public static let storageSOPClassUIDs: Set<String> = Set(
        entries.values.lazy.filter { $0.type == "SOP Class" && $0.uid.hasPrefix("1.2.840.10008.5.1.4.1.1.") }
            .map(\.uid))

    /// Every UID of the generated table, by UID, parsed on first use (a `static let` is initialised once,
    /// thread-safely). Each line of the table is: UID, type, `R` if retired, keyword, name.
    static let entries: [String: UIDEntry] = {
        var entries: [String: UIDEntry] = [:]
        for fields in DictionaryText.records(uidsText, fieldCount: 5) {
            entries[fields[0]] = UIDEntry(
                uid: fields[0], name: fields[4], type: fields[1], keyword: fields[3].isEmpty ? nil : fields[3],
                isRetired: fields[2] == "R"
            )
        }
        return entries
    }()
}
