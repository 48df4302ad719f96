import Logging
import Synchronization
import Testing

@testable import HTTPSupport

@Suite struct LogLineHandlerTests {
    /// Collects the lines a handler writes.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// The line without its timestamp, which is checked on its own.
    func withoutTimestamp(_ line: String) -> Substring {
        line.drop(while: { $0 != " " }).dropFirst()
    }

    @Test func writesStreamFormatWithSortedMetadata() {
        let lines = Lines()
        var logger = Logger(label: "atrium") { label in LogLineHandler(label: label, write: lines.append) }
        logger[metadataKey: "zeta"] = "last"
        logger[metadataKey: "alpha"] = "first"
        logger.info("listening", metadata: ["port": "8042"], source: "ImagingServer")
        #expect(lines.all.count == 1)
        #expect(
            withoutTimestamp(lines.all[0]) == "info atrium: alpha=first port=8042 zeta=last [ImagingServer] listening\n"
        )
    }

    @Test func messageMetadataOverridesTheLoggersAndLevelsFilter() {
        let lines = Lines()
        var logger = Logger(label: "atrium.broker") { label in LogLineHandler(label: label, write: lines.append) }
        logger[metadataKey: "tenant"] = "a"
        logger.debug("not written")
        logger.warning("overridden", metadata: ["tenant": "b"], source: "ContextBroker")
        logger.logLevel = .debug
        logger.debug("now written", source: "ContextBroker")
        #expect(
            lines.all.map(withoutTimestamp) == [
                "warning atrium.broker: tenant=b [ContextBroker] overridden\n",
                "debug atrium.broker: tenant=a [ContextBroker] now written\n",
            ])
    }

    @Test func withoutMetadataTheColonIsFollowedByTheSource() {
        let lines = Lines()
        let logger = Logger(label: "atrium") { label in LogLineHandler(label: label, write: lines.append) }
        logger.error("failed", source: "Persistence")
        #expect(withoutTimestamp(lines.all[0]) == "error atrium: [Persistence] failed\n")
    }

    @Test func timestampIsLocalISO8601WithOffset() throws {
        let stamp = LogLineHandler.timestamp()
        // 2026-11-30T14:03:26+0000
        #expect(stamp.count == 24)
        let characters = Array(stamp)
        #expect(characters[4] == "-" && characters[7] == "-" && characters[10] == "T")
        #expect(characters[13] == ":" && characters[16] == ":")
        #expect(characters[19] == "+" || characters[19] == "-")
        #expect(stamp.filter(\.isNumber).count == 18)
    }
}
