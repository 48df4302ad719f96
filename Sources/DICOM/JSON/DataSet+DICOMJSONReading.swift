import JSON
import NIOCore

extension DataSet {
    /// Reads a data set from DICOM JSON (PS3.18 Annex F, §F.2), the inverse of ``dicomJSON(options:)``.
    ///
    /// Strings are encoded with the Specific Character Set (0008,0005) the object itself gives, the default
    /// repertoire otherwise; numbers of DS and IS keep their JSON text; `InlineBinary` values are decoded from
    /// base64, and pixel data whose bytes start with an Item tag (FFFE,E000) becomes encapsulated fragments
    /// again (§F.2.7). `BulkDataURI` values cannot be fetched here and read as empty values.
    ///
    /// - Throws: ``DICOMError`` with code ``DICOMError/Code/invalidJSON`` and the byte offset of the defect for
    ///   malformed JSON, nesting deeper than 128 levels or input larger than 1 GiB; with the same code and the
    ///   tag for a value that does not fit its VR.
    public init(dicomJSON: some Collection<UInt8>) throws {
        let root = try JSONParser.parse(dicomJSON)
        self = try DICOMJSONReader.dataSet(from: root, inherited: .default)
    }
}

/// Turns parsed DICOM JSON into data sets (PS3.18 §F.2).
enum DICOMJSONReader {
    static func dataSet(from value: JSONValue, inherited: SpecificCharacterSet) throws(DICOMError) -> DataSet {
        guard case .object(let members) = value else { throw failure("a DICOM JSON data set must be an object") }
        var characterSet = inherited
        if let charsetMember = members.first(where: { $0.key.uppercased() == "00080005" }),
            case .array(let values)? = charsetMember.value["Value"]
        {
            characterSet = SpecificCharacterSet(values.map { if case .string(let text) = $0 { text } else { "" } })
        }
        var elements: [DataElement] = []
        elements.reserveCapacity(members.count)
        for (key, attribute) in members {
            guard key.utf8.count == 8, let tag = DICOMTag(hex: key) else {
                throw failure("\"\(key)\" is not a tag in ggggeeee form")
            }
            elements.append(try element(tag: tag, from: attribute, characterSet: characterSet))
        }
        return DataSet(elements, characterSet: characterSet)
    }

    private static func failure(_ message: String, tag: DICOMTag? = nil) -> DICOMError {
        DICOMError(.invalidJSON, message, tag: tag)
    }

