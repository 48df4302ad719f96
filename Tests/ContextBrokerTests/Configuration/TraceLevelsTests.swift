import Testing

@testable import ContextBroker

@Suite struct TraceLevelsTests {
    @Test(arguments: [
        ("70", "70"), ("20-80", "20-80"), ("70,90", "70,90"), ("60,80-90", "60,80-90"), ("0-255", "0-255"),
        ("1,2,5-7", "1-2,5-7"), ("255", "255"), ("3-3", "3"), ("5,1", "1,5"),
    ])
    func parses(text: String, description: String) throws {
        let levels = try #require(TraceLevels(parsing: text))
        #expect(levels.description == description)
        #expect(!levels.isEmpty)
    }

    @Test(arguments: ["", "256", "0-256", "9-1", "a", "1,", ",1", "1--2", "1-2-3", " 1", "+1"])
    func refuses(text: String) {
        #expect(TraceLevels(parsing: text) == nil)
    }

    @Test func selectsLevels() throws {
        let levels = try #require(TraceLevels(parsing: "1,5-7"))
        #expect(levels.contains(1) && levels.contains(6) && !levels.contains(2) && !levels.contains(8))
        #expect(!levels.contains(-1) && !levels.contains(256))
        #expect(TraceLevels().isEmpty)
    }
}
