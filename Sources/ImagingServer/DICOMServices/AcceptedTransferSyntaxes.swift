import DICOMNetwork

/// The transfer syntaxes the DICOM server accepts for storage, as Orthanc keeps them: a set of the transfer
/// syntaxes it knows, chosen by patterns (`AcceptedTransferSyntaxes`, `PUT /tools/accepted-transfer-syntaxes`).
///
/// A pattern (`*` any run of characters, `?` one) selects the known syntaxes whose UID it matches; a UID Orthanc
/// does not know is never accepted, even when named exactly. ``uids`` lists the selection in Orthanc's order,
/// which is what `GET /tools/accepted-transfer-syntaxes` answers.
package struct AcceptedTransferSyntaxes: Sendable, Equatable {
    /// The transfer syntaxes Orthanc knows, in the order of its `DicomTransferSyntax` enumeration (checked against
    /// `GET /tools/accepted-transfer-syntaxes` of Orthanc 1.10.1 with `"*"`).
    package static let known = [
        "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.52", "1.2.840.10008.1.2.4.53",
        "1.2.840.10008.1.2.4.54", "1.2.840.10008.1.2.4.55", "1.2.840.10008.1.2.4.56", "1.2.840.10008.1.2.4.57",
        "1.2.840.10008.1.2.4.58", "1.2.840.10008.1.2.4.59", "1.2.840.10008.1.2.4.60", "1.2.840.10008.1.2.4.61",
        "1.2.840.10008.1.2.4.62", "1.2.840.10008.1.2.4.63", "1.2.840.10008.1.2.4.64", "1.2.840.10008.1.2.4.65",
        "1.2.840.10008.1.2.4.66", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
        "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93",
        "1.2.840.10008.1.2.4.94", "1.2.840.10008.1.2.4.95", "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101",
        "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105",
        "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108", "1.2.840.10008.1.2.5",
        "1.2.840.10008.1.2.6.1", "1.2.840.10008.1.2.6.2",
    ]

    /// The accepted UIDs, in the order of ``known``.
    package let uids: [String]

    /// The known syntaxes that at least one pattern matches.
    package init(patterns: [String]) {
        uids = Self.known.filter { uid in patterns.contains { AssociationPolicy.matches(pattern: $0, uid) } }
    }

    /// Reads the body of `PUT /tools/accepted-transfer-syntaxes` as Orthanc does: a JSON string or array of
    /// strings holds patterns; a body that is not JSON is one pattern as it is (so `*` selects everything and an
    /// empty body nothing).
    ///
    /// - Throws: `OrthancError.badFileFormat` for any other JSON value, including a number, which is what a bare
    ///   UID such as `1.2.840.10008.1.2.1` reads as.
    package init(requestBody body: String) throws {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Array(body.utf8))
        } catch {
            // Orthanc's JSON reader takes a leading number and ignores what follows it.
            let first = body.utf8.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            if let first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) {
                throw OrthancError(.badFileFormat)
            }
            self.init(patterns: [body])
            return
        }
        if let pattern = json.stringValue {
            self.init(patterns: [pattern])
        } else if let items = json.arrayValue {
            var patterns: [String] = []
            for item in items {
                guard let pattern = item.stringValue else { throw OrthancError(.badFileFormat) }
                patterns.append(pattern)
            }
            self.init(patterns: patterns)
        } else {
            throw OrthancError(.badFileFormat)
        }
    }

    /// The list as `GET /tools/accepted-transfer-syntaxes` answers it.
    package var json: JSONValue { .array(uids.map { .string($0) }) }
}
