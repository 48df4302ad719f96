import ArgumentParser
import Foundation

/// The `atrium` command: the server and its tools.
///
/// With no subcommand it runs ``ServeCommand``: both faces with embedded defaults.
struct Atrium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium",
        abstract: "Atrium: an Orthanc-compatible DICOM server and an Orion-compatible NGSIv2 context broker.",
        subcommands: [ServeCommand.self, ContextBrokerCommand.self, DumpCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// The entry point: `atrium context-broker …`, and `atrium` called through a `contextBroker` symlink, go to
/// ``ContextBrokerLauncher`` with Orion's own syntax; everything else to swift-argument-parser.
@main
enum AtriumMain {
    static func main() async {
        if let arguments = ContextBrokerLauncher.brokerArguments(CommandLine.arguments) {
            let status = await ContextBrokerLauncher.run(
                arguments: arguments, environment: ProcessInfo.processInfo.environment)
            exit(status)
        }
        await Atrium.main()
    }
}
