import Testing

@testable import ImagingServer

@Suite struct OrthancIDTests {
    /// The verified vector of the reference: Orthanc's DummyCT.dcm, PatientID `ozp00SjY2xG`.
    @Test func patientLevel() {
        #expect(OrthancID(hashing: ["ozp00SjY2xG"]).value == "6816cb19-844d5aee-85245eba-28e841e6-2414fae2")
    }

    /// The components are joined with `|` before hashing (SHA-1 of "A|1.2|1.2.3|1.2.3.4").
    @Test func instanceLevel() {
        #expect(
            OrthancID(hashing: ["A", "1.2", "1.2.3", "1.2.3.4"]).value
                == "98e933da-16c2bd81-3c2131de-e54fbbb4-ceb59961")
    }

    @Test func wellFormed() {
        #expect(OrthancID.isWellFormed("66a662ce-7430e543-bad44d47-0dc5a943-ec7a538d"))
        #expect(!OrthancID.isWellFormed("66a662ce-7430e543-bad44d47-0dc5a943-ec7a538"))
        #expect(!OrthancID.isWellFormed("66A662CE-7430e543-bad44d47-0dc5a943-ec7a538d"))
        #expect(!OrthancID.isWellFormed("66a662ce+7430e543-bad44d47-0dc5a943-ec7a538d"))
    }
}
