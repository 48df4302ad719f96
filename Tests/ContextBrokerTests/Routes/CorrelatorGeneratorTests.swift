import Testing

@testable import ContextBroker

@Suite struct CorrelatorGeneratorTests {
    @Test func makesUUIDShapedDistinctCorrelators() {
        let generator = CorrelatorGenerator(prefix: 0x0123_4567_89ab_cdef)
        #expect(generator.next() == "01234567-89ab-cdef-0000-000000000001")
        #expect(generator.next() == "01234567-89ab-cdef-0000-000000000002")
        let many = Set((0..<1000).map { _ in CorrelatorGenerator.shared.next() })
        #expect(many.count == 1000)
        #expect(many.allSatisfy { $0.utf8.count == 36 && $0.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12] })
    }
}
