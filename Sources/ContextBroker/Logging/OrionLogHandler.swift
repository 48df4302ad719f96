package import Logging

/// A swift-log handler that writes Orion's log lines to the broker's log sink (``OrionLogSink``): the log file in
/// Orion's format, and with `-fg` standard output too.
///
/// DEBUG lines need trace levels (`-t`), as in Orion: a debug event with a `trace` metadata value is written when
/// that level is selected, one without when any level is.
package struct OrionLogHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    let sink: OrionLogSink
    let traceLevels: TraceLevels
    /// `-logLevel NONE`: nothing is written.
    let silent: Bool

    package init(sink: OrionLogSink, configuration: BrokerLogConfiguration, level: String) {
        self.sink = sink
        self.traceLevels = configuration.traceLevels
        let loggerLevel = OrionLogLine.loggerLevel(level)
        self.silent = loggerLevel == nil
        self.logLevel = loggerLevel ?? .critical
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        guard !silent else { return }
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if event.level <= .debug {
            if let trace = merged["trace"].flatMap({ Int("\($0)") }) {
                guard traceLevels.contains(trace) else { return }
            } else if traceLevels.isEmpty {
                return
            }
        }
        var event = event
        event.metadata = merged
        sink.write(OrionLogLine(event: event, milliseconds: OrionLogLine.now()))
    }
}
