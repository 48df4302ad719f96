import CompressNIO
import Foundation
package import NIOCore

/// Turns the body of `POST /instances` into the files it carries.
///
/// Orthanc accepts a DICOM file, a ZIP archive of DICOM files, a `multipart/form-data` form (Orthanc Explorer's
/// upload) and any of these compressed with `Content-Encoding: gzip`.
package enum UploadUnpacker {
    /// One uploaded file and whether it came from a ZIP archive (ZIP uploads answer with an array).
    package struct Unpacked {
        package var files: [ByteBuffer]
        package var isArchive: Bool
    }

    /// Unpacks a body.
    ///
    /// - Parameters:
    ///   - body: the request body.
    ///   - headers: the request headers, by lowercase name.
    ///   - maximumSize: the largest decompressed body accepted.
    /// - Throws: `OrthancError.badFileFormat` for a malformed gzip, ZIP or multipart body; `emptyRequest` for none.
    package static func unpack(_ body: ByteBuffer, headers: [String: String], maximumSize: Int) throws -> Unpacked {
        var body = body
        let encoding = headers["content-encoding"]?.lowercased() ?? ""
        if encoding == "gzip" {
            do {
                body = try body.decompress(with: .gzip(), maxSize: maximumSize)
            } catch {
                throw OrthancError(.badFileFormat, "the gzip body does not decode")
            }
        } else if !encoding.isEmpty && encoding != "identity" {
            throw OrthancError(.unsupportedMediaType, "unsupported content encoding")
        }
        guard body.readableBytes > 0 else { throw OrthancError(.emptyRequest) }
        let contentType = headers["content-type"] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            let parts = try multipartParts(body, contentType: contentType)
            var files: [ByteBuffer] = []
            var isArchive = false
            for part in parts where part.readableBytes > 0 {
                if ZipArchiveReader.looksLikeZip(part) {
                    files += try ZipArchiveReader(part).entries(maximumTotalSize: maximumSize).map(\.contents)
                    isArchive = true
                } else {
                    files.append(part)
                }
            }
            guard !files.isEmpty else { throw OrthancError(.emptyRequest) }
            return Unpacked(files: files, isArchive: isArchive || files.count > 1)
        }
        if ZipArchiveReader.looksLikeZip(body) {
            return Unpacked(
                files: try ZipArchiveReader(body).entries(maximumTotalSize: maximumSize).map(\.contents),
                isArchive: true)
        }
        return Unpacked(files: [body], isArchive: false)
    }

    /// The contents of the parts of a `multipart/form-data` body (RFC 7578), tolerant of spacing in headers.
    static func multipartParts(_ body: ByteBuffer, contentType: String) throws -> [ByteBuffer] {
        guard let boundaryRange = contentType.range(of: "boundary=", options: .caseInsensitive) else {
            throw OrthancError(.badFileFormat, "multipart body without boundary")
        }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty else { throw OrthancError(.badFileFormat, "multipart body without boundary") }
        let delimiter = Array(("--" + boundary).utf8)
        let bytes = body.readableBytesView
        var positions: [Int] = []
        var searchFrom = 0
        while let found = find(delimiter, in: bytes, from: searchFrom, before: bytes.count) {
            positions.append(found)
            searchFrom = found + delimiter.count
        }
        guard positions.count >= 2 else { throw OrthancError(.badFileFormat, "malformed multipart body") }
        var parts: [ByteBuffer] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // Skip the line break after the delimiter, then the part's headers up to the empty line.
            // The search stops at the next delimiter: a part without headers costs its own length only.
            guard let headersEnd = find(Self.headersEnd, in: bytes, from: partStart, before: end) else { continue }
            partStart = headersEnd + 4
            var partEnd = end
            let base = bytes.startIndex
            if partEnd >= 2 && bytes[base + partEnd - 2] == 0x0D && bytes[base + partEnd - 1] == 0x0A { partEnd -= 2 }
            guard partEnd >= partStart,
                let part = body.getSlice(at: body.readerIndex + partStart, length: partEnd - partStart)
            else { continue }
            parts.append(part)
        }
        return parts
    }

    static let headersEnd = Array("\r\n\r\n".utf8)

    /// The offset (from the view's start) of the first `needle` starting at or after `start` and ending at or
    /// before `end`; compares in place, allocating nothing.
    static func find(_ needle: [UInt8], in haystack: ByteBufferView, from start: Int, before end: Int) -> Int? {
        let end = min(end, haystack.count)
        guard !needle.isEmpty, start >= 0, end - start >= needle.count else { return nil }
        let base = haystack.startIndex
        let first = needle[0]
        var index = start
        let last = end - needle.count
        while index <= last {
            if haystack[base + index] == first
                && haystack[(base + index)..<(base + index + needle.count)].elementsEqual(needle)
            {
                return index
            }
            index += 1
        }
        return nil
    }
}
