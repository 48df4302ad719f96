import Synchronization
import Testing

@testable import DICOM

@Suite struct PrivateTagNameCacheTests {
    @Test func makesEachNameOnce() {
        let cache = PrivateTagNameCache()
        let calls = Mutex(0)
        func name(_ tag: DICOMTag, _ creator: String) -> String {
            cache.name(of: tag, creator: creator) {
                calls.withLock { $0 += 1 }
                return "Name\(tag.rawValue)\(creator)"
            }
        }
        #expect(name(DICOMTag(0x0009, 0x1001), "GEMS_IDEN_01") == "Name593921GEMS_IDEN_01")
        #expect(name(DICOMTag(0x0009, 0x1001), "GEMS_IDEN_01") == "Name593921GEMS_IDEN_01")
        #expect(calls.withLock { $0 } == 1)
        // The same tag under another creator is another name.
        #expect(name(DICOMTag(0x0009, 0x1001), "SIEMENS CSA HEADER") == "Name593921SIEMENS CSA HEADER")
        #expect(calls.withLock { $0 } == 2)
        #expect(cache.count == 2)
    }

    @Test func rendersTheSameNamesWithTheCacheWarm() throws {
        let dataSet = DataSet([
            DataElement(tag: DICOMTag(0x0009, 0x0010), vr: .LO, strings: ["GEMS_IDEN_01"]),
            DataElement(tag: DICOMTag(0x0009, 0x1001), vr: .LO, strings: ["x"]),
        ])
        let first = dataSet.orthancJSON(format: .full)
        let second = dataSet.orthancJSON(format: .full)
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self).contains(#""Name":"FullFidelity""#))
    }
}
