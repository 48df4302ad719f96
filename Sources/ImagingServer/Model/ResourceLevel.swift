/// A level of the DICOM model of the real world as Orthanc indexes it: patient, study, series, instance.
///
/// The raw values are those of Orthanc's SQLite schema (`ResourceType`): 1 to 4.
package enum ResourceLevel: Int, Sendable, CaseIterable, Comparable {
    case patient = 1
    case study = 2
    case series = 3
    case instance = 4

    /// The name Orthanc uses in JSON (`Type`, `ResourceType`, `Level`).
    package var name: String {
        switch self {
        case .patient: "Patient"
        case .study: "Study"
        case .series: "Series"
        case .instance: "Instance"
        }
    }

    /// The first segment of the REST routes of this level.
    package var routeSegment: String {
        switch self {
        case .patient: "patients"
        case .study: "studies"
        case .series: "series"
        case .instance: "instances"
        }
    }

    /// The level above, nil for patients.
    package var parent: ResourceLevel? { ResourceLevel(rawValue: rawValue - 1) }

    /// The level below, nil for instances.
    package var child: ResourceLevel? { ResourceLevel(rawValue: rawValue + 1) }

    /// The JSON key of a resource's parent (`ParentPatient`, …).
    package var parentKey: String? { parent.map { "Parent" + $0.name } }

    /// The JSON key of a resource's children (`Studies`, `Series`, `Instances`).
    package var childrenKey: String? {
        switch self {
        case .patient: "Studies"
        case .study: "Series"
        case .series: "Instances"
        case .instance: nil
        }
    }

    /// The level named in a REST route segment, e.g. `studies`.
    package init?(routeSegment: Substring) {
        switch routeSegment {
        case "patients": self = .patient
        case "studies": self = .study
        case "series": self = .series
        case "instances": self = .instance
        default: return nil
        }
    }

    /// The level named as in `/tools/find`'s `Level`, case-insensitively.
    package init?(name: String) {
        switch name.lowercased() {
        case "patient": self = .patient
        case "study": self = .study
        case "series": self = .series
        case "instance": self = .instance
        default: return nil
        }
    }

    package static func < (lhs: ResourceLevel, rhs: ResourceLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
