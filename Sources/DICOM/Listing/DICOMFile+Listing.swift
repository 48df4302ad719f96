import NIOCore

extension DICOMFile {
    /// A readable listing of the file, one line per element, nested items indented (like `dcmdump`):
    /// tag, VR, value, then the value length, multiplicity and keyword.
    ///
    /// Binary values show their first numbers only; string values are decoded with the Specific Character Set.
    public func listing() -> String {
        var lines: [String] = []
        if !metaInformation.isEmpty {
            lines.append("# File meta information (Explicit VR Little Endian)")
            metaInformation.appendListing(to: &lines, depth: 0)
        }
        lines.append(
            "# Data set (\(transferSyntax.uid)\(UIDDictionary.entry(for: transferSyntax.uid).map { ", " + $0.name } ?? ""))"
        )
        dataSet.appendListing(to: &lines, depth: 0)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension DataSet {
    func appendListing(to lines: inout [String], depth: Int) {
        let indent = String(repeating: "  ", count: depth)
        for element in elements {
            let keyword =
                DataDictionary.entry(for: element.tag)?.keyword
                ?? (element.tag.isPrivateCreator ? "PrivateCreator" : "Unknown")
            switch element.value {
            case .sequence(let items):
                let form = element.hasUndefinedLength ? "undefined length" : "defined length"
                lines.append(
                    "\(indent)\(element.tag) \(element.vr) (Sequence with \(form), \(items.count) items)  # \(keyword)")
                for (index, item) in items.enumerated() {
                    lines.append("\(indent)  (FFFE,E000) Item \(index + 1) (\(item.count) elements)")
                    item.appendListing(to: &lines, depth: depth + 2)
                }
            case .fragments(let fragments):
                lines.append(
                    "\(indent)\(element.tag) \(element.vr) (Encapsulated, \(fragments.count) items)  # \(keyword)")
                for (index, fragment) in fragments.enumerated() {
                    let role = index == 0 ? "Basic Offset Table" : "Fragment \(index)"
                    lines.append("\(indent)  (FFFE,E000) \(role), \(fragment.readableBytes) bytes")
                }
            case .bytes(let bytes):
                let display = element.displayValue(characterSet: characterSet)
                lines.append("\(indent)\(element.tag) \(element.vr) \(display)  # \(bytes.readableBytes), \(keyword)")
            }
        }
    }
}

extension DataElement {
    /// A short display form of the value: `[text]` for strings, numbers separated by backslashes, the
    /// first bytes in hexadecimal for byte VRs.
    func displayValue(characterSet: SpecificCharacterSet) -> String {
        if vr.isString {
            return "[" + (string(in: characterSet) ?? "") + "]"
        }
        let shown = 8
        if vr == .AT, let tags {
            return tags.prefix(shown).map(\.description).joined(separator: "\\")
        }
        switch vr {
        case .US, .SS, .UL, .SL, .UV, .SV, .FL, .FD:
            guard let numbers else { return "" }
            let text = numbers.prefix(shown).map { number in
                vr == .FL || vr == .FD ? "\(number)" : "\(Int64(exactly: number) ?? 0)"
            }
            return text.joined(separator: "\\") + (numbers.count > shown ? "\\…" : "")
        default:
            guard let bytes else { return "" }
            let hex = bytes.readableBytesView.prefix(16).map { byte in
                String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            }
            return hex.joined(separator: " ") + (bytes.readableBytes > 16 ? " …" : "")
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
