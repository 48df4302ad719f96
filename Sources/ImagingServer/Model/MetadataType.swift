/// A kind of metadata attached to a resource, with Orthanc's numbers (`MetadataType`).
///
/// Numbers 1 to 1023 are Orthanc's own; 1024 to 65535 are user-defined.
package struct MetadataType: Hashable, Sendable, Comparable {
    package let rawValue: Int

    package init(rawValue: Int) {
        self.rawValue = rawValue
    }

    package static let indexInSeries = MetadataType(rawValue: 1)
    package static let receptionDate = MetadataType(rawValue: 2)
    package static let remoteAET = MetadataType(rawValue: 3)
    package static let expectedNumberOfInstances = MetadataType(rawValue: 4)
    package static let modifiedFrom = MetadataType(rawValue: 5)
    package static let anonymizedFrom = MetadataType(rawValue: 6)
    package static let lastUpdate = MetadataType(rawValue: 7)
    package static let origin = MetadataType(rawValue: 8)
    package static let transferSyntax = MetadataType(rawValue: 9)
    package static let sopClassUID = MetadataType(rawValue: 10)
    package static let remoteIP = MetadataType(rawValue: 11)
    package static let calledAET = MetadataType(rawValue: 12)
    package static let httpUsername = MetadataType(rawValue: 13)
    package static let pixelDataOffset = MetadataType(rawValue: 14)
    package static let mainDicomTagsSignature = MetadataType(rawValue: 15)
    package static let pixelDataVR = MetadataType(rawValue: 17)

    private static let names: [Int: String] = [
        1: "IndexInSeries", 2: "ReceptionDate", 3: "RemoteAET", 4: "ExpectedNumberOfInstances", 5: "ModifiedFrom",
        6: "AnonymizedFrom", 7: "LastUpdate", 8: "Origin", 9: "TransferSyntax", 10: "SopClassUid", 11: "RemoteIP",
        12: "CalledAET", 13: "HttpUsername", 14: "PixelDataOffset", 15: "MainDicomTagsSignature",
        16: "MainDicomSequences", 17: "PixelDataVR",
    ]

    /// The name used in `/metadata` routes: Orthanc's name, or the number of a user-defined type.
    package var name: String { Self.names[rawValue] ?? String(rawValue) }

    /// Whether a client may set or delete it through the REST API (user-defined types only).
    package var isUserDefined: Bool { rawValue >= 1024 && rawValue <= 65535 }

    /// The type named in a route: an Orthanc name or a number.
    package init?(name: String) {
        if let found = Self.names.first(where: { $0.value == name }) {
            self.rawValue = found.key
        } else if let number = Int(name), number >= 1, number <= 65535 {
            self.rawValue = number
        } else {
            return nil
        }
    }

    package static func < (lhs: MetadataType, rhs: MetadataType) -> Bool { lhs.rawValue < rhs.rawValue }
}
