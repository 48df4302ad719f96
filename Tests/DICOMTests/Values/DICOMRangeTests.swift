import DICOM
import Testing

@Suite struct DICOMRangeTests {
    @Test func parsesDateRanges() throws {
        let closed = try #require(DICOMDateRange("20240101-20241231"))
        #expect(closed.lower?.description == "20240101")
        #expect(closed.upper?.description == "20241231")
        #expect(closed.description == "20240101-20241231")
        #expect(try closed.contains(#require(DICOMDate("20240615"))))
        #expect(try !closed.contains(#require(DICOMDate("20250101"))))

        let upTo = try #require(DICOMDateRange("-20240101"))
        #expect(upTo.lower == nil)
        #expect(upTo.description == "-20240101")
        #expect(try upTo.contains(#require(DICOMDate("19000101"))))

        let from = try #require(DICOMDateRange("20240101-"))
        #expect(from.upper == nil)
        #expect(try from.contains(#require(DICOMDate("20240101"))))
        #expect(try !from.contains(#require(DICOMDate("20231231"))))
        #expect(DICOMDateRange(" 20240101 - 20240102 ")?.description == "20240101-20240102")
    }

    @Test func parsesTimeRanges() throws {
        let range = try #require(DICOMTimeRange("0800-1230"))
        #expect(try range.contains(#require(DICOMTime("120000"))))
        #expect(try !range.contains(#require(DICOMTime("1231"))))
        #expect(DICOMTimeRange("-0800")?.description == "-0800")
    }

    @Test func parsesDateTimeRangesWithOffsets() throws {
        let range = try #require(DICOMDateTimeRange("20240101120000-0500-20240102"))
        #expect(range.lower?.description == "20240101120000-0500")
        #expect(range.upper?.description == "20240102")
        #expect(DICOMDateTimeRange("2020-2021")?.description == "2020-2021")
        #expect(DICOMDateTimeRange("20240101-0500-")?.upper == nil)
    }

    @Test(arguments: ["", "-", "20240101", "20240101-2024010", "x-20240101", "20241231-20240101", "--20240101"])
    func rejectsMalformedDateRanges(text: String) {
        #expect(DICOMDateRange(text) == nil)
    }
}
