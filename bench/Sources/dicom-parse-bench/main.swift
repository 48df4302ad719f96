import DICOM
import Foundation
import NIOCore

// Parses a list of DICOM files the way a server ingesting them would: read the file, parse it, look up the
// identifiers an index needs. Prints one JSON line per mode with files/s and MB/s.
//
// usage: dicom-parse-bench LIST_FILE [ROUNDS] [MODE] [MINIMUM_SECONDS]
//   LIST_FILE: one path per line; ROUNDS: passes over the list; MODE: one tool name, or `all`;
//   MINIMUM_SECONDS: repeat the ROUNDS passes until at least this long has been measured (default 0: exactly
//   ROUNDS passes). A pass over the whole corpus takes about 10 ms, too short to time alone on a shared machine.

let arguments = CommandLine.arguments
guard arguments.count >= 2, let list = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: dicom-parse-bench LIST_FILE [ROUNDS]\n".utf8))
    exit(2)
}
let rounds = arguments.count >= 3 ? Int(arguments[2]) ?? 1 : 1
let paths = list.split(separator: "\n").map(String.init).filter { !$0.isEmpty }

enum Mode: String, CaseIterable {
    case full = "atrium-full"
    case stopBeforePixelData = "atrium-stop-before-pixels"
    case listing = "atrium-full-listing"
    /// Parse, then render Orthanc's `/instances/{id}/tags` JSON.
    case orthancTags = "atrium-orthanc-tags"
}

/// Reads a file as a server reading its storage area would: through the DICOM module's reader, which maps
/// large files so that a parse touches only the pages it reads.
func readFile(_ path: String) -> ByteBuffer? { try? FileContents.read(path: path) }

var sink = 0
let modes =
    arguments.count >= 4 && arguments[3] != "all" ? Mode.allCases.filter { $0.rawValue == arguments[3] } : Mode.allCases
let minimumDuration = Duration.milliseconds(Int((arguments.count >= 5 ? Double(arguments[4]) ?? 0 : 0) * 1000))
for mode in modes {
    var bytesRead = 0
    var files = 0
    let start = ContinuousClock.now
    var passes = 0
    while passes < rounds || ContinuousClock.now - start < minimumDuration {
        passes += 1
        for path in paths {
            guard let bytes = readFile(path) else { continue }
            bytesRead += bytes.readableBytes
            let options = ParseOptions(stopBeforePixelData: mode == .stopBeforePixelData)
            guard let file = try? DICOMFile(reading: bytes, options: options) else { continue }
            files += 1
            switch mode {
            case .full, .stopBeforePixelData:
                // What an index reads of every file.
                sink &+= file.dataSet[.sopInstanceUID]?.string()?.utf8.count ?? 0
                sink &+= file.dataSet[.patientID]?.string()?.utf8.count ?? 0
                sink &+= file.dataSet[.studyInstanceUID]?.string()?.utf8.count ?? 0
                sink &+= file.dataSet[.seriesInstanceUID]?.string()?.utf8.count ?? 0
            case .listing:
                sink &+= file.listing().utf8.count
            case .orthancTags:
                sink &+= file.dataSet.orthancJSON(format: .full).count
            }
        }
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(
        "{\"tool\":\"\(mode.rawValue)\",\"passes\":\(passes),\"files\":\(files),\"bytes\":\(bytesRead),\"seconds\":\(seconds),"
            + "\"filesPerSecond\":\(Double(files) / seconds),\"megabytesPerSecond\":\(Double(bytesRead) / seconds / 1e6)}"
    )
}
if sink == 42 { print("") }  // keeps the work observable
