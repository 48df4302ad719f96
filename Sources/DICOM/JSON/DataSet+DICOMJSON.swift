import JSON
public import NIOCore

extension DataSet {
    /// The data set as DICOM JSON (PS3.18 Annex F, §F.2): one compact JSON object, UTF-8.
    ///
    /// - Keys are tags as `ggggeeee` in upper-case hexadecimal, in tag order (§F.2.1.1); each attribute is an
    ///   object with `"vr"` and, unless the value is empty, `"Value"` (an array), `"InlineBinary"` or
    ///   `"BulkDataURI"` (§F.2.2).
    /// - Strings are decoded with the data set's Specific Character Set; an empty value among several is
    ///   `null` (§F.2.5). LT, ST, UT and UR are never split at backslashes.
    /// - PN values are objects with `Alphabetic`, `Ideographic` and `Phonetic` members, empty groups left out
    ///   (§F.2.2).
    /// - DS and IS values are JSON numbers (§F.2.3): a DS value is written as its own text when that text is
    ///   already a JSON number, otherwise as the number it denotes (`"+1."` → `1`, `" .5"` → `0.5`); a value
    ///   that denotes no number (`"abc"`, `"1,5"`) is written as a JSON string, so that nothing is lost and
    ///   readers can still tell it was malformed.
    /// - AT values are `ggggeeee` strings; US, SS, UL, SL, UV, SV, FL and FD values are JSON numbers; FL values
    ///   are widened to 64 bits exactly, and NaN or infinite values, which JSON cannot express, are `null`.
    /// - OB, OD, OF, OL, OV, OW and UN values are base64 of their little-endian bytes (`InlineBinary`,
    ///   §F.2.7), or `BulkDataURI` when ``DICOMJSONOptions/bulkDataThreshold`` and
    ///   ``DICOMJSONOptions/bulkDataURI`` ask for it. Encapsulated pixel data is the base64 of its
    ///   encapsulated item stream: each item (Basic Offset Table first) with its (FFFE,E000) tag and 32-bit
    ///   length, without the sequence delimiter (§F.2.7).
    /// - SQ items are nested JSON objects of the same form.
    public func dicomJSON(options: DICOMJSONOptions = .init()) -> [UInt8] {
        var writer = JSONWriter(escaping: .unicode)
        writeDICOMJSON(to: &writer, options: options, path: [])
        return Array(writer.buffer.readableBytesView)
    }

    /// Appends the data set's DICOM JSON (PS3.18 Annex F) to a buffer; see ``dicomJSON(options:)``.
    public func writeDICOMJSON(into buffer: inout ByteBuffer, options: DICOMJSONOptions = .init()) {
        var writer = JSONWriter(buffer: buffer, escaping: .unicode)
        buffer = ByteBuffer()
        writeDICOMJSON(to: &writer, options: options, path: [])
        buffer = writer.buffer
    }

    func writeDICOMJSON(to writer: inout JSONWriter, options: DICOMJSONOptions, path: [DICOMTag]) {
        writer.beginObject()
        for element in elements {
            if element.tag.isGroupLength, !options.includeGroupLengths { continue }
            writer.key(element.tag.compactHex)
            element.writeDICOMJSON(to: &writer, characterSet: characterSet, options: options, path: path)
        }
        writer.endObject()
    }
}

extension DataElement {
    fileprivate func writeDICOMJSON(
        to writer: inout JSONWriter, characterSet: SpecificCharacterSet, options: DICOMJSONOptions,
        path: [DICOMTag]
    ) {
        writer.beginObject()
        writer.key("vr")
        // A UN element of undefined length holds a sequence (PS3.5 §6.2.2): it is written as SQ.
        writer.string(value.isSequence ? VR.SQ.rawValue : vr.rawValue)
        switch value {
        case .sequence(let items):
            if !items.isEmpty {
                writer.key("Value")
                writer.beginArray()
                for item in items { item.writeDICOMJSON(to: &writer, options: options, path: path + [tag]) }
                writer.endArray()
            }
        case .fragments(let fragments):
            writeBinary(encapsulatedStream(fragments), to: &writer, options: options, path: path)
        case .bytes(let buffer):
            writeValue(buffer, to: &writer, characterSet: characterSet, options: options, path: path)
        }
        writer.endObject()
    }

