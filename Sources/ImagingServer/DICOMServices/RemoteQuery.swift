import DICOM

/// A C-FIND sent to a remote modality by `POST /modalities/{id}/query`, kept with its answers for the
/// `/queries/{id}` routes.
struct RemoteQuery: Sendable {
    /// The symbolic name of the modality queried (`GET /queries/{id}/modality`).
    let modality: String
    let level: ResourceLevel
    /// The keys as the client gave them, before the level's keys are added and the query normalized
    /// (`GET /queries/{id}/query`).
    let query: DataSet
    /// The identifiers of the pending C-FIND responses, in the order received.
    let answers: [DataSet]

    /// The child queries an answer offers (`POST /queries/{id}/answers/{n}/query-…`), with the level each one asks
    /// for. Orthanc 1.10.1 lists the study one as `query-study` but answers it at `query-studies`; Atrium does
    /// the same (``listedName(of:)``).
    var childQueries: [(route: String, level: ResourceLevel)] {
        switch level {
        case .patient: [("query-studies", .study), ("query-series", .series), ("query-instances", .instance)]
        case .study: [("query-series", .series), ("query-instances", .instance)]
        case .series: [("query-instances", .instance)]
        case .instance: []
        }
    }

    /// The name `GET /queries/{id}/answers/{n}` lists for a child query route.
    static func listedName(of route: String) -> String {
        route == "query-studies" ? "query-study" : route
    }
}
