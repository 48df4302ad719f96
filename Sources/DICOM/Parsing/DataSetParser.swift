import NIOCore

/// Reads data elements from a buffer in one encoding (PS3.5 §7): VR explicit or implicit, little or big
/// endian.
///
/// The parser walks one buffer by absolute index; values are slices of it (no copy). Every length is checked
/// against the bytes that remain in its container before it is used, so malformed input throws a
/// ``DICOMError`` naming the byte offset and never reads out of bounds; nesting is bounded by
/// ``ParseOptions/maximumNestingDepth``.
struct DataSetParser {
    /// True for explicit VR encodings.
    let explicitVR: Bool
    /// True for big-endian encodings.
    let bigEndian: Bool
    /// Limits and the stop tag.
    let options: ParseOptions
    /// Subtracted from buffer indexes to report offsets relative to the start of the input.
    let originIndex: Int
    /// When set, the top-level data set ends at the first element of another group (the file meta group).
    var onlyGroup: UInt16?

    init(explicitVR: Bool, bigEndian: Bool, options: ParseOptions, originIndex: Int) {
        self.explicitVR = explicitVR
        self.bigEndian = bigEndian
        self.options = options
        self.originIndex = originIndex
    }

    // MARK: - Data sets

    /// Reads a top-level data set from the reader index to the end of the buffer, or up to the stop tag, and
    /// moves the reader index past what it read.
    ///
    /// Element headers are read from the buffer's raw bytes: a `ByteBuffer` accessor per header field costs an
    /// exclusivity check of its storage each time, which was a fifth of the parse.
    func parseDataSet(_ buffer: inout ByteBuffer, characterSet: SpecificCharacterSet) throws -> DataSet {
        let source = buffer
        let (dataSet, end) = try source.withUnsafeReadableBytes { bytes in
            var cursor = ByteCursor(source: source, bytes: bytes)
            let dataSet = try parseElements(
                &cursor, end: nil, limit: source.writerIndex, depth: 0, inherited: characterSet, isItem: false,
                undefinedItem: false)
            return (dataSet, cursor.position)
        }
        buffer.moveReaderIndex(to: end)
        return dataSet
    }

    /// Reads elements until `end` (a defined length) or an item delimiter (`undefinedItem`); without either,
    /// until `limit`, the end of the enclosing container, which bounds every length read on the way.
    private func parseElements(
        _ buffer: inout ByteCursor, end: Int?, limit containerLimit: Int, depth: Int,
        inherited: SpecificCharacterSet, isItem: Bool, undefinedItem: Bool
    ) throws -> DataSet {
        var elements: [DataElement] = []
        var isSorted = true
        var previousTag: DICOMTag?
        var characterSet = inherited
        var privateCreators: [DICOMTag: String] = [:]
        let limit = end ?? containerLimit
        while true {
            let start = buffer.position
            if start >= limit {
                if undefinedItem {
                    throw error(.truncated, "the item has no Item Delimitation Item", at: start)
                }
                break
            }
            guard limit - start >= 4, let group = buffer.uint16(at: start, bigEndian: bigEndian),
                let elementNumber = buffer.uint16(at: start + 2, bigEndian: bigEndian)
            else {
                throw error(.truncated, "the input ends inside an element header", at: start)
            }
            let tag = DICOMTag(group, elementNumber)
            if tag == .itemDelimitationItem && undefinedItem {
                _ = try readDelimiterLength(&buffer, limit: limit)
                break
            }
            if !isItem, let stop = options.stopBefore, tag >= stop { break }
            if !isItem, let onlyGroup, group != onlyGroup { break }
            let element = try parseElement(
                &buffer, tag: tag, limit: limit, depth: depth, characterSet: characterSet,
                privateCreators: privateCreators, elementsSoFar: elements)
            if tag == .specificCharacterSet {
                characterSet = SpecificCharacterSet(element.strings(in: .default))
            } else if tag.isPrivateCreator {
                privateCreators[tag] = element.string(in: characterSet)
            }
            if let previousTag, previousTag >= tag { isSorted = false }
            previousTag = tag
            elements.append(element)
        }
        return DataSet(
            parsed: elements, isSorted: isSorted, characterSet: characterSet, hasUndefinedLength: undefinedItem)
    }

    // MARK: - Elements

