import Testing

@testable import ContextBroker

@Suite struct TransactionIDGeneratorTests {
    @Test func hasOrionsShape() {
        let generator = TransactionIDGenerator(start: 1_405_598_120_007)
        #expect(generator.next() == "1405598120-007-00000000001")
        #expect(generator.next() == "1405598120-007-00000000002")
    }
}
