import JSON
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension DataSet {
    /// The data set as Orthanc renders it in `/instances/{id}/tags` (full), `?simplify` and `?short`, for
    /// clients written against Orthanc's REST API. Unlike DICOM JSON (PS3.18 Annex F), every value is a string:
    ///
    /// - String VRs give the value text decoded with the Specific Character Set, trailing padding removed and
    ///   backslashes kept between values (`"ORIGINAL\\PRIMARY"`). A value longer than `maximumStringLength`
    ///   bytes is not shown: Type `TooLong`, Value `null` (Orthanc's default limit is 256; `nil` shows every
    ///   value, like Orthanc's `?ignore-length`).
    /// - Binary numbers (US, SS, UL, SL, UV, SV, FL, FD) give their values as decimal text joined with
    ///   backslashes; FL and FD values are printed with 17 significant digits (`%.17g`), as Orthanc does. AT
    ///   values are `gggg,eeee` in lower case; of several AT values only the first is shown, as Orthanc shows it.
    /// - OB, OD, OF, OL, OV, OW and UN values, and encapsulated pixel data, are Type `Null`, Value `null`.
    /// - Sequences are Type `Sequence` with an array of item objects of the same form.
    /// - Elements after Pixel Data (7FE0,0010) are left out, as Orthanc leaves them out; group lengths are kept.
    /// - Object members are sorted by their key's bytes, which is the order Orthanc writes them in.
    ///
    /// Names are the data dictionary's keywords, with `RETIRED_` before those of retired elements
    /// other than group lengths (`GenericGroupLength`, but `FileMetaInformationGroupLength` for (0002,0000), as in
    /// Orthanc's `/header`); private creators are named `PrivateCreator`. A private data
    /// element listed in the private dictionary is named by its name in camel case (`Full fidelity` →
    /// `FullFidelity`), which is often, not always, the name Orthanc takes from its own vendor dictionaries;
    /// other elements are named `Unknown Tag & Data`.
    public func orthancJSON(format: OrthancJSONFormat, maximumStringLength: Int? = 256) -> [UInt8] {
        // About a hundred bytes per element in the full form: one allocation instead of a dozen regrowths.
        let buffer = ByteBufferAllocator().buffer(capacity: count * (format == .full ? 112 : 48))
        var writer = JSONWriter(buffer: buffer, escaping: .unicode)
        OrthancJSONRenderer(format: format, maximumStringLength: maximumStringLength)
            .write(self, to: &writer, isTopLevel: true)
        return Array(writer.buffer.readableBytesView)
    }
}

/// Writes data sets in Orthanc's JSON forms; see ``DataSet/orthancJSON(format:maximumStringLength:)``.
struct OrthancJSONRenderer {
    let format: OrthancJSONFormat
    let maximumStringLength: Int?

    /// The name Orthanc gives to elements its dictionaries do not know.
    static let unknownName = "Unknown Tag & Data"

    /// What an element renders as.
    enum Rendering {
        case string(String)
        case sequence([DataSet])
        case null
        case tooLong

        var type: String {
            switch self {
            case .string: "String"
            case .sequence: "Sequence"
            case .null: "Null"
            case .tooLong: "TooLong"
            }
        }
    }

    func write(_ dataSet: DataSet, to writer: inout JSONWriter, isTopLevel: Bool) {
        var shown: [DataElement] = []
        shown.reserveCapacity(dataSet.count)
        for element in dataSet {
            if isTopLevel, element.tag > .pixelData { continue }
            shown.append(element)
        }
        writer.beginObject()
        switch format {
        case .full, .short:
            // Lower-case `gggg,eeee` keys sort like the tags, except for data sets read out of order.
            if !shown.isSorted(by: { $0.tag < $1.tag }) { shown.sort { $0.tag < $1.tag } }
            for element in shown {
                writer.key(element.tag.orthancKey)
                if format == .full {
                    writeFull(element, in: dataSet, to: &writer)
                } else {
                    writeSimple(rendering(of: element, in: dataSet), to: &writer)
                }
            }
        case .simplified:
            // Keyed by name, sorted by bytes; when two elements share a name the later one wins.
            var named: [(name: [UInt8], element: DataElement)] = shown.map {
                (Array(name(of: $0.tag, creator: creator(of: $0.tag, in: dataSet)).utf8), $0)
            }
            named = named.enumerated().sorted { lhs, rhs in
                lhs.element.name.lexicographicallyPrecedes(rhs.element.name)
                    || (lhs.element.name == rhs.element.name && lhs.offset < rhs.offset)
            }.map(\.element)
            for (index, entry) in named.enumerated() {
                if index + 1 < named.count, named[index + 1].name == entry.name { continue }
                writer.key(String(decoding: entry.name, as: UTF8.self))
                writeSimple(rendering(of: entry.element, in: dataSet), to: &writer)
            }
        }
        writer.endObject()
    }

