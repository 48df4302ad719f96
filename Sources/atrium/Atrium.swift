import ArgumentParser

/// The `atrium` command: the server and its tools.
///
/// With no subcommand it runs ``ServeCommand``: both faces with embedded defaults.
@main
struct Atrium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium",
        abstract: "Atrium: an Orthanc-compatible DICOM server and an Orion-compatible NGSIv2 context broker.",
        subcommands: [ServeCommand.self, ContextBrokerCommand.self, DumpCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
