import Crypto
import Foundation

/// Orthanc's entity tag of a metadata value or an attachment: its revision and the MD5 of its content, sent as
/// `ETag: "3-<md5>"` and expected back in `If-Match` before a change (Orthanc's revisions, since 1.9.2).
package struct RevisionTag: Sendable, Equatable {
    package let revision: Int
    /// Lowercase hexadecimal MD5 of the value or of the attachment's original bytes.
    package let md5: String

    package init(revision: Int, md5: String) {
        self.revision = revision
        self.md5 = md5
    }

    /// The tag of a metadata value: its revision and the MD5 of its UTF-8 bytes.
    package init(revision: Int, value: String) {
        let digest = Insecure.MD5.hash(data: Array(value.utf8))
        self.init(
            revision: revision,
            md5: digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined())
    }

    /// The value of the `ETag` header, quoted.
    package var headerValue: String { "\"\(revision)-\(md5)\"" }

    /// Reads an `If-Match` header: surrounding spaces and quotes are ignored.
    ///
    /// - Throws: `OrthancError.parameterOutOfRange` when the value is not a revision, a dash and a hash.
    package init(ifMatch text: String) throws {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        guard let dash = value.firstIndex(of: "-"), let revision = Int(value[..<dash]) else {
            throw OrthancError(
                .parameterOutOfRange,
                "The \"if-match\" HTTP header should contain the ETag (revision followed by MD5 hash), but found: "
                    + text)
        }
        self.revision = revision
        self.md5 = String(value[value.index(after: dash)...])
    }

    /// Checks the tag a client sent against the current one before a change.
    ///
    /// - Parameter required: whether a missing tag is refused (`CheckRevisions`).
    /// - Throws: `OrthancError.revision` when the tags differ, or when none was sent but one is required.
    package static func check(_ sent: RevisionTag?, against current: RevisionTag, required: Bool) throws {
        guard let sent else {
            if required {
                throw OrthancError(.revision, "HTTP header \"If-Match\" is missing, as \"CheckRevisions\" is \"true\"")
            }
            return
        }
        guard sent == current else { throw OrthancError(.revision) }
    }
}
