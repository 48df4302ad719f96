import DICOM
import Testing

/// Property over the sample corpus: reading Atrium's DICOM JSON of a file back and writing it again gives the
/// same JSON, so every value survives the round trip.
@Suite(.enabled(if: SampleCorpus.isAvailable, "run scripts/test to build the pydicom reference"))
struct DataSetDICOMJSONCorpusTests {
    @Test func everyFileRoundTripsThroughDICOMJSON() throws {
        let corpus = try #require(SampleCorpus.shared)
        var checked = 0
        for entry in corpus.readable {
            let file = try DICOMFile(reading: try SampleCorpus.bytes(of: entry))
            let options = DICOMJSONOptions(includeGroupLengths: true)
            let json = file.dataSet.dicomJSON(options: options)
            let reread = try DataSet(dicomJSON: json)
            let again = reread.dicomJSON(options: options)
            #expect(again == json, "\(entry.path)")
            checked += 1
        }
        #expect(checked == corpus.readable.count)
    }
}
