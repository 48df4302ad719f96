import DICOM
import NIOCore

/// The identifiers Atrium sends as query/retrieve SCU (PS3.4 Annex C), built as Orthanc 1.10.1 builds them.
enum QueryRetrieveIdentifiers {
    static let queryRetrieveLevel = DICOMTag(0x0008, 0x0052)
    static let accessionNumber = DICOMTag(0x0008, 0x0050)

    /// The character set Orthanc announces by default (`DefaultEncoding` Latin1), or UTF-8 when a value needs it.
    static func characterSetName(for values: [String]) -> String {
        values.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? "ISO_IR 100" : "ISO_IR 192"
    }

    /// An element of `tag` holding `value` (several values separated by `\`), with the dictionary's VR.
    static func element(_ tag: DICOMTag, _ value: String, characterSet: SpecificCharacterSet) -> DataElement? {
        let vr = DataDictionary.entry(for: tag)?.vr ?? .LO
        guard vr.isString else {
            return value.isEmpty ? DataElement(tag: tag, vr: vr, value: .bytes(.init())) : nil
        }
        let values =
            value.isEmpty ? [] : value.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
        return DataElement(tag: tag, vr: vr, strings: values, characterSet: characterSet)
    }

    /// Reads a JSON object of keys (keywords or `gggg,eeee`) to string values as a data set.
    ///
    /// - Throws: `OrthancError.badFileFormat` when a key is no known tag or a value is not a string, with Orthanc's
    ///   details for the field `field`.
    static func keys(_ object: [String: JSONValue], field: String) throws -> DataSet {
        let problem = OrthancError(
            .badFileFormat, "Associative array of DICOM tags to strings expected in field: \(field)")
        var pairs: [(DICOMTag, String)] = []
        for (key, value) in object {
            guard let text = value.stringValue, let tag = DICOMTag(hex: key) ?? DataDictionary.tag(forKeyword: key)
            else { throw problem }
            pairs.append((tag, text))
        }
        let characterSet = SpecificCharacterSet([characterSetName(for: pairs.map(\.1))])
        var dataSet = DataSet(characterSet: characterSet)
        for (tag, text) in pairs {
            guard let element = element(tag, text, characterSet: characterSet) else { throw problem }
            dataSet.set(element)
        }
        return dataSet
    }

    /// The string value of `tag` in `dataSet` (values joined by `\`), nil when absent.
    static func value(_ tag: DICOMTag, in dataSet: DataSet) -> String? {
        dataSet[tag].map { $0.strings(in: dataSet.characterSet).joined(separator: "\\") }
    }

    // MARK: - C-FIND

    /// The keys Orthanc always asks for at a level, empty unless given.
    static func levelKeys(_ level: ResourceLevel) -> [DICOMTag] {
        switch level {
        case .patient: [.patientID]
        case .study: [accessionNumber, .patientID, .studyInstanceUID]
        case .series: [accessionNumber, .patientID, .studyInstanceUID, .seriesInstanceUID]
        case .instance: [accessionNumber, .patientID, .studyInstanceUID, .seriesInstanceUID, .sopInstanceUID]
        }
    }

    /// The C-FIND identifier of a query: the client's keys (without those of lower levels when `normalize`), the
    /// level's keys, `QueryRetrieveLevel` and `SpecificCharacterSet`.
    static func find(_ query: DataSet, level: ResourceLevel, normalize: Bool) -> DataSet {
        let values = query.map { $0.strings(in: query.characterSet).joined(separator: "\\") }
        let name = characterSetName(for: values)
        let characterSet = SpecificCharacterSet([name])
        var identifier = DataSet(characterSet: characterSet)
        for element in query where element.tag.group != 0x0002 {
            if normalize && !QueryNormalization.keeps(element.tag, at: level) { continue }
            if element.vr.isString {
                let text = element.strings(in: query.characterSet).joined(separator: "\\")
                if let copy = Self.element(element.tag, text, characterSet: characterSet) { identifier.set(copy) }
            } else {
                identifier.set(element)
            }
        }
        for tag in levelKeys(level) where !identifier.contains(tag) {
            identifier.set(DataElement(tag: tag, vr: DataDictionary.entry(for: tag)?.vr ?? .LO, strings: []))
        }
        identifier.set(DataElement(tag: queryRetrieveLevel, vr: .CS, strings: [QueryIdentifier.levelName(level)]))
        identifier.set(DataElement(tag: .specificCharacterSet, vr: .CS, strings: [name]))
        return identifier
    }

    /// The keys a child query (`/queries/{id}/answers/{n}/query-…`) takes from its parent's answer.
    static func parentKeys(_ level: ResourceLevel) -> [DICOMTag] {
        switch level {
        case .patient: [.patientID]
        case .study: [.studyInstanceUID]
        case .series, .instance: [.studyInstanceUID, .seriesInstanceUID]
        }
    }

    // MARK: - C-MOVE and C-GET

    /// The unique keys a retrieve of a level sends (PS3.4 §C.4.2.2.1): the UIDs of the level and the levels above,
    /// in the study root model; the patient ID for the patient level.
    static func uniqueKeys(_ level: ResourceLevel) -> [DICOMTag] {
        switch level {
        case .patient: [.patientID]
        case .study: [.studyInstanceUID]
        case .series: [.studyInstanceUID, .seriesInstanceUID]
        case .instance: [.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID]
        }
    }

    /// The C-MOVE or C-GET identifier for the resource that `keys` describe (a C-FIND answer, a resource of
    /// `/modalities/{id}/move`), or nil when one of the unique keys is missing.
    static func retrieve(_ keys: DataSet, level: ResourceLevel, requireAll: Bool) -> DataSet? {
        var pairs: [(DICOMTag, String)] = []
        for tag in uniqueKeys(level) {
            guard let value = value(tag, in: keys) else {
                if requireAll { return nil }
                pairs.append((tag, ""))
                continue
            }
            pairs.append((tag, value))
        }
        let name = characterSetName(for: pairs.map(\.1))
        let characterSet = SpecificCharacterSet([name])
        var identifier = DataSet(characterSet: characterSet)
        identifier.set(DataElement(tag: .specificCharacterSet, vr: .CS, strings: [name]))
        identifier.set(DataElement(tag: queryRetrieveLevel, vr: .CS, strings: [QueryIdentifier.levelName(level)]))
        for (tag, value) in pairs {
            if let element = element(tag, value, characterSet: characterSet) { identifier.set(element) }
        }
        return identifier
    }

    /// What a retrieve job shows of a C-FIND answer in its `Query` content: the level, the patient ID, the
    /// accession number and the UIDs (Orthanc 1.10.1).
    static func summary(of answer: DataSet) -> DataSet {
        let kept: Set<UInt32> = [
            queryRetrieveLevel.rawValue, DICOMTag.patientID.rawValue, accessionNumber.rawValue,
            DICOMTag.studyInstanceUID.rawValue, DICOMTag.seriesInstanceUID.rawValue,
            DICOMTag.sopInstanceUID.rawValue,
        ]
        return DataSet(answer.filter { kept.contains($0.tag.rawValue) }, characterSet: answer.characterSet)
    }
}