    private func parseElement(
        _ buffer: inout ByteCursor, tag: DICOMTag, limit: Int, depth: Int, characterSet: SpecificCharacterSet,
        privateCreators: [DICOMTag: String], elementsSoFar: [DataElement]
    ) throws -> DataElement {
        let start = buffer.position
        if tag.isDelimiter {
            throw error(.invalidTag, "an item or delimiter tag where a data element was expected", at: start, tag)
        }
        var vr: VR
        let length: UInt32
        var headerLength: Int
        if explicitVR {
            guard limit - start >= 8 else { throw error(.truncated, "the element header is cut", at: start, tag) }
            let byte0 = buffer.byte(at: start + 4) ?? 0
            let byte1 = buffer.byte(at: start + 5) ?? 0
            guard let explicit = VR(byte0: byte0, byte1: byte1) else {
                throw error(.invalidVR, "the VR bytes name no value representation", at: start + 4, tag)
            }
            vr = explicit
            if vr.hasLongExplicitLength {
                guard limit - start >= 12 else { throw error(.truncated, "the element header is cut", at: start, tag) }
                length = buffer.uint32(at: start + 8, bigEndian: bigEndian) ?? 0
                headerLength = 12
            } else {
                length = UInt32(buffer.uint16(at: start + 6, bigEndian: bigEndian) ?? 0)
                headerLength = 8
            }
        } else {
            guard limit - start >= 8 else { throw error(.truncated, "the element header is cut", at: start, tag) }
            length = buffer.uint32(at: start + 4, bigEndian: bigEndian) ?? 0
            headerLength = 8
            vr = implicitVR(for: tag, privateCreators: privateCreators, elementsSoFar: elementsSoFar)
        }
        buffer.position = start + headerLength
        let valueStart = buffer.position

        if length == 0xFFFF_FFFF {
            if tag == .pixelData || tag == .floatPixelData || tag == .doubleFloatPixelData,
                vr == .OB || vr == .OW || vr == .UN || (!explicitVR && vr != .SQ)
            {
                let fragments = try parseFragments(&buffer, limit: limit, tag: tag)
                return DataElement(
                    tag: tag, vr: explicitVR ? vr : .OB, value: .fragments(fragments), isBigEndian: bigEndian,
                    hasUndefinedLength: true, valueOffset: valueStart - originIndex)
            }
            guard vr == .SQ || vr == .UN || !explicitVR else {
                throw error(.invalidLength, "undefined length on a \(vr) element", at: start, tag)
            }
            // An undefined-length UN holds a sequence encoded in Implicit VR Little Endian (PS3.5 §6.2.2).
            let itemParser =
                vr == .UN && explicitVR
                ? DataSetParser(explicitVR: false, bigEndian: false, options: options, originIndex: originIndex)
                : self
            let items = try itemParser.parseItems(
                &buffer, end: nil, limit: limit, depth: depth + 1, characterSet: characterSet, tag: tag)
            return DataElement(
                tag: tag, vr: vr == .UN && !explicitVR ? .SQ : vr, value: .sequence(items), isBigEndian: bigEndian,
                hasUndefinedLength: true, valueOffset: valueStart - originIndex)
        }

        let valueLength = Int(length)
        guard valueLength <= limit - valueStart else {
            throw error(
                .invalidLength, "the value length \(valueLength) runs past the end of its container",
                at: start, tag)
        }
        if vr == .SQ {
            let items = try parseItems(
                &buffer, end: valueStart + valueLength, limit: valueStart + valueLength, depth: depth + 1,
                characterSet: characterSet, tag: tag)
            return DataElement(
                tag: tag, vr: .SQ, value: .sequence(items), isBigEndian: bigEndian, hasUndefinedLength: false,
                valueOffset: valueStart - originIndex)
        }
        let value = buffer.readSlice(length: valueLength)
        return DataElement(
            tag: tag, vr: vr, value: .bytes(value), isBigEndian: bigEndian, hasUndefinedLength: false,
            valueOffset: valueStart - originIndex)
    }

    /// The VR of an implicit VR element: the dictionary's, with the ambiguous VRs resolved as PS3.5 Annex A.1
    /// and PS3.3 require (OW for "OB or OW"; US or SS by Pixel Representation).
    private func implicitVR(
        for tag: DICOMTag, privateCreators: [DICOMTag: String], elementsSoFar: [DataElement]
    ) -> VR {
        if tag.isPrivate {
            if tag.isPrivateCreator { return .LO }
            let creator = tag.privateCreatorTag.flatMap { privateCreators[$0] }
            return DataDictionary.implicitVR(for: tag, privateCreator: creator)
        }
        guard let choices = DataDictionary.standardVRChoices(for: tag), let first = choices.first else {
            return tag.isGroupLength ? .UL : .UN
        }
        guard choices.count > 1 else { return first }
        if choices.contains(.OW) { return .OW }
        if choices.contains(.US) && choices.contains(.SS) {
            let pixelRepresentation = elementsSoFar.last { $0.tag == DICOMTag(0x0028, 0x0103) }?.uint16s?.first
            return pixelRepresentation == 1 ? .SS : .US
        }
        return first
    }

