import DICOM
import Testing

@Suite struct DICOMDateTests {
    @Test(arguments: [
        ("20240229", "20240229"), ("1999.12.31", "19991231"), (" 20000101 ", "20000101"), ("00010101", "00010101"),
    ])
    func parses(text: String, description: String) {
        #expect(DICOMDate(text)?.description == description)
    }

    @Test func exposesParts() throws {
        let date = try #require(DICOMDate("2023.07.04"))
        #expect([date.year, date.month, date.day] == [2023, 7, 4])
        #expect(DICOMDate(year: 2023, month: 7, day: 4) == date)
    }

    @Test(arguments: [
        "", "2024", "202402", "20230229", "19000229", "20241301", "20240001", "20240431", "20240100", "2024.0101",
        "202401.01", "2024-01-01", "2024011", "202401011", "2024O101", "+2024010", "２０２４０１０１",
    ])
    func rejectsMalformed(text: String) {
        #expect(DICOMDate(text) == nil)
    }

    @Test func orders() throws {
        let earlier = try #require(DICOMDate("20231231"))
        let later = try #require(DICOMDate("20240101"))
        #expect(earlier < later)
        #expect(DICOMDate("20000229") != nil)
    }
}
