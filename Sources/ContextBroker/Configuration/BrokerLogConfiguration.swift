/// Where and how the broker logs: Orion's log options (doc/manuals/admin/cli.md; logs.md).
package struct BrokerLogConfiguration: Sendable, Equatable {
    /// The name of the log file in ``directory``, as Orion's.
    package static let fileName = "contextBroker.log"

    /// `-logDir` [`/tmp`].
    package var directory = "/tmp"
    /// `-logAppend`: append to an existing file instead of renaming it `contextBroker.log.old`.
    package var append = false
    /// `-disableFileLog` turns this off.
    package var toFile = true
    /// `-fg`: lines also go to standard output.
    package var foreground = false
    /// `-logForHumans`: standard output gets short lines (`LEVEL@time  file[line]: message`).
    package var forHumans = false
    /// `-logLineMaxSize` [32768, at least 100]: a longer line is replaced by `LINE TOO LONG`.
    package var lineMaxSize = 32768
    /// `-logInfoPayloadMaxSize` [5120]: the `infoPayloadMaxSize` of `/admin/log`.
    package var infoPayloadMaxSize = 5120
    /// `-t`: the trace levels that let DEBUG lines through.
    package var traceLevels = TraceLevels()
    /// `-logDeprecate`: the `deprecate` setting of `/admin/log`.
    package var deprecate = false
    /// `-logSummary` [0]: accepted; Atrium writes no summary lines.
    package var summaryPeriod = 0

    package init() {}

    /// The log file's path.
    package var filePath: String {
        directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
    }
}
