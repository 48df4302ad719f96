import Foundation
package import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// One line of Orion's log, in the format of its log file (doc/manuals/admin/logs.md, "Log format"):
/// `time=2020-10-26T09:45:17.225Z | lvl=INFO | corr=N/A | trans=N/A | from=N/A | srv=N/A | subsrv=N/A |
/// comp=Orion | op=file[line]:function | msg=text`, or the short form `-logForHumans` writes to standard output,
/// `INFO@2020-10-26T09:45:17.225Z  file[line]: text`.
package struct OrionLogLine: Sendable, Equatable {
    /// Milliseconds since 1970, UTC.
    package var milliseconds: Int
    /// `FATAL`, `ERROR`, `WARN`, `INFO` or `DEBUG`.
    package var level: String
    /// The request's correlator, transaction, client address, service and service path; `N/A` outside requests.
    package var correlator = "N/A"
    package var transaction = "N/A"
    package var from = "N/A"
    package var service = "N/A"
    package var servicePath = "N/A"
    /// `file[line]:function`, the source of the line.
    package var operation: String
    package var message: String

    package init(milliseconds: Int, level: String, operation: String, message: String) {
        self.milliseconds = milliseconds
        self.level = level
        self.operation = operation
        self.message = message
    }

    /// The line swift-log's `event` makes; the request fields come from the metadata keys `corr`, `trans`,
    /// `from`, `srv` and `subsrv` when present.
    package init(event: LogEvent, milliseconds: Int) {
        let file = event.file.split(separator: "/").last.map(String.init) ?? event.file
        let function = event.function.split(separator: "(").first.map(String.init) ?? event.function
        self.init(
            milliseconds: milliseconds, level: Self.level(event.level), operation: "\(file)[\(event.line)]:\(function)",
            message: "\(event.message)")
        if let metadata = event.metadata {
            correlator = metadata["corr"].map { "\($0)" } ?? correlator
            transaction = metadata["trans"].map { "\($0)" } ?? transaction
            from = metadata["from"].map { "\($0)" } ?? from
            service = metadata["srv"].map { "\($0)" } ?? service
            servicePath = metadata["subsrv"].map { "\($0)" } ?? servicePath
        }
    }

    /// Orion's name of a swift-log level.
    package static func level(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "DEBUG"
        case .info, .notice: return "INFO"
        case .warning: return "WARN"
        case .error: return "ERROR"
        case .critical: return "FATAL"
        }
    }

    /// The swift-log level that lets through what Orion's `-logLevel` shows (`NONE` shows nothing: `nil`).
    package static func loggerLevel(_ orion: String) -> Logger.Level? {
        switch orion {
        case "NONE": return nil
        case "FATAL": return .critical
        case "ERROR": return .error
        case "INFO": return .info
        case "DEBUG": return .debug
        default: return .warning
        }
    }

    /// The log file's form of the line, newline included; a line longer than `maximum` bytes becomes
    /// `LINE TOO LONG`, as in Orion.
    package func fileLine(maximum: Int) -> String {
        let line =
            "time=\(Self.timestamp(milliseconds)) | lvl=\(level) | corr=\(correlator) | trans=\(transaction) | "
            + "from=\(from) | srv=\(service) | subsrv=\(servicePath) | comp=Orion | op=\(operation) | msg=\(message)"
        return line.utf8.count > maximum ? "LINE TOO LONG\n" : line + "\n"
    }

    /// The short form of `-fg -logForHumans`, newline included.
    package func humanLine(maximum: Int) -> String {
        let file = operation.split(separator: ":").first.map(String.init) ?? operation
        let line = "\(level)@\(Self.timestamp(milliseconds))  \(file): \(message)"
        return line.utf8.count > maximum ? "LINE TOO LONG\n" : line + "\n"
    }

    /// `YYYY-MM-DDThh:mm:ss.sssZ`, UTC.
    package static func timestamp(_ milliseconds: Int) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = milliseconds % 1000
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):"
            + "\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)Z"
    }

    /// Now, in milliseconds since 1970.
    package static func now() -> Int {
        Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
