#if canImport(Glibc)
    import Glibc
#endif

/// Where the broker's log lines go: the file `contextBroker.log` in `-logDir` (unless `-disableFileLog`), and
/// standard output with `-fg`, in the file's format or, with `-logForHumans`, the short one.
///
/// `@unchecked Sendable`: its descriptors are set once in `init` and only written to afterwards; each line is one
/// `write` call on a file opened with `O_APPEND`, so lines of concurrent writers never interleave.
package final class OrionLogSink: @unchecked Sendable {
    private let fileDescriptor: Int32?
    private let toStandardOutput: Bool
    private let forHumans: Bool
    private let lineMaxSize: Int

    /// Opens the log file as Orion does: without `-logAppend`, a file already there is renamed
    /// `contextBroker.log.old` and a new one started.
    /// - Throws: ``OrionCommandLineFailure`` when the file cannot be opened.
    package init(configuration: BrokerLogConfiguration) throws(OrionCommandLineFailure) {
        toStandardOutput = configuration.foreground
        forHumans = configuration.forHumans
        lineMaxSize = configuration.lineMaxSize
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

    /// Writes `line` to the file and, with `-fg`, to standard output.
    package func write(_ line: OrionLogLine) {
        let fileForm = line.fileLine(maximum: lineMaxSize)
        if let fileDescriptor { Self.write(fileForm, to: fileDescriptor) }
        if toStandardOutput { Self.write(forHumans ? line.humanLine(maximum: lineMaxSize) : fileForm, to: 1) }
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
