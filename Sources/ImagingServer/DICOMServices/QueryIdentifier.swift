package import DICOM
import NIOCore

/// A C-FIND, C-MOVE or C-GET identifier (PS3.4 Annex C) read as a query on the index.
///
/// The `QueryRetrieveLevel` (0008,0052) names the level; every other element is a key. A key that is a main tag
/// of that level or above is matched as `/tools/find` matches it (single value, wildcard, date range, UID list,
/// universal); `ModalitiesInStudy` matches at study level; the computed counts are return keys only. Keys the
/// index does not hold are returned empty: PS3.4 §C.2.2.1.2 lets an SCP treat optional keys it cannot match as
/// universal, and Atrium answers from its index without opening files.
package struct QueryIdentifier: Sendable {
    /// Why an identifier cannot be a query.
    package enum Problem: Error, Sendable, Equatable {
        /// No `QueryRetrieveLevel`, or not one of `PATIENT`, `STUDY`, `SERIES`, `IMAGE`.
        case missingLevel
        /// The level is not part of the information model (PATIENT in Study Root).
        case levelNotInModel
    }

    /// The information models of PS3.4 Annex C.
    package enum Model: Sendable, Equatable {
        case patientRoot
        case studyRoot

        /// The model of a C-FIND, C-MOVE or C-GET SOP class UID, or nil for another class.
        package init?(sopClassUID: String) {
            switch sopClassUID {
            case "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.1.3":
                self = .patientRoot
            case "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.2.3":
                self = .studyRoot
            default:
                return nil
            }
        }
    }

    package let level: ResourceLevel
    /// The query on the index.
    package let request: FindRequest
    /// The identifier as received: its elements, in order, are the keys returned with each match.
    package let identifier: DataSet

    package static let queryRetrieveLevel = DICOMTag(0x0008, 0x0052)
    static let specificCharacterSet = DICOMTag(0x0008, 0x0005)

    /// Reads an identifier.
    ///
    /// - Throws: ``Problem`` when the level is missing or outside the model.
    package init(_ identifier: DataSet, model: Model) throws(Problem) {
        guard let levelText = identifier[Self.queryRetrieveLevel]?.string(in: identifier.characterSet)?.uppercased(),
            let level = Self.level(named: levelText)
        else { throw .missingLevel }
        if model == .studyRoot, level == .patient { throw .levelNotInModel }
        self.level = level
        self.identifier = identifier
        var query: [String: JSONValue] = [:]
        for element in identifier {
            let tag = element.tag
            if tag == Self.queryRetrieveLevel || tag == Self.specificCharacterSet || tag.group == 0x0002 { continue }
            guard element.vr.isString else { continue }
            let value = element.strings(in: identifier.characterSet).joined(separator: "\\")
            let key = Self.hexadecimal(tag)
            if FindRequest.isModalitiesInStudy(key) {
                if level == .study { query[key] = .string(value) }
                continue
            }
            if Self.computedTag(tag) != nil { continue }
            guard let (_, tagLevel) = MainDicomTag.byTag[tag.rawValue], tagLevel <= level else { continue }
            query[key] = .string(value)
        }
        let body: JSONValue = ["Level": .string(level.name), "Query": .object(query), "CaseSensitive": .bool(true)]
        do {
            request = try FindRequest(json: body)
        } catch {
            // Every key given was checked against the index's tags above; nothing else can fail.
            throw .missingLevel
        }
    }

    /// The computed return keys asked for (`NumberOfStudyRelatedInstances`, `ModalitiesInStudy`, …).
    package var computedTags: [ComputedTag] {
        identifier.compactMap { Self.computedTag($0.tag) }
    }

    /// The level a `QueryRetrieveLevel` names.
    static func level(named name: String) -> ResourceLevel? {
        switch name.split(separator: " ").first.map(String.init) ?? "" {
        case "PATIENT": .patient
        case "STUDY": .study
        case "SERIES": .series
        case "IMAGE": .instance
        default: nil
        }
    }

    static func computedTag(_ tag: DICOMTag) -> ComputedTag? {
        ComputedTag.allCases.first { $0.tag == tag.rawValue }
    }

    static func hexadecimal(_ tag: DICOMTag) -> String {
        let digits = String(tag.rawValue, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        return String(padded.prefix(4)) + "," + String(padded.suffix(4))
    }
}

extension QueryIdentifier {
    /// The answer for one match: each key of the identifier with the value the index holds for the resource or
    /// its ancestors (empty when it holds none), the computed keys, and the level.
    ///
    /// - Parameters:
    ///   - summary: the matching resource, read with ``computedTags``.
    ///   - ancestors: its parent, grandparent, … (their tags complete the keys of higher levels).
    package func answer(for summary: ResourceSummary, ancestors: [ResourceSummary]) -> DataSet {
        var answer = DataSet()
        answer.set(DataElement(tag: .specificCharacterSet, vr: .CS, strings: ["ISO_IR 192"]))
        for element in identifier {
            let tag = element.tag
            if tag == Self.specificCharacterSet || tag.group == 0x0002 { continue }
            if tag == Self.queryRetrieveLevel {
                answer.set(DataElement(tag: tag, vr: .CS, strings: [Self.levelName(level)]))
                continue
            }
            if let computed = Self.computedTag(tag), let value = summary.computedTags[computed] {
                answer.set(DataElement(tag: tag, vr: element.vr, strings: [value], characterSet: Self.utf8))
                continue
            }
            guard element.vr.isString else {
                answer.set(DataElement(tag: tag, vr: element.vr, value: .bytes(ByteBuffer())))
                continue
            }
            let value = summary.tags[tag.rawValue] ?? ancestors.lazy.compactMap { $0.tags[tag.rawValue] }.first
            let values = value.map { $0.split(separator: "\\", omittingEmptySubsequences: false).map(String.init) }
            answer.set(DataElement(tag: tag, vr: element.vr, strings: values ?? [], characterSet: Self.utf8))
        }
        return answer
    }

    /// The character set of answers: UTF-8, which holds any value the index keeps.
    static let utf8 = SpecificCharacterSet(["ISO_IR 192"])

    /// The `QueryRetrieveLevel` value of a level.
    static func levelName(_ level: ResourceLevel) -> String {
        switch level {
        case .patient: "PATIENT"
        case .study: "STUDY"
        case .series: "SERIES"
        case .instance: "IMAGE"
        }
    }
}
