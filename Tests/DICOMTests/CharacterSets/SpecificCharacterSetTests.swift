import DICOM
import Testing

@Suite struct SpecificCharacterSetTests {
    /// A Patient's Name (0010,0010) value of a character set test file shipped with pydicom
    /// (`pydicom/data/charset_files/`), its bytes as stored (padding included), and the name pydicom prints.
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let terms: [String]
        let bytes: [UInt8]
        let expected: String
        init(_ file: String, _ terms: [String], _ bytes: [UInt8], _ expected: String) {
            self.file = file
            self.terms = terms
            self.bytes = bytes
            self.expected = expected
        }
        var testDescription: String { file }
    }

    static let corpus: [Case] = [
        Case(
            "chrArab.dcm", ["ISO_IR 127"], [0xE2, 0xC8, 0xC7, 0xE6, 0xEA, 0x5E, 0xE4, 0xE6, 0xD2, 0xC7, 0xD1, 0x20],
            "قباني^لنزار"),
        Case(
            "chrFren.dcm", ["ISO_IR 100"], [0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65], "Buc^Jérôme"),
        Case(
            "chrGerm.dcm", ["ISO_IR 100"],
            [0xC4, 0x6E, 0x65, 0x61, 0x73, 0x5E, 0x52, 0xFC, 0x64, 0x69, 0x67, 0x65, 0x72, 0x20], "Äneas^Rüdiger"),
        Case(
            "chrGreek.dcm", ["ISO_IR 126"], [0xC4, 0xE9, 0xEF, 0xED, 0xF5, 0xF3, 0xE9, 0xEF, 0xF2, 0x20], "Διονυσιος"),
        Case(
            "chrH31.dcm", ["", "ISO 2022 IR 87"],
            [
                0x59, 0x61, 0x6D, 0x61, 0x64, 0x61, 0x5E, 0x54, 0x61, 0x72, 0x6F, 0x75, 0x3D, 0x1B, 0x24, 0x42, 0x3B,
                0x33, 0x45, 0x44, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x42,
                0x3D, 0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42,
                0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x42,
            ], "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        Case(
            "chrH32.dcm", ["ISO 2022 IR 13", "ISO 2022 IR 87"],
            [
                0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3, 0x3D, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B,
                0x28, 0x4A, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x4A, 0x3D, 0x1B, 0x24, 0x42,
                0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x4A, 0x5E, 0x1B, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D,
                0x24, 0x26, 0x1B, 0x28, 0x4A,
            ], "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
        Case(
            "chrHbrw.dcm", ["ISO_IR 138"], [0xF9, 0xF8, 0xE5, 0xEF, 0x5E, 0xE3, 0xE1, 0xE5, 0xF8, 0xE4], "שרון^דבורה"),
        Case(
            "chrI2.dcm", ["", "ISO 2022 IR 149"],
            [
                0x48, 0x6F, 0x6E, 0x67, 0x5E, 0x47, 0x69, 0x6C, 0x64, 0x6F, 0x6E, 0x67, 0x3D, 0x1B, 0x24, 0x29, 0x43,
                0xFB, 0xF3, 0x5E, 0x1B, 0x24, 0x29, 0x43, 0xD1, 0xCE, 0xD4, 0xD7, 0x3D, 0x1B, 0x24, 0x29, 0x43, 0xC8,
                0xAB, 0x5E, 0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE6, 0xB5, 0xBF,
            ], "Hong^Gildong=洪^吉洞=홍^길동"),
        Case(
            "chrJapMulti.dcm", ["", "ISO 2022 IR 87"],
            [
                0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x24,
                0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x42, 0x20,
            ], "やまだ^たろう"),
        Case(
            "chrJapMultiExplicitIR6.dcm", ["ISO 2022 IR 6", "ISO 2022 IR 87"],
            [
                0x1B, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x24,
                0x3F, 0x24, 0x6D, 0x24, 0x26, 0x1B, 0x28, 0x42, 0x20,
            ], "やまだ^たろう"),
        Case(
            "chrKoreanMulti.dcm", ["", "ISO 2022 IR 149"],
            [0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE8, 0xC8, 0xF1, 0xC1, 0xDF, 0x1B, 0x28, 0x42, 0x20], "김희중"),
        Case(
            "chrRuss.dcm", ["ISO_IR 144"], [0xBB, 0xEE, 0xDA, 0x63, 0x65, 0xDC, 0xD1, 0x79, 0x70, 0xD3], "Люкceмбypг"),
        Case(
            "chrX1.dcm", ["ISO_IR 192"],
            [
                0x57, 0x61, 0x6E, 0x67, 0x5E, 0x58, 0x69, 0x61, 0x6F, 0x44, 0x6F, 0x6E, 0x67, 0x3D, 0xE7, 0x8E, 0x8B,
                0x5E, 0xE5, 0xB0, 0x8F, 0xE6, 0x9D, 0xB1, 0x3D, 0x20,
            ], "Wang^XiaoDong=王^小東"),
        Case(
            "chrX2.dcm", ["GB18030"],
            [
                0x57, 0x61, 0x6E, 0x67, 0x5E, 0x58, 0x69, 0x61, 0x6F, 0x44, 0x6F, 0x6E, 0x67, 0x3D, 0xCD, 0xF5, 0x5E,
                0xD0, 0xA1, 0xB6, 0xAB, 0x3D,
            ], "Wang^XiaoDong=王^小东"),
        // chrSQEncoding.dcm: the name in a sequence item whose own (0008,0005) differs from the data set's.
        Case(
            "chrSQEncoding.dcm item", ["ISO 2022 IR 13", "ISO 2022 IR 87"],
            [
                0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3, 0x3D, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B,
                0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x42, 0x3D, 0x1B, 0x24, 0x42,
                0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, 0x1B, 0x28, 0x42, 0x5E, 0x1B, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D,
                0x24, 0x26, 0x1B, 0x28, 0x42,
            ],
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
    ]

    @Test(arguments: corpus)
    func decodesPydicomCorpusNames(_ sample: Case) throws {
        let decoded = SpecificCharacterSet(sample.terms).decode(sample.bytes, vr: .PN)
        #expect(!decoded.unicodeScalars.contains("\u{FFFD}"))
        let name = try #require(PersonName(decoded))
        #expect(name.description == sample.expected)
    }

    /// Encoding the decoded name gives back the file's bytes, escape sequences included.
    /// chrKoreanMulti.dcm ends with a redundant ESC ( B, and the chrSQEncoding.dcm item returns to ASCII with
    /// ESC ( B where the initial G0 of ISO 2022 IR 13 is JIS X 0201 Romaji (ESC ( J); both are left out.
    @Test(arguments: corpus.filter { !["chrKoreanMulti.dcm", "chrSQEncoding.dcm item"].contains($0.file) })
    func encodesPydicomCorpusNamesBackToTheirBytes(_ sample: Case) {
        let set = SpecificCharacterSet(sample.terms)
        var bytes = sample.bytes
        while bytes.last == 0x20 { bytes.removeLast() }
        let text = set.decode(bytes, vr: .PN)
        #expect(set.encode(text, vr: .PN) == bytes)
    }

    @Test func keepsARedundantFinalEscapeOutOfTheText() {
        // chrKoreanMulti.dcm ends with ESC ( B although G0 is already ASCII; the encoder does not write it.
        let set = SpecificCharacterSet(["", "ISO 2022 IR 149"])
        #expect(set.encode("김희중", vr: .PN) == [0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE8, 0xC8, 0xF1, 0xC1, 0xDF])
    }

    @Test func decodesMultipleValuesOfChrFrenMulti() {
        // (0010,1001) Other Patient Names of chrFrenMulti.dcm.
        let bytes: [UInt8] = [
            0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65, 0x5C, 0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72,
            0xF4, 0x6D, 0x65, 0x20,
        ]
        #expect(SpecificCharacterSet(["ISO_IR 100"]).decode(bytes, vr: .PN) == "Buc^Jérôme\\Buc^Jérôme ")
    }

    /// Sets without a pydicom sample file: bytes written from the ISO/IEC 8859, TIS 620, JIS X 0201 and GBK
    /// tables, with the text Python's codecs give for them.
    @Test(
        arguments: [
            (
                ["ISO_IR 101"], [0x44, 0x76, 0x6F, 0xF8, 0xE1, 0x6B, 0x5E, 0x41, 0x6E, 0x74, 0x6F, 0x6E, 0xED, 0x6E],
                "Dvořák^Antonín"
            ),
            (["ISO_IR 109"], [0xA6, 0x61, 0x72, 0xFB, 0x65], "Ĥarûe"),
            (["ISO_IR 110"], [0xA9, 0x69, 0x6C, 0x61, 0x73, 0x5E, 0x4A, 0xE2, 0x6E, 0x69, 0x73], "Šilas^Jânis"),
            (["ISO_IR 148"], [0xDE, 0x61, 0x68, 0x69, 0x6E, 0x5E, 0xDD, 0x6C, 0x6B, 0x65, 0x72], "Şahin^İlker"),
            (["ISO_IR 166"], [0xCA, 0xC1, 0xB7, 0xC3, 0x5E, 0xE0, 0xCA, 0xC3, 0xD4, 0xC1], "สมทร^เสริม"),
            (["ISO_IR 13"], [0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3], "ﾔﾏﾀﾞ^ﾀﾛｳ"),
            (["ISO_IR 203"], [0xA4, 0x5E, 0xBD], "€^œ"),
            (["ISO_IR 6"], [0x41, 0x42], "AB"),
            (["GBK"], [0x57, 0x61, 0x6E, 0x67, 0x3D, 0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0x96, 0x7C], "Wang=王^小東"),
            (["ISO 2022 IR 100"], [0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65], "Jérôme"),
            (["ISO 2022 IR 101"], [0x44, 0x76, 0x6F, 0xF8, 0xE1, 0x6B], "Dvořák"),
            (["ISO 2022 IR 109"], [0xA6, 0x61, 0x72, 0xFB, 0x65], "Ĥarûe"),
            (["ISO 2022 IR 110"], [0xA9, 0x69, 0x6C, 0x61, 0x73], "Šilas"),
            (["ISO 2022 IR 144"], [0xBB, 0xEE, 0xDA], "Люк"),
            (["ISO 2022 IR 127"], [0xE2, 0xC8, 0xC7], "قبا"),
            (["ISO 2022 IR 126"], [0xC4, 0xE9, 0xEF], "Διο"),
            (["ISO 2022 IR 138"], [0xF9, 0xF8, 0xE5], "שרו"),
            (["ISO 2022 IR 148"], [0xDE, 0x61, 0x68, 0x69, 0x6E], "Şahin"),
            (["ISO 2022 IR 166"], [0xCA, 0xC1, 0xB7, 0xC3], "สมทร"),
            (["ISO 2022 IR 13"], [0xD4, 0xCF, 0xC0, 0xDE], "ﾔﾏﾀﾞ"),
            (["ISO 2022 IR 6"], [0x41, 0x42], "AB"),
            // GB 2312 in G1 (ISO-IR 58), designated by ESC $ ) A in each component.
            (
                ["", "ISO 2022 IR 58"],
                [
                    0x5A, 0x68, 0x61, 0x6E, 0x67, 0x3D, 0x1B, 0x24, 0x29, 0x41, 0xD5, 0xC5, 0x5E, 0x1B, 0x24, 0x29,
                    0x41,
                    0xD0, 0xA1, 0xB6, 0xAB,
                ],
                "Zhang=张^小东"
            ),
            // JIS X 0212 in G0 (ISO-IR 159), ESC $ ( D, beside JIS X 0208.
            (
                ["", "ISO 2022 IR 87", "ISO 2022 IR 159"],
                [0x1B, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x1B, 0x28, 0x42],
                "丂山"
            ),
            // G1 switched from Latin-1 to Greek within a value.
            (
                ["ISO 2022 IR 100", "ISO 2022 IR 126"],
                [0xC4, 0x5E, 0x1B, 0x2D, 0x46, 0xC4, 0xE9, 0xEF],
                "Ä^Διο"
            ),
        ] as [([String], [UInt8], String)])
    func decodesEachSet(terms: [String], bytes: [UInt8], expected: String) {
        #expect(SpecificCharacterSet(terms).decode(bytes, vr: .PN) == expected)
    }

    @Test func resetsTheCodeStateAtDelimiters() {
        // ESC - F designates Greek to G1; the initial G1 is Latin-1, where 0xC4 is Ä and in Greek Δ.
        let set = SpecificCharacterSet(["ISO 2022 IR 100", "ISO 2022 IR 126"])
        let greek: [UInt8] = [0x1B, 0x2D, 0x46, 0xC4]
        #expect(set.decode(greek + [0x5C, 0xC4], vr: .LO) == "Δ\\Ä")
        #expect(set.decode(greek + [0x5C, 0xC4], vr: .LT) == "Δ\\Δ")
        #expect(set.decode(greek + [0x5E, 0xC4], vr: .PN) == "Δ^Ä")
        #expect(set.decode(greek + [0x3D, 0xC4], vr: .PN) == "Δ=Ä")
        #expect(set.decode(greek + [0x5E, 0xC4], vr: .LO) == "Δ^Δ")
        #expect(set.decode(greek + [0x0D, 0x0A, 0xC4], vr: .LT) == "Δ\r\nÄ")
        #expect(set.decode(greek + [0x09, 0xC4], vr: .ST) == "Δ\tÄ")
        #expect(set.decode(greek + [0x0C, 0xC4], vr: .UT) == "Δ\u{0C}Ä")
        #expect(set.decode(greek + [0x20, 0xC4], vr: .LT) == "Δ Δ")
    }

    @Test func keepsDelimiterBytesInsideTwoByteCharacters() {
        // In JIS X 0208, 0x5C and 0x5E are bytes of characters, not delimiters: ESC $ B 0x24 0x5E is ま.
        let set = SpecificCharacterSet(["", "ISO 2022 IR 87"])
        #expect(set.decode([0x1B, 0x24, 0x42, 0x24, 0x5E, 0x1B, 0x28, 0x42, 0x5C, 0x41], vr: .LO) == "ま\\A")
    }

    @Test(arguments: [
        ("ISO_IR_100", "ISO_IR 100"), ("ISO IR 100", "ISO_IR 100"), ("iso_ir 100", "ISO_IR 100"),
        ("ISO-IR 100", "ISO_IR 100"), ("ISO_IR100", "ISO_IR 100"), (" ISO_IR 144 ", "ISO_IR 144"),
        ("UTF-8", "ISO_IR 192"), ("UTF8", "ISO_IR 192"), ("gb18030", "GB18030"), ("gbk", "GBK"),
        ("ISO_IR 6", "ISO_IR 6"), ("", "ISO_IR 6"), ("ISO_IR 999", "ISO_IR 6"), ("KOI8-R", "ISO_IR 6"),
    ])
    func toleratesMisspelledAndUnknownTerms(term: String, definedTerm: String) {
        #expect(SpecificCharacterSet([term]).definedTerms == [definedTerm])
    }

    @Test func spellsCodeExtensionTerms() {
        #expect(SpecificCharacterSet(["", "ISO 2022 IR 87"]).definedTerms == ["", "ISO 2022 IR 87"])
        #expect(
            SpecificCharacterSet(["ISO 2022 IR 13", "ISO_2022_IR_87"]).definedTerms == [
                "ISO 2022 IR 13", "ISO 2022 IR 87",
            ])
        #expect(
            SpecificCharacterSet(["ISO_IR 100", "ISO 2022 IR 126"]).definedTerms == [
                "ISO 2022 IR 100", "ISO 2022 IR 126",
            ])
        #expect(SpecificCharacterSet(["ISO_IR 100", "bogus"]).definedTerms == ["ISO_IR 100"])
        #expect(SpecificCharacterSet.default.definedTerms == ["ISO_IR 6"])
        #expect(SpecificCharacterSet(["ISO_IR 192"]).isUTF8)
        #expect(SpecificCharacterSet(["ISO_IR_100"]) == SpecificCharacterSet(["ISO_IR 100"]))
    }

    @Test func decodesMisspelledTermsAsTheirSet() {
        #expect(SpecificCharacterSet(["ISO_IR_144"]).decode([0xBB, 0xEE, 0xDA], vr: .PN) == "Люк")
        #expect(SpecificCharacterSet(["iso ir 126"]).decode([0xC4, 0xE9, 0xEF], vr: .LO) == "Διο")
    }

    @Test func fallsBackToLatin1ForTheDefaultAndUnknownTerms() {
        #expect(SpecificCharacterSet.default.decode([0x4A, 0xE9], vr: .PN) == "Jé")
        #expect(SpecificCharacterSet(["ISO_IR 999"]).decode([0x4A, 0xE9], vr: .PN) == "Jé")
        #expect(SpecificCharacterSet(["", "ISO 2022 IR 87"]).decode([0x4A, 0xE9], vr: .PN) == "Jé")
    }

    @Test(
        arguments: [
            (["ISO_IR 192"], [0x41, 0xFF, 0x42], "A\u{FFFD}B"),
            (["ISO_IR 192"], [0xE7, 0x8E], "\u{FFFD}"),
            (["ISO_IR 109"], [0xBE], "\u{FFFD}"),
            (["ISO_IR 13"], [0xE0], "\u{FFFD}"),
            (["", "ISO 2022 IR 87"], [0x1B, 0x28, 0x5A, 0x41], "\u{FFFD}A"),
            (["", "ISO 2022 IR 87"], [0x41, 0x1B], "A\u{FFFD}"),
            (["", "ISO 2022 IR 87"], [0x41, 0x1B, 0x24], "A\u{FFFD}"),
            (["", "ISO 2022 IR 87"], [0x1B, 0x24, 0x42, 0x3B], "\u{FFFD}"),
            (["", "ISO 2022 IR 87"], [0x1B, 0x24, 0x42, 0x7E, 0x7E, 0x3B, 0x33], "\u{FFFD}山"),
            (["", "ISO 2022 IR 149"], [0x1B, 0x24, 0x29, 0x43, 0x85, 0xC8, 0xAB], "\u{FFFD}홍"),
            (["", "ISO 2022 IR 149"], [0x1B, 0x24, 0x29, 0x43, 0xC8], "\u{FFFD}"),
            (["GB18030"], [0x41, 0x81], "A\u{FFFD}"),
            (["GB18030"], [0xCD, 0xF5, 0xFF, 0x41], "王\u{FFFD}A"),
        ] as [([String], [UInt8], String)])
    func replacesUndecodableBytes(terms: [String], bytes: [UInt8], expected: String) {
        #expect(SpecificCharacterSet(terms).decode(bytes, vr: .LO) == expected)
    }

    @Test func neverCrashesOnArbitraryBytes() {
        let sets: [[String]] = [
            [], ["ISO_IR 100"], ["ISO_IR 192"], ["GB18030"], ["GBK"], ["ISO_IR 13"], ["", "ISO 2022 IR 87"],
            ["ISO 2022 IR 13", "ISO 2022 IR 87", "ISO 2022 IR 159"], ["", "ISO 2022 IR 149"], ["", "ISO 2022 IR 58"],
            ["ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 166"],
        ]
        var state: UInt32 = 0x1234_5678
        for terms in sets {
            let set = SpecificCharacterSet(terms)
            for length in 1...40 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    // Favour the bytes that drive the decoders: ESC, intermediates, delimiters, high bytes.
                    let pick = UInt8(truncatingIfNeeded: state >> 24)
                    bytes.append(pick < 24 ? 0x1B : pick < 60 ? 0x20 + pick % 16 : pick)
                }
                let text = set.decode(bytes, vr: .PN)
                #expect(!text.isEmpty || bytes.contains(0x1B))
                _ = set.encode(text, vr: .PN)
            }
        }
    }

    @Test func encodesBestEffort() {
        #expect(SpecificCharacterSet(["ISO_IR 192"]).encode("Jé王", vr: .PN) == [0x4A, 0xC3, 0xA9, 0xE7, 0x8E, 0x8B])
        #expect(SpecificCharacterSet(["ISO_IR 100"]).encode("Jé王", vr: .PN) == [0x4A, 0xE9, 0x3F])
        #expect(SpecificCharacterSet(["ISO_IR 144"]).encode("Люк", vr: .PN) == [0xBB, 0xEE, 0xDA])
        #expect(SpecificCharacterSet(["ISO_IR 166"]).encode("สม", vr: .LO) == [0xCA, 0xC1])
        #expect(SpecificCharacterSet.default.encode("Jé王", vr: .PN) == [0x4A, 0xE9, 0x3F])
        #expect(
            SpecificCharacterSet(["GB18030"]).encode("王^小东", vr: .PN) == [0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB])
        #expect(SpecificCharacterSet(["GBK"]).encode("東", vr: .PN) == [0x96, 0x7C])
        #expect(
            SpecificCharacterSet(["", "ISO 2022 IR 58"]).encode("张", vr: .PN) == [0x1B, 0x24, 0x29, 0x41, 0xD5, 0xC5])
        // JIS X 0212 only when JIS X 0208 lacks the character.
        #expect(
            SpecificCharacterSet(["", "ISO 2022 IR 87", "ISO 2022 IR 159"]).encode("丂山", vr: .PN)
                == [0x1B, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x1B, 0x28, 0x42])
        // A character no declared set has becomes '?', after G0 returns to ASCII.
        #expect(
            SpecificCharacterSet(["", "ISO 2022 IR 87"]).encode("山é", vr: .PN)
                == [0x1B, 0x24, 0x42, 0x3B, 0x33, 0x1B, 0x28, 0x42, 0x3F])
        // G1 switches between single-byte sets and returns to the initial set at a delimiter.
        #expect(
            SpecificCharacterSet(["ISO 2022 IR 100", "ISO 2022 IR 126"]).encode("Δ\\Ä", vr: .LO)
                == [0x1B, 0x2D, 0x46, 0xC4, 0x5C, 0xC4])
    }
}
