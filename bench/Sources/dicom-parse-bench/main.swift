import DICOM
import Foundation
import NIOCore

// Parses a list of DICOM files the way a server ingesting them would: read the file, parse it, look up the
// identifiers an index needs. Prints one JSON line per mode with files/s and MB/s.
//
// usage: dicom-parse-bench LIST_FILE [ROUNDS] [MODE]   (LIST_FILE: one path per line; MODE: one tool name)

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

/// Reads a whole file into a buffer with one copy, as a server reading from disk would.
func readFile(_ path: String) -> ByteBuffer? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return nil }
    let size = Int(status.st_size)
    var buffer = ByteBufferAllocator().buffer(capacity: size)
    let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { target in
        var total = 0
        while total < size {
            let count = Foundation.read(descriptor, target.baseAddress! + total, size - total)
            if count <= 0 { break }
            total += count
        }
        return total
    }
    return read == size ? buffer : nil
}

var sink = 0
let modes = arguments.count >= 4 ? Mode.allCases.filter { $0.rawValue == arguments[3] } : Mode.allCases
for mode in modes {
    var bytesRead = 0
    var files = 0
    let start = ContinuousClock.now
    for _ in 0..<rounds {
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
        "{\"tool\":\"\(mode.rawValue)\",\"files\":\(files),\"bytes\":\(bytesRead),\"seconds\":\(seconds),"
            + "\"filesPerSecond\":\(Double(files) / seconds),\"megabytesPerSecond\":\(Double(bytesRead) / seconds / 1e6)}"
    )
}
if sink == 42 { print("") }  // keeps the work observable
