import ArgumentParser

/// `atrium context-broker ORION-FLAGS…`: the broker alone, a drop-in for Orion's `contextBroker`, with every flag
/// and `ORION_*` variable of Orion 4.7 (doc/manuals/admin/cli.md).
///
/// Orion's single-dash syntax and messages are not swift-argument-parser's, so `atrium`'s entry point hands
/// `context-broker` (and a binary called through a `contextBroker` symlink) to ``ContextBrokerLauncher`` before
/// swift-argument-parser sees the arguments; this command only lists the subcommand in `atrium --help`.
struct ContextBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context-broker",
        abstract: "Run the NGSIv2 context broker alone, with Orion's command-line flags (-u lists them)."
    )

    @Argument(parsing: .captureForPassthrough, help: "Orion's flags, e.g. -port 1026 -multiservice.")
    var flags: [String] = []

    func run() async throws {
        let status = await ContextBrokerLauncher.run(arguments: flags, environment: [:])
        if status != 0 { throw ExitCode(status) }
    }
}
