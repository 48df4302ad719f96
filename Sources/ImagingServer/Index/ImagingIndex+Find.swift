import Persistence

extension ImagingIndex {
    /// The resources matching a find request, answered from the index alone.
    ///
    /// Candidates are the resources of the level (narrowed by labels and, when a constraint is an exact value on
    /// an identifier of the level, by the identifier index, whose values are normalized and so match whatever
    /// the case); each constraint is then checked against the main tags of the candidate or of its ancestor that
    /// holds the tag, case-insensitively unless the request sets `CaseSensitive` (Orthanc 1.10.1's rule).
    ///
    /// - Parameter cap: the most answers to return (`LimitFind…`, combined with the request's `Limit`); 0 for none.
    package func find(_ request: FindRequest, cap: Int) async throws -> [OrthancID] {
        try await read { database in try await Self.find(request, cap: cap, in: database) }
    }

    static func find(_ request: FindRequest, cap: Int, in database: any Connection) async throws -> [OrthancID] {
        var sql = "SELECT r.internalId, r.publicId, r.parentId FROM Resources r"
        var arguments: [SQLValue] = []
        var conditions = ["r.resourceType = ?"]
        arguments.append(SQLValue(request.level.rawValue))
        for (tag, tagLevel, constraint) in request.constraints where tagLevel == request.level && tag.isIdentifier {
            guard case .equal(let value) = constraint, !value.contains(where: { !$0.isASCII }) else { continue }
            conditions.append(
                "r.internalId IN (SELECT id FROM DicomIdentifiers WHERE tagGroup = ? AND tagElement = ? AND value = ?)")
            arguments += [
                SQLValue(Int(tag.group)), SQLValue(Int(tag.element)), SQLValue(IdentifierNormalizer.normalize(value)),
            ]
        }
        // Constraints on the level's own tags narrow the candidates in SQL; all are checked again below.
        for (tag, tagLevel, constraint) in request.constraints where tagLevel == request.level {
            guard
                let prefilter = constraint.sqlPrefilter(
                    column: "m.value", caseSensitive: request.caseSensitive, dialect: database.dialect)
            else {
                continue
            }
            conditions.append(
                "EXISTS (SELECT 1 FROM MainDicomTags m WHERE m.id = r.internalId AND m.tagGroup = ? "
                    + "AND m.tagElement = ? AND \(prefilter.sql))")
            arguments += [SQLValue(Int(tag.group)), SQLValue(Int(tag.element))] + prefilter.arguments
        }
        if !request.labels.isEmpty {
            let placeholders = Array(repeating: "?", count: request.labels.count).joined(separator: ", ")
            let count =
                "(SELECT COUNT(DISTINCT label) FROM Labels WHERE id = r.internalId AND label IN (\(placeholders)))"
            switch request.labelsConstraint {
            case .all: conditions.append("\(count) = \(request.labels.count)")
            case .any: conditions.append("\(count) > 0")
            case .none: conditions.append("\(count) = 0")
            }
            arguments += request.labels.map { SQLValue($0) }
        }
        sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY r.internalId"

        var tagCache: [Int64: [UInt32: String]] = [:]
        var parentCache: [Int64: Int64] = [:]
        func tags(of id: Int64, caching: Bool = true) async throws -> [UInt32: String] {
            if let cached = tagCache[id] { return cached }
            let values = try await mainTags(of: id, in: database)
            if caching { tagCache[id] = values }
            return values
        }
        func ancestor(of id: Int64, parent: Int64?, from level: ResourceLevel, to target: ResourceLevel) async throws
            -> Int64?
        {
            var current = id
            var currentLevel = level
            var knownParent = parent
            while currentLevel > target {
                let next: Int64?
                if let knownParent {
                    next = knownParent
                } else if let cached = parentCache[current] {
                    next = cached
                } else {
                    next = try await database.integer(
                        "SELECT parentId FROM Resources WHERE internalId = ?", [SQLValue(current)])
                    if let next { parentCache[current] = next }
                }
                guard let next else { return nil }
                current = next
                knownParent = nil
                currentLevel = ResourceLevel(rawValue: currentLevel.rawValue - 1) ?? .patient
            }
            return current
        }

        let needsSorting = !request.orderBy.isEmpty
        var matches: [(id: OrthancID, keys: [String])] = []
        var skipped = 0
        let limit = [request.limit, cap].filter { $0 > 0 }.min() ?? 0
        var candidates: [(internalID: Int64, publicID: String, parent: Int64?)] = []
        try await database.forEachRow(sql, arguments) { row in
            guard let internalID = row.integer(at: 0), let publicID = row.text(at: 1) else { return }
            candidates.append((internalID, publicID, row.integer(at: 2)))
        }
        candidates: for candidate in candidates {
            let internalID = candidate.internalID
            let parent = candidate.parent
            var ownTags: [UInt32: String]?
            for (tag, tagLevel, constraint) in request.constraints {
                let holder: [UInt32: String]
                if tagLevel == request.level {
                    if ownTags == nil { ownTags = try await tags(of: internalID, caching: false) }
                    holder = ownTags ?? [:]
                } else {
                    guard
                        let ancestorID = try await ancestor(
                            of: internalID, parent: parent, from: request.level, to: tagLevel)
                    else { continue candidates }
                    holder = try await tags(of: ancestorID)
                }
                guard constraint.matches(holder[tag.tag], caseSensitive: request.caseSensitive) else {
                    continue candidates
                }
            }
            if let modalities = request.modalitiesInStudy {
                let found = try await studyModalities(of: internalID, in: database)
                guard found.contains(where: { modalities.matches($0, caseSensitive: request.caseSensitive) }) else {
                    continue candidates
                }
            }
            let publicID = OrthancID(candidate.publicID)
            if needsSorting {
                var keys: [String] = []
                for ordering in request.orderBy {
                    let holderID =
                        ordering.tagLevel == request.level
                        ? internalID
                        : try await ancestor(of: internalID, parent: parent, from: request.level, to: ordering.tagLevel)
                    if let holderID {
                        keys.append(try await tags(of: holderID)[ordering.tag.tag] ?? "")
                    } else {
                        keys.append("")
                    }
                }
                matches.append((publicID, keys))
            } else {
                if skipped < request.since {
                    skipped += 1
                    continue
                }
                matches.append((publicID, []))
                if limit > 0 && matches.count >= limit { break }
            }
        }
        if needsSorting {
            matches.sort { left, right in
                for (index, ordering) in request.orderBy.enumerated() where left.keys[index] != right.keys[index] {
                    return ordering.ascending
                        ? left.keys[index] < right.keys[index] : left.keys[index] > right.keys[index]
                }
                return false
            }
            var sorted = Array(matches.dropFirst(request.since))
            if limit > 0 && sorted.count > limit { sorted = Array(sorted.prefix(limit)) }
            return sorted.map(\.id)
        }
        return matches.map(\.id)
    }

    /// The distinct `Modality` values of the series of a study, sorted (the study's `ModalitiesInStudy`).
    static func studyModalities(of study: Int64, in database: any Connection) async throws -> [String] {
        try await database.texts(
            """
            SELECT DISTINCT m.value FROM Resources s JOIN MainDicomTags m ON m.id = s.internalId
            WHERE s.parentId = ? AND m.tagGroup = 8 AND m.tagElement = 96 AND m.value IS NOT NULL ORDER BY m.value
            """,
            [SQLValue(study)])
    }
}
