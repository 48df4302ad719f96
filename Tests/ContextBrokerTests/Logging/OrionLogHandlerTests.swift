import Foundation
import Logging
import Testing

@testable import ContextBroker

@Suite struct OrionLogHandlerTests {
    /// A log configuration writing into a fresh temporary folder.
    func configuration() throws -> BrokerLogConfiguration {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orion-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = BrokerLogConfiguration()
        configuration.directory = folder.path
        return configuration
    }

    func lines(_ configuration: BrokerLogConfiguration) throws -> [String] {
        try String(contentsOfFile: configuration.filePath, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func writesOrionsLinesAtTheLevelInForce() throws {
        let configuration = try configuration()
        let sink = try OrionLogSink(configuration: configuration, level: "WARN")
        let logger = Logger(label: "test") { _ in OrionLogHandler(sink: sink, traceLevels: TraceLevels()) }
        logger.info("hidden")
        logger.warning("shown", metadata: ["corr": "c1", "srv": "s1"])
        sink.apply(level: "INFO", lineMaxSize: 32768)
        logger.info("now shown")
        sink.apply(level: "NONE", lineMaxSize: 32768)
        logger.critical("never")
        let written = try lines(configuration)
        #expect(written.count == 2)
        #expect(written[0].contains("| lvl=WARN | corr=c1 | trans=N/A | from=N/A | srv=s1 | subsrv=N/A | comp=Orion |"))
        #expect(written[0].hasSuffix("| msg=shown"))
        #expect(written[0].contains("| op=OrionLogHandlerTests.swift["))
        #expect(
            written[1].contains("| lvl=INFO |")
                && written[1].hasSuffix(":writesOrionsLinesAtTheLevelInForce | msg=now shown"))
    }

    @Test func debugLinesNeedTraceLevels() throws {
        let configuration = try configuration()
        let sink = try OrionLogSink(configuration: configuration, level: "DEBUG")
        let none = Logger(label: "test") { _ in OrionLogHandler(sink: sink, traceLevels: TraceLevels()) }
        none.debug("no trace levels")
        let some = try #require(TraceLevels(parsing: "10-20"))
        let logger = Logger(label: "test") { _ in OrionLogHandler(sink: sink, traceLevels: some) }
        logger.debug("any level")
        logger.debug("level 15", metadata: ["trace": "15"])
        logger.debug("level 30", metadata: ["trace": "30"])
        #expect(
            try lines(configuration).map { $0.split(separator: "msg=").last.map(String.init) ?? "" } == [
                "any level", "level 15",
            ])
    }

    @Test func renamesTheOldFileUnlessAppending() throws {
        var configuration = try configuration()
        try "old\n".write(toFile: configuration.filePath, atomically: false, encoding: .utf8)
        _ = try OrionLogSink(configuration: configuration, level: "WARN")
        #expect(try String(contentsOfFile: configuration.filePath + ".old", encoding: .utf8) == "old\n")
        #expect(try String(contentsOfFile: configuration.filePath, encoding: .utf8) == "")
        try "kept\n".write(toFile: configuration.filePath, atomically: false, encoding: .utf8)
        configuration.append = true
        let sink = try OrionLogSink(configuration: configuration, level: "WARN")
        sink.write(OrionLogLine(milliseconds: 0, level: "WARN", operation: "f[1]:g", message: "more"))
        #expect(try lines(configuration).count == 2)
    }

    @Test func aFolderThatCannotHoldTheFileIsFatal() {
        var configuration = BrokerLogConfiguration()
        configuration.directory = "/nonexistent-folder-for-atrium-tests"
        #expect(throws: OrionCommandLineFailure.self) { try OrionLogSink(configuration: configuration, level: "WARN") }
    }
}
