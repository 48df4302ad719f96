import Foundation
import Persistence

@testable import ImagingServer

/// A fresh index in a temporary folder, and records of made-up instances.
struct IndexFixture {
    let folder: String
    let index: ImagingIndex

    init() throws {
        folder = NSTemporaryDirectory() + "atrium-index-" + UUID().uuidString
        index = try ImagingIndex(path: folder + "/index.sqlite")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func record(
        patient: String = "P1", study: String = "1.2.3", series: String = "1.2.3.4", sop: String = "1.2.3.4.5",
        tags: [UInt32: String] = [:], size: Int64 = 100, md5: String = "00"
    ) -> InstanceRecord {
        var allTags: [UInt32: String] = [
            0x0010_0020: patient, 0x0020_000D: study, 0x0020_000E: series, 0x0008_0018: sop,
        ]
        allTags.merge(tags) { _, new in new }
        return InstanceRecord(
            patientID: patient, studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sop,
            tags: allTags, metadata: [.indexInSeries: "1", .origin: "RestApi"],
            file: StoredFile(
                uuid: UUID().uuidString.lowercased(), compression: .none, uncompressedSize: size, compressedSize: size,
                uncompressedMD5: md5, compressedMD5: md5))
    }
}
