import Testing

@testable import DICOM

@Suite struct CodeElementTests {
    @Test(arguments: [
        (CodeElement.ascii, "(B", true), (.jisRoman, "(J", true), (.jisX0208, "$B", true), (.jisX0212, "$(D", true),
        (.ksX1001, "$)C", false), (.gb2312, "$)A", false), (.upperHalf(.latin1), "-A", false),
        (.upperHalf(.latin2), "-B", false), (.upperHalf(.latin3), "-C", false), (.upperHalf(.latin4), "-D", false),
        (.upperHalf(.cyrillic), "-L", false), (.upperHalf(.arabic), "-G", false), (.upperHalf(.greek), "-F", false),
        (.upperHalf(.hebrew), "-H", false), (.upperHalf(.latin5), "-M", false), (.upperHalf(.latin9), "-b", false),
        (.upperHalf(.thai), "-T", false), (.upperHalf(.katakana), ")I", false),
    ])
    func escapeSequencesOfPS3_3TablesC12_3AndC12_4(element: CodeElement, sequence: String, isG0: Bool) {
        #expect(element.escapeSequence == Array(sequence.utf8))
        #expect(CodeElement(escapeSequence: Array(sequence.utf8)) == element)
        #expect(element.isG0 == isG0)
    }

    @Test func readsTheOlderJISDesignationAndRejectsUnknownOnes() {
        #expect(CodeElement(escapeSequence: Array("$@".utf8)) == .jisX0208)
        #expect(CodeElement(escapeSequence: Array("(Z".utf8)) == nil)
        #expect(CodeElement(escapeSequence: [UInt8]()) == nil)
    }
}