    private func writeValue(
        _ buffer: ByteBuffer, to writer: inout JSONWriter, characterSet: SpecificCharacterSet,
        options: DICOMJSONOptions, path: [DICOMTag]
    ) {
        guard buffer.readableBytes > 0 else { return }
        switch vr {
        case .PN:
            let values = strings(in: characterSet)
            guard !values.isEmpty else { return }
            writer.key("Value")
            writer.beginArray()
            for value in values { writePersonName(value, to: &writer) }
            writer.endArray()
        case .DS, .IS:
            let values = strings(in: characterSet)
            guard !values.isEmpty else { return }
            writer.key("Value")
            writer.beginArray()
            for value in values {
                let text = value.trimmingSpaces
                if text.isEmpty {
                    writer.null()
                } else if let number = DICOMJSONNumber.normalized(text, isInteger: vr == .IS) {
                    writer.raw(number)
                } else {
                    writer.string(String(text))
                }
            }
            writer.endArray()
        case .AT:
            guard let tags, !tags.isEmpty else { return }
            writer.key("Value")
            writer.beginArray()
            for tag in tags { writer.string(tag.compactHex) }
            writer.endArray()
        case .US, .SS, .UL, .SL, .UV, .SV:
            writer.key("Value")
            writer.beginArray()
            switch vr {
            case .US: for number in uint16s ?? [] { writer.number(number) }
            case .SS: for number in int16s ?? [] { writer.number(number) }
            case .UL: for number in uint32s ?? [] { writer.number(number) }
            case .SL: for number in int32s ?? [] { writer.number(number) }
            case .UV: for number in uint64s ?? [] { writer.number(number) }
            default: for number in int64s ?? [] { writer.number(number) }
            }
            writer.endArray()
        case .FL, .FD:
            writer.key("Value")
            writer.beginArray()
            for number in (vr == .FL ? float32s?.map(Double.init) : float64s) ?? [] { writer.number(number) }
            writer.endArray()
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN, .SQ:
            writeBinary(littleEndianBytes(buffer), to: &writer, options: options, path: path)
        default:
            let values = strings(in: characterSet)
            guard !values.isEmpty else { return }
            writer.key("Value")
            writer.beginArray()
            for value in values {
                if value.isEmpty { writer.null() } else { writer.string(value) }
            }
            writer.endArray()
        }
    }

    private func writePersonName(_ value: String, to writer: inout JSONWriter) {
        let groups = value.split(separator: "=", maxSplits: 2, omittingEmptySubsequences: false)
        guard groups.contains(where: { !$0.isEmpty }) else { return writer.null() }
        writer.beginObject()
        for (name, group) in zip(["Alphabetic", "Ideographic", "Phonetic"], groups) where !group.isEmpty {
            writer.key(name)
            writer.string(String(group))
        }
        writer.endObject()
    }

    private func writeBinary(
        _ bytes: [UInt8], to writer: inout JSONWriter, options: DICOMJSONOptions, path: [DICOMTag]
    ) {
        guard !bytes.isEmpty else { return }
        if let threshold = options.bulkDataThreshold, bytes.count >= threshold,
            let uri = options.bulkDataURI?(path + [tag], self)
        {
            writer.key("BulkDataURI")
            writer.string(uri)
        } else {
            writer.key("InlineBinary")
            writer.string(Base64.encode(bytes))
        }
    }

    /// The value bytes in little-endian order: big-endian values are swapped in units of the VR's number size.
    func littleEndianBytes(_ buffer: ByteBuffer) -> [UInt8] {
        var bytes = Array(buffer.readableBytesView)
        let unit = vr.byteSwapUnit
        guard isBigEndian, unit > 1, vr != .UN else { return bytes }
        var start = 0
        while start + unit <= bytes.count {
            bytes[start..<start + unit].reverse()
            start += unit
        }
        return bytes
    }

    /// The encapsulated item stream of pixel data fragments: each one as an Item (FFFE,E000) with its 32-bit
    /// little-endian length, no sequence delimiter (PS3.5 §A.4).
    private func encapsulatedStream(_ fragments: [ByteBuffer]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fragments.reduce(0) { $0 + $1.readableBytes + 8 })
        for fragment in fragments {
            bytes.append(contentsOf: [0xFE, 0xFF, 0x00, 0xE0])
            let length = UInt32(truncatingIfNeeded: fragment.readableBytes)
            bytes.append(contentsOf: [
                UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24),
            ])
            bytes.append(contentsOf: fragment.readableBytesView)
        }
        return bytes
    }
}

extension DataElement.Value {
    fileprivate var isSequence: Bool {
        if case .sequence = self { return true }
        return false
    }
}

/// The JSON number forms of DS and IS values (PS3.18 §F.2.3).
enum DICOMJSONNumber {
    /// The JSON number literal for a DS or IS value, or `nil` when the text denotes no number.
    ///
    /// Text that is already a JSON number is kept as written; other decimal forms (`+1`, `.5`, `1.`, `007`)
    /// are normalised. IS values are written as integers.
    static func normalized(_ text: Substring, isInteger: Bool) -> String? {
        if isJSONNumber(text.utf8),
            !isInteger || !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") })
        {
            return String(text)
        }
        guard text.utf8.allSatisfy({ isDecimalCharacter($0) }) else { return nil }
        if isInteger {
            if let integer = Int64(text) { return String(integer) }
            guard let number = Double(text), number.isFinite, number == number.rounded(.towardZero) else { return nil }
            return number.magnitude < 1e18 ? String(Int64(number)) : number.description
        }
        guard let number = Double(text), number.isFinite else { return nil }
        return JSONNumber.format(number)
    }

    private static func isDecimalCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default: return false
        }
    }

    /// True when the text is a JSON number literal (RFC 8259 §6).
    static func isJSONNumber(_ text: Substring.UTF8View) -> Bool {
        var index = text.startIndex
        func peek() -> UInt8? { index < text.endIndex ? text[index] : nil }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if peek() == UInt8(ascii: "-") { index = text.index(after: index) }
        if peek() == UInt8(ascii: "0") {
            index = text.index(after: index)
        } else {
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { index = text.index(after: index) }
        }
        if peek() == UInt8(ascii: ".") {
            index = text.index(after: index)
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { index = text.index(after: index) }
        }
        if let byte = peek(), byte | 0x20 == UInt8(ascii: "e") {
            index = text.index(after: index)
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index = text.index(after: index) }
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { index = text.index(after: index) }
        }
        return index == text.endIndex
    }
}
