import JSON
import NIOCore
import Testing

@Suite struct JSONWriterTests {
    private func written(
        escaping: JSONWriter.Escaping = .unicode, layout: JSONWriter.Layout = .compact,
        _ body: (inout JSONWriter) -> Void
    ) -> String {
        var writer = JSONWriter(escaping: escaping, layout: layout)
        body(&writer)
        return String(buffer: writer.buffer)
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
        var writer = JSONWriter()
        writer.string(value)
        #expect(Array(writer.buffer.readableBytesView) == [0x22] + Array(value.utf8) + [0x22])
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

    @Test func appendsToTheBufferItIsGiven() {
        var writer = JSONWriter(buffer: ByteBuffer(string: "x="))
        writer.beginObject()
        writer.key("k")
        writer.string("v")
        writer.endObject()
        #expect(String(buffer: writer.buffer) == #"x={"k":"v"}"#)
    }

    @Test func escapesTheFiveShortFormsInShortEscaping() {
        let text = written(escaping: .short) { $0.string("\u{8}\u{c}\n\r\t\u{1}\"/") }
        #expect(text == #""\b\f\n\r\t\u0001\"/""#)
    }

    @Test func indentsAsOrthancDoes() {
        let text = written(layout: .indented(indent: 3, keySeparator: " : ")) { writer in
            writer.beginObject()
            writer.key("a")
            writer.beginArray()
            writer.number(1)
            writer.beginObject()
            writer.endObject()
            writer.endArray()
            writer.key("b")
            writer.beginArray()
            writer.endArray()
            writer.endObject()
        }
        #expect(text == "{\n   \"a\" : [\n      1,\n      {}\n   ],\n   \"b\" : []\n}")
    }
}
