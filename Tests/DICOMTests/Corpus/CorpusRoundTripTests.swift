import DICOM
import NIOCore
import Testing

/// Every sample file pydicom reads is read by Atrium, and written back byte for byte.
@Suite(.enabled(if: SampleCorpus.isAvailable, "run scripts/test to build the pydicom reference"))
struct CorpusRoundTripTests {
    @Test func corpusIsNotEmpty() throws {
        let corpus = try #require(SampleCorpus.shared)
        #expect(corpus.readable.count > 200)
    }

    @Test func everyReadableFileParses() throws {
        let corpus = try #require(SampleCorpus.shared)
        for entry in corpus.readable {
            #expect(throws: Never.self, "\(entry.path)") {
                _ = try DICOMFile(reading: try SampleCorpus.bytes(of: entry))
            }
        }
    }

    @Test func rejectedFilesFailWithTheirCode() throws {
        let corpus = try #require(SampleCorpus.shared)
        for entry in corpus.entries where SampleCorpus.rejected[entry.name] != nil {
            let expected = try #require(SampleCorpus.rejected[entry.name])
            let error = #expect(throws: DICOMError.self, "\(entry.path)") {
                _ = try DICOMFile(reading: try SampleCorpus.bytes(of: entry))
            }
            #expect(error?.code == expected, "\(entry.path)")
            #expect(error?.offset != nil, "\(entry.path)")
        }
    }

    @Test func unchangedFilesRoundTripByteForByte() throws {
        let corpus = try #require(SampleCorpus.shared)
        for entry in corpus.readable {
            let original = try SampleCorpus.bytes(of: entry)
            let file = try DICOMFile(reading: original)
            let written = try file.write()
            if file.transferSyntax.isDeflated {
                // Deflating anew need not give the same stream: compare what it inflates to.
                let reread = try DICOMFile(reading: written)
                #expect(
                    try reread.write(transferSyntax: .explicitVRLittleEndian)
                        == file.write(transferSyntax: .explicitVRLittleEndian), "\(entry.path)")
            } else {
                #expect(written == original, "\(entry.path)")
            }
        }
    }

    @Test(arguments: TransferSyntax.uncompressed)
    func transcodingKeepsEveryValue(to target: TransferSyntax) throws {
        let corpus = try #require(SampleCorpus.shared)
        for entry in corpus.readable {
            let file = try DICOMFile(reading: try SampleCorpus.bytes(of: entry))
            guard !file.transferSyntax.isEncapsulated else { continue }
            let transcoded = try DICOMFile(reading: try file.write(transferSyntax: target))
            #expect(transcoded.transferSyntax == target, "\(entry.path)")
            #expect(transcoded.metaInformation[.transferSyntaxUID]?.string() == target.uid)
            let difference = firstDifference(
                file.dataSet, transcoded.dataSet, implicit: !target.isExplicitVR || !file.dataSetIsExplicitVR)
            #expect(difference == nil, "\(entry.path) → \(target.uid): \(difference ?? "")")
        }
    }
}

/// The first element whose tag or value differs, comparing numbers by value whatever their byte order.
func firstDifference(_ lhs: DataSet, _ rhs: DataSet, implicit: Bool) -> String? {
    guard lhs.count == rhs.count else { return "element count \(lhs.count) ≠ \(rhs.count)" }
    for (left, right) in zip(lhs.elements, rhs.elements) {
        guard left.tag == right.tag else { return "tag \(left.tag) ≠ \(right.tag)" }
        // Implicit VR keeps no VR: only compare VRs when both sides carried them.
        if !implicit && left.vr != right.vr { return "\(left.tag) VR \(left.vr) ≠ \(right.vr)" }
        switch (left.value, right.value) {
        case (.sequence(let a), .sequence(let b)):
            guard a.count == b.count else { return "\(left.tag) item count" }
            for (itemA, itemB) in zip(a, b) {
                if let difference = firstDifference(itemA, itemB, implicit: implicit) {
                    return "\(left.tag) > \(difference)"
                }
            }
        case (.fragments(let a), .fragments(let b)):
            if a != b { return "\(left.tag) fragments" }
        case (.bytes, .bytes):
            if littleEndianBytes(left) != littleEndianBytes(right) { return "\(left.tag) value" }
        default:
            return "\(left.tag) value kind"
        }
    }
    return nil
}

/// The value bytes in little-endian order.
func littleEndianBytes(_ element: DataElement) -> [UInt8] {
    guard let bytes = element.bytes else { return [] }
    let raw = Array(bytes.readableBytesView)
    let unit = element.vr.byteSwapUnit
    guard element.isBigEndian, unit > 1 else { return raw }
    var swapped = raw
    var offset = 0
    while offset + unit <= raw.count {
        for index in 0..<unit { swapped[offset + index] = raw[offset + unit - 1 - index] }
        offset += unit
    }
    return swapped
}
