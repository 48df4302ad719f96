import DICOM
import Foundation
import Testing

/// Every value of every sample file equals pydicom's reading of it, compared through DICOM JSON (PS3.18
/// Annex F): strings equal, numbers equal as numbers, binary values equal as bytes, person names equal by
/// component group, sequences item by item.
///
/// Elements whose pydicom JSON is not comparable are skipped only by the named rules of ``Rule``.
@Suite(.enabled(if: SampleCorpus.isAvailable, "run scripts/test to build the pydicom reference"))
struct CorpusValuesTests {
    /// Why an element or value is not compared.
    enum Rule: String {
        /// pydicom could not render the element (`"pydicomError"` in the reference): there is nothing to
        /// compare with.
        case pydicomError
        /// pydicom writes an empty value among several as `""` (or, for numbers, leaves it out of the
        /// array); PS3.18 §F.2.5 and Atrium write `null`.
        case emptyValueIsNull
        /// pydicom removes the padding at the end of a multi-valued string but keeps trailing spaces inside
        /// it (`"DERIVED \\SECONDARY"` gives `"DERIVED "`); trailing spaces are padding (PS3.5 §6.2) and Atrium
        /// removes them from each value. Strings are compared without trailing spaces.
        case trailingSpacesInsideValues
        /// pydicom's `InlineBinary` of a big-endian file holds the bytes as encoded; PS3.18 §F.2.7 and Atrium
        /// give little-endian bytes. pydicom's bytes are swapped in units of the VR's number size first.
        case bigEndianInlineBinary
        /// The file encodes the element with VR UN although the dictionary knows it; pydicom re-reads it with
        /// the dictionary's VR (its `replace_un_with_known_vr` setting), Atrium keeps the VR the file states
        /// and its bytes as `InlineBinary`. The values are not comparable.
        case explicitUNResolved
    }

    @Test func everyValueEqualsPydicoms() throws {
        let corpus = try #require(SampleCorpus.shared)
        var compared = 0
        for entry in corpus.readable {
            let reference = try corpus.reference(for: entry)
            let file = try DICOMFile(reading: try SampleCorpus.bytes(of: entry))
            let json = file.dataSet.dicomJSON(options: DICOMJSONOptions(includeGroupLengths: true))
            let atrium = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
            var differences: [String] = []
            let bigEndian = file.transferSyntax.uid == "1.2.840.10008.1.2.2"
            Self.compare(atrium, reference, path: "", bigEndian: bigEndian, into: &differences)
            #expect(differences.isEmpty, "\(entry.path): \(differences.prefix(8).joined(separator: "; "))")
            compared += 1
        }
        #expect(compared == corpus.readable.count)
    }

    static func compare(
        _ atrium: [String: Any], _ reference: [String: Any], path: String, bigEndian: Bool,
        into differences: inout [String]
    ) {
        for key in Set(atrium.keys).union(reference.keys).sorted() {
            let here = path + key
            guard let expected = reference[key] as? [String: Any] else {
                differences.append("\(here): not in pydicom's reading")
                continue
            }
            if expected["pydicomError"] != nil { continue }  // Rule.pydicomError
            guard let actual = atrium[key] as? [String: Any] else {
                differences.append("\(here): missing")
                continue
            }
            compareElement(actual, expected, path: here, bigEndian: bigEndian, into: &differences)
        }
    }

    static func compareElement(
        _ actual: [String: Any], _ expected: [String: Any], path: String, bigEndian: Bool,
        into differences: inout [String]
    ) {
        let vr = expected["vr"] as? String ?? ""
        if actual["vr"] as? String == "UN", vr != "UN" { return }  // Rule.explicitUNResolved
        if actual["vr"] as? String != vr {
            differences.append("\(path): VR \(actual["vr"] ?? "-") ≠ \(vr)")
            return
        }
        if expected["InlineBinary"] != nil || actual["InlineBinary"] != nil {
            let lhs = (actual["InlineBinary"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
            var rhs = (expected["InlineBinary"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
            let unit = ["OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8][vr] ?? 1
            if bigEndian, unit > 1 {  // Rule.bigEndianInlineBinary
                var bytes = [UInt8](rhs)
                var start = 0
                while start + unit <= bytes.count {
                    bytes[start..<start + unit].reverse()
                    start += unit
                }
                rhs = Data(bytes)
            }
            if lhs != rhs { differences.append("\(path): \(lhs.count) bytes ≠ \(rhs.count) bytes") }
            return
        }
        let lhs = actual["Value"] as? [Any] ?? []
        var rhs = expected["Value"] as? [Any] ?? []
        if vr == "SQ" {
            guard lhs.count == rhs.count else {
                differences.append("\(path): \(lhs.count) items ≠ \(rhs.count)")
                return
            }
            for (index, (item, expectedItem)) in zip(lhs, rhs).enumerated() {
                compare(
                    item as? [String: Any] ?? [:], expectedItem as? [String: Any] ?? [:], path: "\(path)/\(index)/",
                    bigEndian: bigEndian, into: &differences)
            }
            return
        }
        let isNumeric = ["DS", "IS", "US", "SS", "UL", "SL", "UV", "SV", "FL", "FD"].contains(vr)
        if isNumeric, lhs.count != rhs.count, lhs.contains(where: { $0 is NSNull }) {
            // Rule.emptyValueIsNull: pydicom leaves empty numeric values out of the array.
            rhs = rhs.filter { !($0 is NSNull) }
            let present = lhs.filter { !($0 is NSNull) }
            return compareValues(present, rhs, vr: vr, isNumeric: true, path: path, into: &differences)
        }
        compareValues(lhs, rhs, vr: vr, isNumeric: isNumeric, path: path, into: &differences)
    }

    static func compareValues(
        _ lhs: [Any], _ rhs: [Any], vr: String, isNumeric: Bool, path: String, into differences: inout [String]
    ) {
        guard lhs.count == rhs.count else {
            differences.append("\(path): \(lhs.count) values ≠ \(rhs.count)")
            return
        }
        for (index, (value, expected)) in zip(lhs, rhs).enumerated() {
            let here = "\(path)[\(index)]"
            if value is NSNull, (expected as? String) == "" || expected is NSNull { continue }  // Rule.emptyValueIsNull
            if isNumeric {
                if let a = (value as? NSNumber)?.doubleValue, let b = (expected as? NSNumber)?.doubleValue,
                    a == b || (a.isNaN && b.isNaN)
                {
                    continue
                }
                differences.append("\(here): \(value) ≠ \(expected)")
            } else if vr == "PN" {
                let a = (value as? [String: Any])?.mapValues { "\($0)" } ?? [:]
                let b =
                    (expected as? [String: Any])?.mapValues { Self.withoutTrailingSpaces("\($0)") }
                    .filter { !$0.value.isEmpty } ?? [:]
                if a != b { differences.append("\(here): \(a) ≠ \(b)") }
            } else if (value as? String) != (expected as? String).map(Self.withoutTrailingSpaces) {
                // Rule.trailingSpacesInsideValues
                differences.append("\(here): \(value) ≠ \(expected)")
            }
        }
    }

    static func withoutTrailingSpaces(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
