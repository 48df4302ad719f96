import DICOMNetwork
import NIOCore
import Testing

/// What Atrium proposes when it sends stored instances (C-MOVE, REST store).
@Suite struct StoreSubOperationTests {
    static func instance(_ sopClass: String, _ syntax: String?) -> RetrievableInstance {
        RetrievableInstance(sopClassUID: sopClass, sopInstanceUID: "1.2.3", transferSyntaxUID: syntax) { ByteBuffer() }
    }

    @Test func proposesEachStoredSyntaxAloneThenTheUncompressedOnes() {
        let ct = "1.2.840.10008.5.1.4.1.1.2"
        let mr = "1.2.840.10008.5.1.4.1.1.4"
        let contexts = StoreSubOperation.proposals(for: [
            Self.instance(ct, "1.2.840.10008.1.2.1"), Self.instance(ct, "1.2.840.10008.1.2.1"),
            Self.instance(ct, "1.2.840.10008.1.2.4.50"), Self.instance(mr, nil),
        ])
        #expect(contexts.map(\.id) == [1, 3, 5, 7])
        #expect(contexts.map(\.abstractSyntax) == [ct, ct, ct, mr])
        #expect(
            contexts.map(\.transferSyntaxes) == [
                ["1.2.840.10008.1.2.1"], ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], ["1.2.840.10008.1.2.4.50"],
                ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"],
            ])
    }

    @Test func proposesAtMost128Contexts() {
        let instances = (0..<200).map { Self.instance("1.2.840.10008.5.1.4.1.1.\($0)", nil) }
        let contexts = StoreSubOperation.proposals(for: instances)
        #expect(contexts.count == 128)
        #expect(contexts.last?.id == 255)
    }
}
