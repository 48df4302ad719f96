import DICOM
import Testing

@Suite struct DICOMDateTimeTests {
    @Test(arguments: [
        "2024", "202402", "20240229", "2024022913", "202402291305", "20240229130559", "20240229130559.123456",
        "20240229130559.1+0100", "2024-0500", "20240229+1400", "20240229-1200", "20240229130559+0000",
    ])
    func parsesAndRebuilds(text: String) {
        #expect(DICOMDateTime(text)?.description == text)
    }

    @Test func exposesParts() throws {
        let value = try #require(DICOMDateTime(" 20240229130559.5-0530 "))
        #expect(value.year == 2024)
        #expect(value.month == 2)
        #expect(value.day == 29)
        #expect(value.time?.description == "130559.5")
        #expect(value.utcOffsetMinutes == -330)
    }

    @Test(arguments: [
        "", "202", "20241", "202413", "20230229", "2024022924", "20240229130560.", "20240229+1500", "20240229-1201",
        "20240229+0160", "20240229+01", "2024022913:05", "20240229T1305", "20240229130559.1234567", "2024+0100x",
    ])
    func rejectsMalformed(text: String) {
        #expect(DICOMDateTime(text) == nil)
    }

    @Test func orders() throws {
        #expect(try #require(DICOMDateTime("2024")) < #require(DICOMDateTime("20240101000000.000001")))
        #expect(try #require(DICOMDateTime("20240102")) > #require(DICOMDateTime("20240101235959")))
    }
}
