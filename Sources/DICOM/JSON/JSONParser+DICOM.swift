import JSON

/// The JSON core's value, as DICOM JSON reading sees it: members in document order, numbers as their text.
typealias JSONValue = JSON.JSONValue

/// DICOM JSON's view of the JSON core's parser: every member kept (each is an element), 128 levels, 1 GiB, and
/// the core's errors as ``DICOMError`` with code ``DICOMError/Code/invalidJSON`` and the byte offset.
enum JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    static let defaultMaximumDepth = 128
    /// The largest input accepted, in bytes.
    static let defaultMaximumSize = 1 << 30

    /// Parses one JSON document; only whitespace may follow it.
    static func parse(
        _ input: some Collection<UInt8>, maximumDepth: Int = defaultMaximumDepth,
        maximumSize: Int = defaultMaximumSize
    ) throws(DICOMError) -> JSONValue {
        let options = JSON.JSONParser.Options(
            maximumDepth: maximumDepth, maximumSize: maximumSize, duplicateKeys: .keepAll)
        do {
            return try JSON.JSONParser.parse(input, options: options)
        } catch {
            throw DICOMError(.invalidJSON, error.message, offset: error.offset)
        }
    }
}