    private static func element(
        tag: DICOMTag, from attribute: JSONValue, characterSet: SpecificCharacterSet
    ) throws(DICOMError) -> DataElement {
        guard case .string(let vrText)? = attribute["vr"], let vr = VR(rawValue: vrText) else {
            throw failure("an attribute needs a valid \"vr\"", tag: tag)
        }
        if case .string(let base64)? = attribute["InlineBinary"] {
            guard let bytes = Base64.decode(base64) else { throw failure("InlineBinary is not base64", tag: tag) }
            if tag == .pixelData, let fragments = fragments(bytes) {
                return DataElement(tag: tag, vr: vr, value: .fragments(fragments))
            }
            return DataElement(tag: tag, vr: vr, value: .bytes(ByteBuffer(bytes: bytes)))
        }
        if attribute["BulkDataURI"] != nil {
            return DataElement(tag: tag, vr: vr, value: .bytes(ByteBuffer()))
        }
        let values: [JSONValue]
        switch attribute["Value"] {
        case nil, .null?: values = []
        case .array(let array)?: values = array
        default: throw failure("\"Value\" must be an array", tag: tag)
        }
        switch vr {
        case .SQ:
            var items: [DataSet] = []
            for item in values { items.append(try dataSet(from: item, inherited: characterSet)) }
            return DataElement(tag: tag, items: items)
        case .PN:
            var texts: [String] = []
            for value in values {
                switch value {
                case .null: texts.append("")
                case .object:
                    var groups: [String] = []
                    for name in ["Alphabetic", "Ideographic", "Phonetic"] {
                        switch value[name] {
                        case .string(let text)?: groups.append(text)
                        case nil, .null?: groups.append("")
                        default: throw failure("a person name group must be a string", tag: tag)
                        }
                    }
                    while groups.last == "" { groups.removeLast() }
                    texts.append(groups.joined(separator: "="))
                default: throw failure("a PN value must be an object", tag: tag)
                }
            }
            return DataElement(tag: tag, vr: vr, strings: texts, characterSet: characterSet)
        case .AT:
            var numbers: [UInt16] = []
            for value in values {
                guard case .string(let text) = value, text.utf8.count == 8, let attributeTag = DICOMTag(hex: text)
                else {
                    throw failure("an AT value must be a ggggeeee string", tag: tag)
                }
                numbers.append(attributeTag.group)
                numbers.append(attributeTag.element)
            }
            return DataElement(tag: tag, vr: vr, value: .bytes(DataElement.littleEndian(numbers)))
        case .US, .SS, .UL, .SL, .UV, .SV, .FL, .FD, .OB, .OD, .OF, .OL, .OV, .OW, .UN:
            return DataElement(tag: tag, vr: vr, value: .bytes(try binaryNumbers(values, vr: vr, tag: tag)))
        default:
            var texts: [String] = []
            for value in values {
                switch value {
                case .null: texts.append("")
                case .string(let text): texts.append(text)
                case .number(let number) where vr == .DS || vr == .IS: texts.append(number.literal)
                default: throw failure("a \(vr) value must be a string", tag: tag)
                }
            }
            return DataElement(tag: tag, vr: vr, strings: texts, characterSet: characterSet)
        }
    }

    private static func binaryNumbers(_ values: [JSONValue], vr: VR, tag: DICOMTag) throws(DICOMError) -> ByteBuffer {
        var buffer = ByteBuffer()
        for value in values {
            guard case .number(let number) = value else {
                if case .null = value, vr == .FL || vr == .FD {
                    // NaN and infinities are written as null.
                    if vr == .FL {
                        buffer.writeInteger(Float.nan.bitPattern, endianness: .little)
                    } else {
                        buffer.writeInteger(Double.nan.bitPattern, endianness: .little)
                    }
                    continue
                }
                throw failure("a \(vr) value must be a number", tag: tag)
            }
            let text = number.literal
            let written: Bool
            switch vr {
            case .US: written = write(UInt16(text), to: &buffer)
            case .SS: written = write(Int16(text), to: &buffer)
            case .UL: written = write(UInt32(text), to: &buffer)
            case .SL: written = write(Int32(text), to: &buffer)
            case .UV: written = write(UInt64(text), to: &buffer)
            case .SV: written = write(Int64(text), to: &buffer)
            case .FL: written = write(Float(text)?.bitPattern, to: &buffer)
            default: written = write(Double(text)?.bitPattern, to: &buffer)
            }
            guard written else { throw failure("\(text) is not a valid \(vr) value", tag: tag) }
        }
        return buffer
    }

    private static func write<T: FixedWidthInteger>(_ value: T?, to buffer: inout ByteBuffer) -> Bool {
        guard let value else { return false }
        buffer.writeInteger(value, endianness: .little)
        return true
    }

    /// Splits an encapsulated item stream into fragments, or returns `nil` when the bytes are not one.
    private static func fragments(_ bytes: [UInt8]) -> [ByteBuffer]? {
        var fragments: [ByteBuffer] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 8 <= bytes.count, bytes[offset] == 0xFE, bytes[offset + 1] == 0xFF,
                bytes[offset + 2] == 0x00,
                bytes[offset + 3] == 0xE0
            else { return nil }
            let length =
                Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16
                | Int(bytes[offset + 7]) << 24
            guard offset + 8 + length <= bytes.count else { return nil }
            fragments.append(ByteBuffer(bytes: bytes[offset + 8..<offset + 8 + length]))
            offset += 8 + length
        }
        return fragments.isEmpty ? nil : fragments
    }
}
