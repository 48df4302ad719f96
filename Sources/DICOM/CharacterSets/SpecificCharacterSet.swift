/// The character sets that decode and encode the text of a data set: the values of Specific Character Set
/// (0008,0005), PS3.3 §C.12.1.1.2 and PS3.5 §6.1.
///
/// Supported defined terms: the default ISO_IR 6; the single-byte sets ISO_IR 100, 101, 109, 110, 126, 127,
/// 138, 144, 148, 166, 203 and 13; ISO_IR 192 (UTF-8), GB18030 and GBK; and the ISO 2022 code extensions
/// `ISO 2022 IR n` of the same single-byte sets plus the multi-byte IR 87 and IR 159 (Japanese), IR 149
/// (Korean) and IR 58 (simplified Chinese), switched by escape sequences within a value (PS3.5 §6.1.2.5).
///
/// Reading is lenient, as real files require:
/// - Case, spaces, underscores and hyphens in a term are ignored (`ISO_IR_100`, `ISO IR 100`, `iso_ir 100`);
///   `UTF8` and `UTF-8` mean ISO_IR 192.
/// - An empty first value means ISO_IR 6. An unknown term is skipped; when none is left the default applies.
/// - The default repertoire decodes bytes above 0x7F, which it does not define, as ISO 8859-1 (Latin-1), so a
///   file that omits (0008,0005) loses no text.
/// - Code extensions are in use when there is more than one value or a value names an ISO 2022 term; every
///   known escape sequence is honoured, declared in (0008,0005) or not.
/// - A byte that the active set does not define, and an unknown or cut escape sequence, decode to U+FFFD.
///
/// The multi-byte sets go through Foundation's string encodings (see `SpecificCharacterSet+Foundation.swift`);
/// every set listed above works with swift-corelibs-foundation on Linux.
public struct SpecificCharacterSet: Sendable, Hashable {
    /// The known terms, in the order of (0008,0005); never empty. The first one sets the initial code state.
    let terms: [CharacterSetTerm]
    /// True when values may switch character sets with ISO 2022 escape sequences.
    let usesCodeExtensions: Bool

    /// Creates the character sets named by the values of Specific Character Set (0008,0005).
    ///
    /// - Parameter values: the element's values, e.g. `["ISO_IR 192"]` or `["", "ISO 2022 IR 87"]`; an empty
    ///   array means the default repertoire.
    public init(_ values: [String]) {
        var terms: [CharacterSetTerm] = []
        for (index, value) in values.enumerated() {
            let trimmed = value.trimmingASCIISpaces()
            // Only the first value may be empty: it stands for ISO 2022 IR 6 (PS3.3 §C.12.1.1.2).
            guard index == 0 || !trimmed.isEmpty, let term = CharacterSetTerm(trimmed) else { continue }
            if !terms.contains(term) { terms.append(term) }
        }
        if terms.isEmpty { terms = [.ascii] }
        self.terms = terms
        switch terms[0] {
        case .utf8, .gb18030, .gbk:
            // These sets cannot be combined with code extensions (PS3.3 Table C.12-5).
            self.usesCodeExtensions = false
        default:
            let namesExtension = values.contains { $0.uppercased().contains("2022") }
            let needsExtension = terms.contains { if case .multiByte = $0 { true } else { false } }
            self.usesCodeExtensions = terms.count > 1 || namesExtension || needsExtension
        }
    }

    /// The default character repertoire, ISO_IR 6 (ASCII), used when (0008,0005) is absent.
    public static let `default` = SpecificCharacterSet([])

    /// The standard spelling of the known terms, suitable for writing (0008,0005) back.
    public var definedTerms: [String] {
        let spelled = terms.map { $0.definedTerm(codeExtensions: usesCodeExtensions) }
        // PS3.3 §C.12.1.1.2: with code extensions, a first value of ISO 2022 IR 6 is written empty.
        if usesCodeExtensions, spelled.count > 1, terms[0] == .ascii { return [""] + spelled.dropFirst() }
        return spelled
    }

    /// True when the character set is ISO_IR 192, UTF-8.
    public var isUTF8: Bool { terms == [.utf8] }

    /// Decodes the bytes of a string value, padding included, into text.
    ///
    /// The value may hold several values separated by `\`; the code state resets at each of them (PS3.5
    /// §6.1.2.5.3). VRs outside the Specific Character Set's reach (PS3.5 §6.1.2.3) are still decoded with it
    /// when they hold non-ASCII bytes, as real files put such bytes there.
    ///
    /// - Parameters:
    ///   - bytes: the value as stored, after byte-order handling.
    ///   - vr: the element's VR, which decides the delimiters that reset the code state.
    /// - Returns: the text; a byte that cannot be decoded becomes U+FFFD.
    public func decode(_ bytes: some Collection<UInt8>, vr: VR) -> String {
        if bytes.allSatisfy({ $0 < 0x80 && $0 != 0x1B }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        let bytes = Array(bytes)
        if usesCodeExtensions {
            return ISO2022Decoder(terms: terms, vr: vr).decode(bytes)
        }
        switch terms[0] {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .gb18030, .gbk:
            return SpecificCharacterSet.decodeGB18030(bytes)
        case .singleByte(let set):
            return String(String.UnicodeScalarView(bytes.map { set.decode($0) ?? "\u{FFFD}" }))
        case .ascii, .multiByte:
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
    }

    /// Encodes text into the bytes of a string value, without padding; best effort.
    ///
    /// With code extensions, each character is written in the first set that has it, trying the sets already
    /// designated first, then the terms in order, with the escape sequences needed to switch (PS3.5 §6.1.2.5);
    /// G0 returns to its initial set before each delimiter and at the end.
    ///
    /// - Parameters:
    ///   - string: the text, several values joined by `\`.
    ///   - vr: the element's VR, which decides the delimiters that reset the code state.
    /// - Returns: the bytes; a character no set can represent becomes `?`. UTF-8 when the set is ISO_IR 192.
    public func encode(_ string: String, vr: VR) -> [UInt8] {
        if string.utf8.allSatisfy({ $0 < 0x80 }) { return Array(string.utf8) }
        if usesCodeExtensions {
            return ISO2022Encoder(terms: terms, vr: vr).encode(string)
        }
        let unknown = UInt8(ascii: "?")
        switch terms[0] {
        case .utf8:
            return Array(string.utf8)
        case .gb18030, .gbk:
            return SpecificCharacterSet.encodeGB18030(string)
        case .singleByte(let set):
            return string.unicodeScalars.map { $0.isASCII ? UInt8($0.value) : set.encode($0) ?? unknown }
        case .ascii, .multiByte:
            return string.unicodeScalars.map { $0.value <= 0xFF ? UInt8($0.value) : unknown }
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, the padding of DICOM string values.
    fileprivate func trimmingASCIISpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
