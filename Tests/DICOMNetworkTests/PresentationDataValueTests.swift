import DICOMNetwork
import NIOCore
import Testing

@Suite struct PresentationDataValueTests {
    @Test func keepsWhatItWasGiven() {
        let value = PresentationDataValue(
            contextID: 3, isCommand: true, isLast: false, data: ByteBuffer(bytes: [1, 2, 3]))
        #expect(value.contextID == 3)
        #expect(value.isCommand)
        #expect(!value.isLast)
        #expect(value.data.readableBytes == 3)
    }
}
