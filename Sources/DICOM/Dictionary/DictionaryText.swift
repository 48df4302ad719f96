/// Reads the tab-separated tables of the generated `*.generated.swift` files.
///
/// The tables are written by `scripts/generate-dictionary.py` and checked by the tests, so a malformed line is
/// a programmer error, not bad input: it stops the program with the line in the message.
enum DictionaryText {
    /// The lines of `text`, each split into exactly `fieldCount` fields.
    static func records(_ text: String, fieldCount: Int) -> [[String]] {
        var records: [[String]] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            precondition(fields.count == fieldCount, "dictionary line has \(fields.count) fields, not \(fieldCount)")
            records.append(fields)
        }
        return records
    }
}
