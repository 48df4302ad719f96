/// One value of Specific Character Set (0008,0005), read leniently (PS3.3 §C.12.1.1.2).
enum CharacterSetTerm: Hashable, Sendable {
    /// ISO_IR 6 / ISO 2022 IR 6: ASCII only. Also what an empty or unknown term falls back to.
    case ascii
    /// A single-byte set: `ISO_IR n` or `ISO 2022 IR n` for n in 100, 101, 109, 110, 126, 127, 138, 144, 148,
    /// 166, 203, 13.
    case singleByte(SingleByteSet)
    /// A multi-byte set that needs code extensions: ISO 2022 IR 87, 159, 149 or 58.
    case multiByte(CodeElement)
    /// ISO_IR 192: UTF-8.
    case utf8
    /// GB18030.
    case gb18030
    /// GBK, decoded and encoded as the GB18030 subset it is.
    case gbk

    /// Reads a defined term, tolerating the misspellings found in real files.
    ///
    /// Case, spaces, underscores and hyphens are ignored, so `ISO_IR 100`, `ISO_IR_100`, `ISO IR 100`,
    /// `ISO-IR 100`, `ISO_IR100` and `iso_ir 100` all name Latin-1, and `ISO2022IR100` names its code extension
    /// form. `UTF8` and `UTF-8` are read as ISO_IR 192. An unknown term gives `nil`.
    init?(_ value: String) {
        let key = String(
            String.UnicodeScalarView(
                value.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            )
        ).uppercased()
        switch key {
        case "", "ISOIR6", "ISO2022IR6", "ISO646", "ASCII": self = .ascii
        case "ISOIR192", "UTF8": self = .utf8
        case "GB18030": self = .gb18030
        case "GBK": self = .gbk
        default:
            let number: Substring
            if key.hasPrefix("ISO2022IR") {
                number = key.dropFirst("ISO2022IR".count)
            } else if key.hasPrefix("ISOIR") {
                number = key.dropFirst("ISOIR".count)
            } else {
                return nil
            }
            guard let registration = Int(number) else { return nil }
            switch registration {
            case 87: self = .multiByte(.jisX0208)
            case 159: self = .multiByte(.jisX0212)
            case 149: self = .multiByte(.ksX1001)
            case 58: self = .multiByte(.gb2312)
            default:
                guard let set = SingleByteSet.allCases.first(where: { $0.registration == registration }) else {
                    return nil
                }
                self = .singleByte(set)
            }
        }
    }

    /// The element the term designates to G0 in the initial code state, when it designates one.
    var g0: CodeElement? {
        switch self {
        case .ascii: .ascii
        case .singleByte(.katakana): .jisRoman
        case .singleByte: .ascii
        case .multiByte(let element): element.isG0 ? element : nil
        case .utf8, .gb18030, .gbk: nil
        }
    }

    /// The element the term designates to G1 in the initial code state, when it designates one.
    var g1: CodeElement? {
        switch self {
        case .singleByte(let set): .upperHalf(set)
        case .multiByte(let element): element.isG0 ? nil : element
        case .ascii, .utf8, .gb18030, .gbk: nil
        }
    }

    /// The standard spelling of the term (PS3.3 Tables C.12-2 to C.12-5).
    func definedTerm(codeExtensions: Bool) -> String {
        let prefix = codeExtensions ? "ISO 2022 IR " : "ISO_IR "
        switch self {
        case .ascii: return prefix + "6"
        case .singleByte(let set): return prefix + String(set.registration)
        case .multiByte(.jisX0212): return "ISO 2022 IR 159"
        case .multiByte(.ksX1001): return "ISO 2022 IR 149"
        case .multiByte(.gb2312): return "ISO 2022 IR 58"
        case .multiByte: return "ISO 2022 IR 87"
        case .utf8: return "ISO_IR 192"
        case .gb18030: return "GB18030"
        case .gbk: return "GBK"
        }
    }
}
