package import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where the broker's log lines go: the file `contextBroker.log` in `-logDir` (unless `-disableFileLog`), and
/// standard output with `-fg`, in the file's format or, with `-logForHumans`, the short one.
///
/// It also holds the level and line size in force, which `PUT /admin/log` changes at run time.
///
/// `@unchecked Sendable`: its descriptors are set once in `init` and only written to afterwards (each line is one
/// `write` call on a file opened with `O_APPEND`, so lines of concurrent writers never interleave); the settings
/// that change are atomics.
package final class OrionLogSink: @unchecked Sendable {
    private let fileDescriptor: Int32?
    private let toStandardOutput: Bool
    private let forHumans: Bool
    private let lineMaxSize: Atomic<Int>
    /// The swift-log level in force as an index into `Logger.Level.allCases`, or -1 for Orion's `NONE`.
    private let level: Atomic<Int>

    /// Opens the log file as Orion does: without `-logAppend`, a file already there is renamed
    /// `contextBroker.log.old` and a new one started.
    /// - Throws: ``OrionCommandLineFailure`` when the file cannot be opened.
    package init(configuration: BrokerLogConfiguration, level: String) throws(OrionCommandLineFailure) {
        toStandardOutput = configuration.foreground
        forHumans = configuration.forHumans
        lineMaxSize = Atomic(configuration.lineMaxSize)
        self.level = Atomic(Self.index(OrionLogLine.loggerLevel(level)))
        guard configuration.toFile else {
            fileDescriptor = nil
            return
        }
        let path = configuration.filePath
        if !configuration.append && access(path, F_OK) == 0 {
            _ = rename(path, path + ".old")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .fatal("Fatal Error (cannot open the log file '\(path)': \(String(cString: strerror(errno))))")
        }
        fileDescriptor = descriptor
    }

    deinit {
        if let fileDescriptor { close(fileDescriptor) }
    }

    private static func index(_ level: Logger.Level?) -> Int {
        level.flatMap { Logger.Level.allCases.firstIndex(of: $0) } ?? -1
    }

    /// The swift-log level in force; `nil` for `NONE`.
    package var loggerLevel: Logger.Level? {
        let index = level.load(ordering: .relaxed)
        return index < 0 ? nil : Logger.Level.allCases[index]
    }

    /// Applies `/admin/log`'s level (`NONE` … `DEBUG`) and line size.
    package func apply(level orion: String, lineMaxSize: Int) {
        level.store(Self.index(OrionLogLine.loggerLevel(orion)), ordering: .relaxed)
        self.lineMaxSize.store(lineMaxSize, ordering: .relaxed)
    }

    /// Writes `line` to the file and, with `-fg`, to standard output.
    package func write(_ line: OrionLogLine) {
        let maximum = lineMaxSize.load(ordering: .relaxed)
        let fileForm = line.fileLine(maximum: maximum)
        if let fileDescriptor { Self.write(fileForm, to: fileDescriptor) }
        if toStandardOutput { Self.write(forHumans ? line.humanLine(maximum: maximum) : fileForm, to: 1) }
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = Glibc.write(descriptor, next, left)
                if written <= 0 { return }
                next += written
                left -= written
            }
        }
    }
}
