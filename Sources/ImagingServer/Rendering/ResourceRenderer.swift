/// Renders index records in Orthanc's JSON shapes.
package enum ResourceRenderer {
    /// The main tags of a level present on a resource, keyed by keyword, values as strings.
    package static func mainTags(_ summary: ResourceSummary, of level: ResourceLevel) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for tag in MainDicomTag.tags(of: level) {
            if let value = summary.tags[tag.tag] { members[tag.keyword] = .string(value) }
        }
        return .object(members)
    }

    /// A resource as `GET /{level}/{id}` answers.
    ///
    /// - Parameters:
    ///   - isStable: whether no instance arrived for `StableAge` seconds.
    ///   - requestedTags: extra tags to render under `RequestedTags` (from the index only): main tags, and the
    ///     computed tags of the resource's level that the summary was read with (``ComputedTag``).
    package static func resource(_ summary: ResourceSummary, isStable: Bool, requestedTags: [String] = [])
        -> JSONValue
    {
        var members: [String: JSONValue] = [
            "ID": .string(summary.id.value),
            "Type": .string(summary.level.name),
            "MainDicomTags": mainTags(summary, of: summary.level),
            "Labels": .array(summary.labels.map { .string($0) }),
        ]
        if let parentKey = summary.level.parentKey, let parent = summary.parent {
            members[parentKey] = .string(parent.value)
        }
        if let childrenKey = summary.level.childrenKey {
            members[childrenKey] = .array(summary.children.map { .string($0.value) })
        }
        switch summary.level {
        case .patient, .study, .series:
            members["IsStable"] = .bool(isStable)
            members["LastUpdate"] = summary.metadata[.lastUpdate].map { .string($0) } ?? .null
        case .instance:
            break
        }
        switch summary.level {
        case .study:
            members["PatientMainDicomTags"] = mainTags(summary, of: .patient)
        case .series:
            let expected = summary.metadata[.expectedNumberOfInstances].flatMap { Int64($0) }
            members["ExpectedNumberOfInstances"] = expected.map { .int($0) } ?? .null
            members["Status"] = .string(SeriesStatus(expected: expected, indices: summary.indicesInSeries).rawValue)
        case .instance:
            members["FileSize"] = .int(summary.file?.uncompressedSize ?? 0)
            members["FileUuid"] = .string(summary.file?.uuid ?? "")
            members["IndexInSeries"] = summary.metadata[.indexInSeries].flatMap { Int64($0) }.map { .int($0) } ?? .null
        case .patient:
            break
        }
        if !requestedTags.isEmpty {
            var requested: [String: JSONValue] = [:]
            for key in requestedTags {
                if let computed = ComputedTag(named: key) {
                    if computed == .modalitiesInStudy && summary.level == .study {
                        requested[computed.keyword] = .string(summary.modalitiesInStudy.joined(separator: "\\"))
                    } else if let value = summary.computedTags[computed] {
                        requested[computed.keyword] = .string(value)
                    }
                    continue
                }
                guard let (tag, _) = MainDicomTag.named(key), let value = summary.tags[tag.tag] else { continue }
                requested[tag.keyword] = .string(value)
            }
            members["RequestedTags"] = .object(requested)
        }
        return .object(members)
    }

    /// `{ID, Path, Type}` of a resource, as `/tools/lookup` and `RemainingAncestor` give it.
    package static func reference(level: ResourceLevel, id: OrthancID) -> JSONValue {
        [
            "ID": .string(id.value), "Path": .string("/\(level.routeSegment)/\(id.value)"),
            "Type": .string(level.name),
        ]
    }
}
