import ArgumentParser
import DICOM
import Foundation

/// `atrium dump FILE…`: a readable listing of DICOM files, or their DICOM JSON.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the data sets of DICOM files.",
        discussion: """
            Each file is listed element by element: tag, VR, value, length and keyword, with sequence items \
            indented. With --json, each file is printed as DICOM JSON (PS3.18 Annex F), one line per file. \
            An unreadable file is reported on standard error with the byte offset of the defect, and the \
            exit status is 1.
            """
    )

    @Flag(name: .long, help: "Print DICOM JSON (PS3.18 Annex F) instead of a listing.")
    var json = false

    @Flag(name: .long, help: "Stop reading each file before its pixel data.")
    var stopBeforePixelData = false

    @Argument(help: "The DICOM files to print.")
    var files: [String]

    func run() throws {
        var failures = 0
        for path in files {
            do {
                // Read, not mapped: another program may rewrite a file it is asked to print.
                let file = try DICOMFile(
                    contentsOfFile: path, options: ParseOptions(stopBeforePixelData: stopBeforePixelData),
                    mapping: false)
                if json {
                    print(String(decoding: file.dataSet.dicomJSON(), as: UTF8.self))
                } else {
                    if files.count > 1 { print("# \(path)") }
                    print(file.listing(), terminator: "")
                }
            } catch let error as DICOMError {
                failures += 1
                FileHandle.standardError.write(Data("atrium dump: \(path): \(error)\n".utf8))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("atrium dump: \(path): \(error.localizedDescription)\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
