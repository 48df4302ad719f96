import DICOM
import NIOCore

/// `GET /instances/{id}/content/…`: walks a data set by tags (`gggg-eeee`) and item indices.
///
/// A data set answers the list of its tags, a sequence the list of its item indices, and any other element its
/// raw value bytes, as Orthanc does.
enum InstanceContent {
    static func answer(_ dataSet: DataSet, path: [String]) throws -> RESTResponse {
        var current = dataSet
        var index = 0
        while index < path.count {
            guard let tag = tag(path[index]), let element = current[tag] else {
                throw OrthancError(.unknownResource)
            }
            index += 1
            if element.vr == .SQ {
                let items = element.items
                guard index < path.count else {
                    return .json(.array(items.indices.map { .string(String($0)) }))
                }
                guard let itemIndex = Int(path[index]), items.indices.contains(itemIndex) else {
                    throw OrthancError(.unknownResource)
                }
                current = items[itemIndex]
                index += 1
                continue
            }
            guard index == path.count else { throw OrthancError(.unknownResource) }
            return .bytes(element.bytes ?? ByteBuffer(), contentType: "application/octet-stream")
        }
        return .json(.array(current.map { .string(key($0.tag)) }))
    }

    /// A tag written `gggg-eeee` (or `gggg,eeee`), hexadecimal.
    static func tag(_ text: String) -> DICOMTag? {
        let digits = text.filter { $0 != "-" && $0 != "," }
        guard digits.count == 8, let value = UInt32(digits, radix: 16) else { return nil }
        return DICOMTag(rawValue: value)
    }

    static func key(_ tag: DICOMTag) -> String {
        func hex4(_ value: UInt16) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        return hex4(tag.group) + "-" + hex4(tag.element)
    }
}
