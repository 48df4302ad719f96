import Logging
import Testing

@testable import ContextBroker

@Suite struct OrionLogLineTests {
    @Test func fileLineHasOrionsFields() {
        var line = OrionLogLine(
            milliseconds: 1_603_705_517_225, level: "INFO", operation: "main.swift[10]:run", message: "hello")
        #expect(
            line.fileLine(maximum: 32768)
                == "time=2020-10-26T09:45:17.225Z | lvl=INFO | corr=N/A | trans=N/A | from=N/A | srv=N/A | subsrv=N/A"
                + " | comp=Orion | op=main.swift[10]:run | msg=hello\n")
        line.correlator = "c1"
        line.service = "s1"
        line.servicePath = "/A"
        #expect(line.fileLine(maximum: 32768).contains("| corr=c1 | trans=N/A | from=N/A | srv=s1 | subsrv=/A |"))
        #expect(line.humanLine(maximum: 100) == "INFO@2020-10-26T09:45:17.225Z  main.swift[10]: hello\n")
    }

    @Test func tooLongLinesAreReplaced() {
        let line = OrionLogLine(
            milliseconds: 0, level: "WARN", operation: "f[1]:g", message: String(repeating: "x", count: 200))
        #expect(line.fileLine(maximum: 100) == "LINE TOO LONG\n")
        #expect(line.fileLine(maximum: 1000).hasPrefix("time=1970-01-01T00:00:00.000Z | lvl=WARN"))
    }

    @Test func levels() {
        #expect(OrionLogLine.level(.critical) == "FATAL")
        #expect(OrionLogLine.level(.error) == "ERROR")
        #expect(OrionLogLine.level(.warning) == "WARN")
        #expect(OrionLogLine.level(.info) == "INFO")
        #expect(OrionLogLine.level(.debug) == "DEBUG")
        #expect(OrionLogLine.loggerLevel("NONE") == nil)
        #expect(OrionLogLine.loggerLevel("FATAL") == .critical)
        #expect(OrionLogLine.loggerLevel("WARN") == .warning)
        #expect(OrionLogLine.loggerLevel("DEBUG") == .debug)
    }

    @Test func timestamps() {
        #expect(OrionLogLine.timestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(OrionLogLine.timestamp(1_700_000_000_007) == "2023-11-14T22:13:20.007Z")
    }
}
