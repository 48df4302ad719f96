/// A `/tools/find` request, read from its JSON body.
package struct FindRequest: Sendable {
    /// How a set of labels restricts the answers (`LabelsConstraint`).
    package enum LabelsConstraint: String, Sendable {
        case all = "All"
        case any = "Any"
        case none = "None"
    }

    /// One `OrderBy` criterion on a main tag.
    package struct Ordering: Sendable {
        package let tag: MainDicomTag
        package let tagLevel: ResourceLevel
        package let ascending: Bool
    }

    package var level: ResourceLevel
    /// The constraints on main tags, with the level whose row holds each tag.
    package var constraints: [(tag: MainDicomTag, tagLevel: ResourceLevel, constraint: FindConstraint)] = []
    /// `CaseSensitive`: false unless given, and then every tag's values compare case-insensitively (Orthanc 1.10.1).
    package var caseSensitive = false
    package var expand = false
    package var limit = 0
    package var since = 0
    package var requestedTags: [String] = []
    package var labels: [String] = []
    package var labelsConstraint = LabelsConstraint.all
    package var orderBy: [Ordering] = []
    /// A constraint on `ModalitiesInStudy` (0008,0061), at study level only: a study matches when the
    /// `Modality` of one of its series matches one of the values (PS3.4 §C.6.1.1.3.2).
    package var modalitiesInStudy: FindConstraint?

    /// Reads the body of `/tools/find`.
    ///
    /// - Throws: `OrthancError.badRequest` for a missing or wrong `Level` or `Query`, a wrong field type, or a
    ///   query on a tag that is not indexed (Atrium answers finds from the index only).
    package init(json: JSONValue) throws {
        guard let body = json.objectValue else { throw OrthancError(.badRequest, "the body must be a JSON object") }
        guard let levelName = body["Level"]?.stringValue else {
            throw OrthancError(.badRequest, "Field \"Level\" is missing, or should be a string")
        }
        guard let level = ResourceLevel(name: levelName) else {
            throw OrthancError(.parameterOutOfRange, "Unknown resource level: \(levelName)")
        }
        self.level = level
        guard let query = body["Query"]?.objectValue else {
            throw OrthancError(.badRequest, "Field \"Query\" is missing, or should be a JSON object")
        }
        if let value = body["CaseSensitive"] {
            guard let flag = value.boolValue else {
                throw OrthancError(.badRequest, "Field \"CaseSensitive\" should be a Boolean")
            }
            caseSensitive = flag
        }
        if let value = body["Expand"] {
            guard let flag = value.boolValue else {
                throw OrthancError(.badRequest, "Field \"Expand\" should be a Boolean")
            }
            expand = flag
        }
        if let value = body["Limit"] {
            guard let number = value.intValue, number >= 0 else {
                throw OrthancError(.badRequest, "Field \"Limit\" should be a non-negative integer")
            }
            limit = Int(number)
        }
        if let value = body["Since"] {
            guard let number = value.intValue, number >= 0 else {
                throw OrthancError(.badRequest, "Field \"Since\" should be a non-negative integer")
            }
            since = Int(number)
        }
        if let value = body["RequestedTags"] {
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count
            else { throw OrthancError(.badRequest, "Field \"RequestedTags\" should be an array of strings") }
            requestedTags = items
        }
        if let value = body["Labels"] {
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count
            else { throw OrthancError(.badRequest, "Field \"Labels\" should be an array of strings") }
            labels = items
        }
        if let value = body["LabelsConstraint"] {
            guard let text = value.stringValue, let parsed = LabelsConstraint(rawValue: text) else {
                throw OrthancError(.badRequest, "Field \"LabelsConstraint\" should be All, Any or None")
            }
            labelsConstraint = parsed
        }
        for key in query.keys.sorted() {
            guard let text = query[key]?.stringValue else {
                throw OrthancError(.badRequest, "Tag \"\(key)\" should be associated with a string")
            }
            if Self.isModalitiesInStudy(key) {
                guard level == .study else {
                    throw OrthancError(.badRequest, "Tag \"\(key)\" is only indexed at the study level")
                }
                let constraint = FindConstraint(parsing: text, isDateOrTime: false)
                if constraint != .universal { modalitiesInStudy = constraint }
                continue
            }
            if let computed = ComputedTag(named: key) {
                // A return key only (PS3.4 §C.6.1.1): asked for with a universal value, never matched.
                guard FindConstraint(parsing: text, isDateOrTime: false) == .universal else {
                    throw OrthancError(
                        .badRequest, "Tag \"\(computed.keyword)\" is computed and can only be requested, not matched")
                }
                continue
            }
            guard let (tag, tagLevel) = MainDicomTag.named(key) else {
                throw OrthancError(.badRequest, "Tag \"\(key)\" is not indexed: Atrium answers finds from its index")
            }
            let rowLevel = Self.rowLevel(of: tagLevel, queried: level)
            guard rowLevel <= level else {
                throw OrthancError(.badRequest, "Tag \"\(key)\" is below the level of the query")
            }
            let constraint = FindConstraint(parsing: text, isDateOrTime: tag.isDateOrTime)
            if constraint != .universal {
                constraints.append((tag, rowLevel, constraint))
            }
        }
        if let value = body["OrderBy"] {
            guard let items = value.arrayValue else {
                throw OrthancError(.badRequest, "Field \"OrderBy\" should be an array")
            }
            for item in items {
                guard let type = item["Type"]?.stringValue, type == "DicomTag", let key = item["Key"]?.stringValue,
                    let (tag, tagLevel) = MainDicomTag.named(key)
                else { throw OrthancError(.badRequest, "OrderBy supports main DICOM tags only") }
                let direction = item["Direction"]?.stringValue ?? "ASC"
                orderBy.append(
                    Ordering(
                        tag: tag, tagLevel: Self.rowLevel(of: tagLevel, queried: level),
                        ascending: direction.uppercased() != "DESC"))
            }
        }
    }

    /// Whether a query key names `ModalitiesInStudy` (0008,0061), by keyword or number.
    static func isModalitiesInStudy(_ key: String) -> Bool {
        key == "ModalitiesInStudy" || key.filter { $0 != "," && $0 != "(" && $0 != ")" }.lowercased() == "00080061"
    }

    /// The level whose index rows hold a tag for a query at `queried` level: studies hold their patient's tags.
    static func rowLevel(of tagLevel: ResourceLevel, queried: ResourceLevel) -> ResourceLevel {
        tagLevel == .patient && queried >= .study ? .study : tagLevel
    }
}
