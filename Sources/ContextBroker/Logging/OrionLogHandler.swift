package import Logging

/// A swift-log handler that writes Orion's log lines to the broker's log sink (``OrionLogSink``): the log file in
/// Orion's format, and with `-fg` standard output too.
///
/// DEBUG lines need trace levels (`-t`), as in Orion: a debug event with a `trace` metadata value is written when
/// that level is selected, one without when any level is.
///
/// The level is the sink's, which `PUT /admin/log` changes at run time; `NONE` writes nothing.
package struct OrionLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    let sink: OrionLogSink
    let traceLevels: TraceLevels

    package init(sink: OrionLogSink, traceLevels: TraceLevels) {
        self.sink = sink
        self.traceLevels = traceLevels
    }

    /// The sink's level; setting it changes nothing, as Orion's level is changed through `/admin/log` only.
    package var logLevel: Logger.Level {
        get { sink.loggerLevel ?? .critical }
        set {}
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        guard sink.loggerLevel != nil else { return }
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
