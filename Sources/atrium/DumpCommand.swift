import ArgumentParser
import DICOM

/// `atrium dump FILE…`: a readable listing of DICOM files, or their DICOM JSON.
struct DumpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the data sets of DICOM files."
    )

    @Flag(name: .long, help: "Print DICOM JSON (PS3.18 Annex F) instead of a listing.")
    var json = false

    @Argument(help: "The DICOM files to print.")
    var files: [String]

    func run() async throws {
        throw CleanExit.message("dump is not available yet")
    }
}
