import Testing

@testable import DICOM

@Suite struct UIDDictionaryTests {
    static let known: [UIDEntry] = [
        UIDEntry(
            uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian", type: "Transfer Syntax",
            keyword: "ExplicitVRLittleEndian", isRetired: false
        ),
        UIDEntry(
            uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian", type: "Transfer Syntax",
            keyword: "ImplicitVRLittleEndian", isRetired: false
        ),
        UIDEntry(
            uid: "1.2.840.10008.5.1.4.1.1.2", name: "CT Image Storage", type: "SOP Class", keyword: "CTImageStorage",
            isRetired: false
        ),
        UIDEntry(
            uid: "1.2.840.10008.1.1", name: "Verification SOP Class", type: "SOP Class", keyword: "Verification",
            isRetired: false
        ),
        UIDEntry(
            uid: "1.2.840.10008.1.2.4.52", name: "JPEG Extended (Process 3 and 5)", type: "Transfer Syntax",
            keyword: "JPEGExtended35", isRetired: true
        ),
        UIDEntry(uid: "1.2.840.10008.5.1.4.1.1.40", name: "", type: "SOP Class", keyword: nil, isRetired: true),
    ]

    @Test(arguments: known)
    func knownUIDs(entry: UIDEntry) {
        #expect(UIDDictionary.entry(for: entry.uid) == entry)
    }

    @Test func paddedAndUnknownUIDs() {
        #expect(UIDDictionary.entry(for: "1.2.840.10008.1.2.1\0")?.name == "Explicit VR Little Endian")
        #expect(UIDDictionary.entry(for: "1.2.840.10008.1.2.1.") == nil)
        #expect(UIDDictionary.entry(for: "1.2.3") == nil)
        #expect(UIDDictionary.entry(for: "") == nil)
        #expect(UIDDictionary.entry(for: "\0") == nil)
    }

    @Test func everyUIDIsFoundUnderItself() {
        #expect(UIDDictionary.entries.count == 482)
        for (uid, entry) in UIDDictionary.entries {
            #expect(entry.uid == uid)
            #expect(UIDDictionary.entry(for: uid) == entry)
        }
    }
}

@Suite struct StorageSOPClassTests {
    @Test func listsTheStorageClassesOnly() {
        #expect(UIDDictionary.storageSOPClassUIDs.contains("1.2.840.10008.5.1.4.1.1.2"))  // CT Image Storage
        #expect(UIDDictionary.storageSOPClassUIDs.contains("1.2.840.10008.5.1.4.1.1.7"))  // Secondary Capture
        #expect(!UIDDictionary.storageSOPClassUIDs.contains("1.2.840.10008.1.1"))  // Verification
        #expect(!UIDDictionary.storageSOPClassUIDs.contains("1.2.840.10008.5.1.4.1.2.1.1"))  // Patient Root FIND
        #expect(UIDDictionary.storageSOPClassUIDs.count > 150)
    }
}
