import NIOCore
import Testing

@testable import DICOM

@Suite struct JSONWriterTests {
    private func written(_ body: (inout JSONWriter<[UInt8]>) -> Void) -> String {
        var writer = JSONWriter(output: [UInt8]())
        body(&writer)
        return String(decoding: writer.output, as: UTF8.self)
    }

    @Test func writesCompactContainersWithCommas() {
        let text = written { writer in
            writer.beginObject()
            writer.key("a")
            writer.beginArray()
            writer.number(1)
            writer.null()
            writer.bool(true)
            writer.beginObject()
            writer.endObject()
            writer.beginArray()
            writer.endArray()
            writer.endArray()
            writer.key("b")
            writer.string("x")
            writer.endObject()
        }
        #expect(text == #"{"a":[1,null,true,{},[]],"b":"x"}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let text = written { $0.string("a\"b\\c\nd\u{1}e\u{1F}\t") }
        #expect(text == #""a\"b\\c\u000ad\u0001e\u001f\u0009""#)
    }

    @Test func passesUTF8Through() {
        let value = "山田^太郎 é 😀 /"
        var writer = JSONWriter(output: [UInt8]())
        writer.string(value)
        #expect(writer.output == [0x22] + Array(value.utf8) + [0x22])
    }

    @Test func writesNumbers() {
        let text = written { writer in
            writer.beginArray()
            writer.number(-42)
            writer.number(UInt64.max)
            writer.number(1.5)
            writer.number(2.0)
            writer.number(-0.0)
            writer.number(1e-7)
            writer.number(Double.nan)
            writer.number(-Double.infinity)
            writer.endArray()
        }
        #expect(text == "[-42,18446744073709551615,1.5,2,0,1e-07,null,null]")
    }

    @Test func writesIntoAByteBuffer() {
        var writer = JSONWriter(output: ByteBuffer())
        writer.beginObject()
        writer.key("k")
        writer.string("v")
        writer.endObject()
        #expect(String(buffer: writer.output) == #"{"k":"v"}"#)
    }
}
