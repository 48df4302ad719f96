import Crypto

/// An Orthanc identifier ("public ID") of a patient, study, series or instance.
///
/// Orthanc names each resource by the SHA-1 of its DICOM identifiers joined with `|`: the patient by PatientID,
/// the study by PatientID|StudyInstanceUID, the series by adding SeriesInstanceUID and the instance by adding
/// SOPInstanceUID. The 20-byte digest is written as lowercase hexadecimal in five groups of eight characters
/// separated by `-` (Orthanc Book, "Orthanc identifiers").
package struct OrthancID: Hashable, Sendable, CustomStringConvertible {
    /// The 44-character textual form, e.g. `66a662ce-7430e543-bad44d47-0dc5a943-ec7a538d`.
    package let value: String

    /// Wraps an identifier already in textual form, without checking it.
    package init(_ value: String) {
        self.value = value
    }

    /// The identifier of the given components, hashed as Orthanc does.
    ///
    /// - Parameter components: PatientID, then the UIDs down to the level wanted, without padding.
    package init(hashing components: [String]) {
        let digest = Insecure.SHA1.hash(data: Array(components.joined(separator: "|").utf8))
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(44)
        for (index, byte) in digest.enumerated() {
            if index > 0 && index % 4 == 0 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        self.value = String(decoding: text, as: UTF8.self)
    }

    package var description: String { value }

    /// Whether `text` has the shape of an Orthanc identifier: five groups of eight hexadecimal digits.
    package static func isWellFormed(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 44 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index % 9 == 8 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
                guard isHex else { return false }
            }
        }
        return true
    }
}
