/// Why `contextBroker`'s command line stops the process before the broker starts, with what Orion prints and the
/// status it exits with.
package struct OrionCommandLineFailure: Error, Sendable, Equatable {
    /// Text for standard output (usage, version, parse-args warnings).
    package var standardOutput: String
    /// Text for standard error (fatal errors, which Orion writes to its log).
    package var standardError: String
    /// The exit status.
    package var status: Int32

    package init(standardOutput: String = "", standardError: String = "", status: Int32) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.status = status
    }

    /// A fatal error found after parsing (Orion's `LM_X(1, …)`): the message, exit status 1.
    package static func fatal(_ message: String) -> OrionCommandLineFailure {
        OrionCommandLineFailure(standardError: message + "\n", status: 1)
    }

    /// The fatal message without its newline, for the log.
    package var fatalMessage: String? {
        standardError.isEmpty ? nil : String(standardError.dropLast(standardError.hasSuffix("\n") ? 1 : 0))
    }
}
