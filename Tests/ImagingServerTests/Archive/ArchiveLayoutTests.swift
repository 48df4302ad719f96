import Testing

@testable import ImagingServer

@Suite struct ArchiveLayoutTests {
    private func item(
        _ patient: String, _ study: String, _ series: String, _ instance: String,
        study tags: [UInt32: String] = [:], series seriesTags: [UInt32: String] = [:]
    ) -> ArchiveLayout.Item {
        ArchiveLayout.Item(
            patient: OrthancID(patient), study: OrthancID(study), series: OrthancID(series),
            instance: OrthancID(instance), studyTags: tags, seriesTags: seriesTags)
    }

    @Test func foldersFromTags() {
        let layout = ArchiveLayout([
            item(
                "p", "s", "r", "i",
                study: [0x0010_0020: "1CT1", 0x0010_0010: "CompressedSamples^CT1", 0x0008_1030: "e+1"],
                series: [0x0008_0060: "CT"])
        ])
        #expect(layout.entries.map(\.name) == ["1CT1 CompressedSamples CT1/e1/CT/CT000000.dcm"])
    }

    @Test func cleanedNames() {
        #expect(ArchiveLayout.cleaned("a/b:c*d.e-f_g Müller^^Jörg^^Dr ") == "abcd.ef_g Mller Jrg Dr")
        #expect(ArchiveLayout.cleaned("  spaced   out  a\tb") == "spaced out ab")
        #expect(ArchiveLayout.cleaned("^^^^") == "")
    }

    @Test func fileNames() {
        #expect(ArchiveLayout.fileName("RTPLAN", 0) == "RT000000.dcm")
        #expect(ArchiveLayout.fileName("m", 12) == "M0000012.dcm")
        #expect(ArchiveLayout.fileName("", 1) == "00000001.dcm")
    }

    /// Resources go in the order of their IDs; siblings with one name are told apart by `-2`; empty names.
    @Test func orderAndCollisions() {
        let layout = ArchiveLayout([
            item("p2", "b", "b1", "b1i", series: [0x0008_0060: "MR"]),
            item("p2", "a", "a1", "a1i2", series: [0x0008_0060: "MR"]),
            item("p2", "a", "a1", "a1i1", series: [0x0008_0060: "MR"]),
            item("p2", "a", "a1", "a1i1", series: [0x0008_0060: "MR"]),
            item("p1", "c", "c1", "c1i", study: [0x0010_0020: "P1", 0x0008_0050: "ACC"]),
        ])
        #expect(
            layout.entries.map(\.name) == [
                "P1/ACC/Unknown Series/00000000.dcm", "/Unknown Study/MR/MR000000.dcm",
                "/Unknown Study/MR/MR000001.dcm", "/Unknown Study-2/MR/MR000000.dcm",
            ])
        #expect(layout.entries.map(\.instance.value) == ["c1i", "a1i1", "a1i2", "b1i"])
    }
}