    private func writeFull(_ element: DataElement, in dataSet: DataSet, to writer: inout JSONWriter) {
        let rendering = rendering(of: element, in: dataSet)
        writer.beginObject()
        let creator = creator(of: element.tag, in: dataSet)
        writer.key("Name")
        writer.string(name(of: element.tag, creator: creator))
        if let creator {
            writer.key("PrivateCreator")
            writer.string(creator)
        }
        writer.key("Type")
        writer.string(rendering.type)
        writer.key("Value")
        switch rendering {
        case .string(let text): writer.string(text)
        case .sequence(let items):
            writer.beginArray()
            for item in items { write(item, to: &writer, isTopLevel: false) }
            writer.endArray()
        case .null, .tooLong: writer.null()
        }
        writer.endObject()
    }

    private func writeSimple(_ rendering: Rendering, to writer: inout JSONWriter) {
        switch rendering {
        case .string(let text): writer.string(text)
        case .sequence(let items):
            writer.beginArray()
            for item in items { write(item, to: &writer, isTopLevel: false) }
            writer.endArray()
        case .null, .tooLong: writer.null()
        }
    }

    /// The private creator of a private data element, from the data set that holds it.
    func creator(of tag: DICOMTag, in dataSet: DataSet) -> String? {
        guard let creatorTag = tag.privateCreatorTag else { return nil }
        return dataSet[creatorTag]?.string(in: dataSet.characterSet)
    }

    func name(of tag: DICOMTag, creator: String?) -> String {
        if tag.isPrivateCreator { return "PrivateCreator" }
        // Orthanc names the file meta group's length by its keyword and every other group length generically.
        if tag.isGroupLength && tag.group != 0x0002 { return "GenericGroupLength" }
        if tag.isPrivate {
            guard let creator else { return Self.unknownName }
            return PrivateTagNameCache.shared.name(of: tag, creator: creator) {
                guard let entry = DataDictionary.privateEntry(for: tag, creator: creator) else {
                    return Self.unknownName
                }
                return Self.camelCase(entry.name)
            }
        }
        guard let entry = DataDictionary.entry(for: tag), !entry.keyword.isEmpty else { return Self.unknownName }
        return entry.isRetired ? "RETIRED_" + entry.keyword : entry.keyword
    }

    /// A dictionary name as one word: each run of letters and digits, its first letter capitalised.
    static func camelCase(_ name: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        var startsWord = true
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                result.append(startsWord ? byte - 0x20 : byte)
                startsWord = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                result.append(byte)
                startsWord = false
            default:
                startsWord = true
            }
        }
        return result.isEmpty ? unknownName : String(decoding: result, as: UTF8.self)
    }

    func rendering(of element: DataElement, in dataSet: DataSet) -> Rendering {
        switch element.value {
        case .sequence(let items): return .sequence(items)
        case .fragments: return .null
        case .bytes(let buffer):
            if let maximumStringLength, buffer.readableBytes > maximumStringLength, element.vr != .SQ {
                switch element.vr {
                case .OB, .OD, .OF, .OL, .OV, .OW, .UN: return .null
                default: return .tooLong
                }
            }
            switch element.vr {
            case .OB, .OD, .OF, .OL, .OV, .OW, .UN, .SQ: return .null
            case .US: return .string(joined(element.uint16s))
            case .SS: return .string(joined(element.int16s))
            case .UL: return .string(joined(element.uint32s))
            case .SL: return .string(joined(element.int32s))
            case .UV: return .string(joined(element.uint64s))
            case .SV: return .string(joined(element.int64s))
            case .FL:
                return .string((element.float32s ?? []).map { Self.format17g(Double($0)) }.joined(separator: "\\"))
            case .FD: return .string((element.float64s ?? []).map(Self.format17g).joined(separator: "\\"))
            case .AT: return .string(element.tags?.first?.orthancKey ?? "")
            default: return .string(element.string(in: dataSet.characterSet) ?? "")
            }
        }
    }

    private func joined<T: BinaryInteger>(_ numbers: [T]?) -> String {
        (numbers ?? []).map { String($0) }.joined(separator: "\\")
    }

    /// A number printed as C's `%.17g` does, the form Orthanc gives to FL and FD values.
    static func format17g(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, "%.17g", arguments) }
        }
        guard count > 0 else { return "" }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Array {
    /// Whether the elements are already in the order `areInIncreasingOrder` gives (most data sets are).
    fileprivate func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        indices.dropFirst().allSatisfy { !areInIncreasingOrder(self[$0], self[$0 - 1]) }
    }
}
