import DICOM
import Testing

@Suite struct DICOMAgeTests {
    @Test(arguments: [
        ("042Y", 42, DICOMAge.Unit.years), ("003M", 3, .months), ("012W", 12, .weeks), ("000D", 0, .days),
        ("999Y ", 999, .years),
    ])
    func parses(text: String, value: Int, unit: DICOMAge.Unit) throws {
        let age = try #require(DICOMAge(text))
        #expect(age.value == value)
        #expect(age.unit == unit)
        #expect(age.description == String(text.prefix(4)))
    }

    @Test(arguments: ["", "42Y", "0042Y", "042", "042y", "042X", "042YY", "-42Y", "04 Y", "Y042"])
    func rejectsMalformed(text: String) {
        #expect(DICOMAge(text) == nil)
    }

    @Test func buildsFromParts() {
        #expect(DICOMAge(value: 7, unit: .weeks)?.description == "007W")
        #expect(DICOMAge(value: 1000, unit: .days) == nil)
    }
}
