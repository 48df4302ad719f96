import DICOM
import Testing

@Suite struct DICOMTimeTests {
    @Test(arguments: [
        ("07", "07"), ("0730", "0730"), ("073015", "073015"), ("073015.1", "073015.1"),
        ("235959.999999", "235959.999999"), ("073015.000100", "073015.000100"), ("07:30", "0730"),
        ("07:30:15", "073015"), ("07:30:15.25", "073015.25"), ("120000 ", "120000"), ("235960", "235960"),
    ])
    func parsesAndKeepsPrecision(text: String, description: String) {
        #expect(DICOMTime(text)?.description == description)
    }

    @Test func exposesParts() throws {
        let time = try #require(DICOMTime("073015.25"))
        #expect(time.hour == 7)
        #expect(time.minute == 30)
        #expect(time.second == 15)
        #expect(time.microsecond == 250_000)
        #expect(time.fractionDigits == 2)
        #expect(DICOMTime("07")?.minute == nil)
    }

    @Test(arguments: [
        "", "7", "073", "07301", "2400", "0760", "073061", "073015.", "073015.1234567", "07:3015", "0730:15",
        "07:30:", "ab", "07.5", "0730.5", "-0730",
    ])
    func rejectsMalformed(text: String) {
        #expect(DICOMTime(text) == nil)
    }

    @Test func orders() throws {
        #expect(try #require(DICOMTime("0730")) < #require(DICOMTime("073000.000001")))
        #expect(try #require(DICOMTime("08")) > #require(DICOMTime("075959")))
    }
}
