package import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// A log handler that writes one line per message to standard error, in swift-log's stream format:
/// `2026-11-30T14:03:26+0000 info atrium: key=value [Module] message`.
///
/// The stream handler of swift-log formats a logger's metadata again each time one item is set, and the HTTP
/// server sets a request id on every request's logger; this handler keeps metadata as given and formats it only
/// when a line is actually written, so a request that logs nothing costs nothing.
package struct LogLineHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// A handler that writes to standard error.
    package init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, metadataProvider: metadataProvider, write: Self.writeToStandardError)
    }

    /// A handler that hands each formatted line, newline included, to `write`.
    package init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp() + " \(event.level)"
        if !label.isEmpty { line += " " + label }
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)\n"
        write(line)
    }

    /// Makes this handler every logger's, once per process (later calls do nothing).
    package static func bootstrapOnce() {
        bootstrapped.withLock { done in
            guard !done else { return }
            LoggingSystem.bootstrap { label in LogLineHandler(label: label) }
            done = true
        }
    }

    private static let bootstrapped = Mutex(false)

    /// Writes a line with one system call, so that lines of concurrent writers never interleave.
    @Sendable static func writeToStandardError(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = systemWrite(2, next, left)
                if written <= 0 { return }
                next += written
                left -= written
            }
        }
    }

    /// The local time as `%Y-%m-%dT%H:%M:%S%z`.
    static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let count = strftime(buffer.baseAddress!, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count), as: UTF8.self)
        }
    }
}
