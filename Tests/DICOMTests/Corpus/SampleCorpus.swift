import DICOM
import Foundation
import NIOCore

/// The real sample files of pydicom and pydicom-data, listed with pydicom's reading of each by
/// `Tests/integration/dicom/make_reference.py`, which `scripts/test` runs before `swift test` and points to
/// with `ATRIUM_DICOM_REFERENCE`.
struct SampleCorpus: Sendable {
    struct Entry: Decodable, Sendable {
        let path: String
        let readable: Bool
        let forced: Bool?
        let reference: String?
        var name: String { URL(fileURLWithPath: path).lastPathComponent }
    }

    let entries: [Entry]
    let directory: URL

    /// Files pydicom reads that Atrium deliberately rejects, with the reason. Each must fail with this code.
    static let rejected: [String: DICOMError.Code] = [
        // Truncated values: pydicom keeps the partial value, Atrium reports the truncation and its offset.
        "MR_truncated.dcm": .invalidLength,
        "rtplan_truncated.dcm": .invalidLength,
        "DICOMDIR-nooffset": .invalidLength,
        "emri_small_jpeg_2k_lossless_too_short.dcm": .truncated,
        // Not DICOM: pydicom's forced read turns arbitrary bytes into one meaningless element.
        "no_meta.dcm": .notPart10,
        "README": .notPart10,
    ]

    static let shared: SampleCorpus? = {
        guard let path = ProcessInfo.processInfo.environment["ATRIUM_DICOM_REFERENCE"],
            let data = try? Data(contentsOf: URL(fileURLWithPath: path)),
            let entries = try? JSONDecoder().decode([Entry].self, from: data)
        else { return nil }
        return SampleCorpus(entries: entries, directory: URL(fileURLWithPath: path).deletingLastPathComponent())
    }()

    static var isAvailable: Bool { shared != nil }

    /// The files pydicom reads and Atrium must read too.
    var readable: [Entry] { entries.filter { $0.readable && Self.rejected[$0.name] == nil } }

    static func bytes(of entry: Entry) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: entry.path)))
    }

    /// pydicom's DICOM JSON of the file's data set.
    func reference(for entry: Entry) throws -> [String: Any] {
        guard let name = entry.reference else { return [:] }
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["dataSet"] as? [String: Any] ?? [:]
    }
}