    // MARK: - Sequences and items

    /// Reads the items of a sequence until `end` (defined length) or a Sequence Delimitation Item.
    private func parseItems(
        _ buffer: inout ByteCursor, end: Int?, limit: Int, depth: Int, characterSet: SpecificCharacterSet,
        tag: DICOMTag
    ) throws -> [DataSet] {
        guard depth <= options.maximumNestingDepth else {
            throw error(
                .nestingTooDeep, "sequences nest deeper than \(options.maximumNestingDepth) levels",
                at: buffer.position, tag)
        }
        var items: [DataSet] = []
        while true {
            let start = buffer.position
            if let end, start >= end { break }
            guard limit - start >= 8,
                let group = buffer.uint16(at: start, bigEndian: bigEndian),
                let element = buffer.uint16(at: start + 2, bigEndian: bigEndian),
                let length = buffer.uint32(at: start + 4, bigEndian: bigEndian)
            else {
                throw error(.truncated, "the sequence is cut before its end", at: start, tag)
            }
            let itemTag = DICOMTag(group, element)
            buffer.position += 8
            if itemTag == .sequenceDelimitationItem {
                if end == nil { break }
                throw error(.invalidTag, "a Sequence Delimitation Item in a sequence of defined length", at: start, tag)
            }
            guard itemTag == .item else {
                throw error(.invalidTag, "\(itemTag) where an Item was expected", at: start, tag)
            }
            if length == 0xFFFF_FFFF {
                items.append(
                    try parseElements(
                        &buffer, end: nil, limit: limit, depth: depth, inherited: characterSet, isItem: true,
                        undefinedItem: true))
            } else {
                let itemEnd = buffer.position + Int(length)
                guard itemEnd <= limit else {
                    throw error(.invalidLength, "the item length runs past the end of its sequence", at: start, tag)
                }
                items.append(
                    try parseElements(
                        &buffer, end: itemEnd, limit: itemEnd, depth: depth, inherited: characterSet, isItem: true,
                        undefinedItem: false))
            }
        }
        return items
    }

    private func readDelimiterLength(_ buffer: inout ByteCursor, limit: Int) throws -> UInt32 {
        let start = buffer.position
        guard limit - start >= 8, let length = buffer.uint32(at: start + 4, bigEndian: bigEndian)
        else {
            throw error(.truncated, "the delimiter is cut", at: start)
        }
        buffer.position += 8
        return length
    }

    // MARK: - Encapsulated pixel data

    /// Reads the items of encapsulated pixel data up to its Sequence Delimitation Item (PS3.5 §A.4).
    private func parseFragments(_ buffer: inout ByteCursor, limit: Int, tag: DICOMTag) throws -> [ByteBuffer] {
        var fragments: [ByteBuffer] = []
        while true {
            let start = buffer.position
            guard limit - start >= 8,
                let group = buffer.uint16(at: start, bigEndian: bigEndian),
                let element = buffer.uint16(at: start + 2, bigEndian: bigEndian),
                let length = buffer.uint32(at: start + 4, bigEndian: bigEndian)
            else {
                throw error(.truncated, "encapsulated pixel data is cut before its end", at: start, tag)
            }
            let itemTag = DICOMTag(group, element)
            buffer.position += 8
            if itemTag == .sequenceDelimitationItem { break }
            guard itemTag == .item else {
                throw error(.invalidTag, "\(itemTag) where a fragment Item was expected", at: start, tag)
            }
            guard length != 0xFFFF_FFFF, Int(length) <= limit - buffer.position else {
                throw error(.invalidLength, "a fragment length runs past the end of the input", at: start, tag)
            }
            fragments.append(buffer.readSlice(length: Int(length)))
        }
        return fragments
    }

    private func error(_ code: DICOMError.Code, _ message: String, at index: Int, _ tag: DICOMTag? = nil) -> DICOMError
    {
        DICOMError(code, message, offset: index - originIndex, tag: tag)
    }
}
