// The only file of the character set code that uses Foundation: its string encodings are what the platform
// offers for the multi-byte sets (JIS X 0208/0212, KS X 1001, GB 2312, GBK, GB18030).
import Foundation

extension SpecificCharacterSet {
    /// Foundation encodings by their Core Foundation number (`kCFStringEncoding…`), bridged as
    /// `0x8000_0000 | number`, the value `CFStringConvertEncodingToNSStringEncoding` returns; that function is
    /// not exported by swift-corelibs-foundation on Linux.
    ///
    /// Tested on Linux (swift-corelibs-foundation): ISO-2022-JP-1 decodes and encodes JIS X 0208 and
    /// JIS X 0212, EUC-KR and EUC-CN the KS X 1001 and GB 2312 byte pairs, GB18030 all of GB18030 and GBK.
    /// `.japaneseEUC` fails there, even on ASCII, so Japanese goes through ISO-2022-JP-1 instead.
    private enum Encoding {
        static let iso2022JP1 = String.Encoding(rawValue: 0x8000_0822)
        static let eucKR = String.Encoding(rawValue: 0x8000_0940)
        static let eucCN = String.Encoding(rawValue: 0x8000_0930)
        static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    }

    private static let escape: UInt8 = 0x1B
    /// `ESC ( B`, which ends an ISO-2022-JP run.
    private static let toASCII: [UInt8] = [escape] + Array("(B".utf8)

    /// Decodes byte pairs of one multi-byte set, as they appear in G0 (0x21–0x7E) or G1 (0xA1–0xFE).
    ///
    /// - Returns: the text, or `nil` when Foundation rejects the bytes.
    static func decodeMultiByte(_ bytes: [UInt8], set: MultiByteSet) -> String? {
        switch set {
        case .jisX0208:
            let wrapped = [escape] + Array("$B".utf8) + bytes + toASCII
            return String(bytes: wrapped, encoding: Encoding.iso2022JP1)
        case .jisX0212:
            let wrapped = [escape] + Array("$(D".utf8) + bytes + toASCII
            return String(bytes: wrapped, encoding: Encoding.iso2022JP1)
        case .ksX1001:
            return String(bytes: bytes, encoding: Encoding.eucKR)
        case .gb2312:
            return String(bytes: bytes, encoding: Encoding.eucCN)
        case .gb18030:
            return String(bytes: bytes, encoding: Encoding.gb18030)
        }
    }

    /// Encodes one character in a multi-byte set, giving its byte pair as it appears in G0 or G1.
    ///
    /// - Returns: the bytes, or `nil` when the set has no such character.
    static func encodeMultiByte(_ scalar: Unicode.Scalar, set: MultiByteSet) -> [UInt8]? {
        let text = String(Character(scalar))
        switch set {
        case .jisX0208, .jisX0212:
            guard let data = text.data(using: Encoding.iso2022JP1) else { return nil }
            let bytes = [UInt8](data)
            let designation = [escape] + Array((set == .jisX0208 ? "$B" : "$(D").utf8)
            guard bytes.starts(with: designation), bytes.count == designation.count + 2 + toASCII.count else {
                return nil
            }
            return Array(bytes[designation.count..<designation.count + 2])
        case .ksX1001:
            return text.data(using: Encoding.eucKR).map { [UInt8]($0) }
        case .gb2312:
            return text.data(using: Encoding.eucCN).map { [UInt8]($0) }
        case .gb18030:
            return text.data(using: Encoding.gb18030).map { [UInt8]($0) }
        }
    }

    /// Decodes GB18030 (or its subset GBK), character by character when the whole value does not decode.
    static func decodeGB18030(_ bytes: [UInt8]) -> String {
        if let text = decodeMultiByte(bytes, set: .gb18030) { return text }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            // GB18030 characters are one byte (0x00–0x7F), two (lead 0x81–0xFE, trail 0x40–0xFE but 0x7F) or
            // four (0x81–0xFE, 0x30–0x39, 0x81–0xFE, 0x30–0x39).
            let lead = bytes[index]
            var length = 1
            if (0x81...0xFE).contains(lead), index + 1 < bytes.count {
                let second = bytes[index + 1]
                if (0x30...0x39).contains(second), index + 3 < bytes.count {
                    length = 4
                } else if (0x40...0xFE).contains(second), second != 0x7F {
                    length = 2
                }
            }
            let character = Array(bytes[index..<index + length])
            if lead < 0x80 {
                output.append(Unicode.Scalar(lead))
            } else if length > 1, let text = decodeMultiByte(character, set: .gb18030) {
                output.append(contentsOf: text.unicodeScalars)
            } else {
                output.append("\u{FFFD}")
            }
            index += length
        }
        return String(output)
    }

    /// Encodes text in GB18030, which covers all of Unicode; GBK text comes out as the same bytes.
    static func encodeGB18030(_ string: String) -> [UInt8] {
        if let data = string.data(using: Encoding.gb18030) { return [UInt8](data) }
        return string.unicodeScalars.flatMap { encodeMultiByte($0, set: .gb18030) ?? [UInt8(ascii: "?")] }
    }
}
