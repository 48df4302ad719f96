import ArgumentParser

/// The `atrium` command: the server and its tools.
@main
struct Atrium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium",
        abstract: "Atrium: an Orthanc-compatible DICOM server and an Orion-compatible NGSIv2 context broker.",
        subcommands: [DumpCommand.self]
    )
}
