/// The dictionary of private data elements, by private creator, indexed for lookup.
///
/// Private elements are named by their creator and the low byte of the element: (gggg,xxee) is the same
/// element whichever block xx the creator reserved (PS3.5 §7.8.1). A few vendors publish elements outside that
/// scheme, under a full tag or with `x` digits elsewhere; those are matched exactly, or by a short linear scan of
/// the creator's patterns.
///
/// Built on first use without parsing the entries: each line's creator and pattern are located and sorted, and
/// a lookup is a binary search that reads the one line it finds.
struct PrivateDictionaryTable: Sendable {
    /// How a line's pattern matches tags, in the order lookups try them.
    private enum Kind: UInt8, Comparable {
        /// A full tag.
        case exact
        /// (gggg,xxee): the block digits are free.
        case block
        /// Any other pattern of `x` digits.
        case masked

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One line, located: its creator's bytes, its pattern, and where it is.
    private struct Record: Sendable {
        let creator: Range<Int32>
        let kind: Kind
        let mask: UInt32
        let value: UInt32
        let line: Int32
    }

    /// The table of the generated private dictionary, indexed on first use.
    static let shared = PrivateDictionaryTable(text: DataDictionary.privateElementsText)

    /// One line per element: creator, pattern, VRs, VM, `R` if retired, name.
    private let lines: DictionaryLines
    /// Every line, by creator (bytewise), kind and pattern value.
    private let records: [Record]

    /// The number of entries of the dictionary.
    var count: Int { records.count }

    /// Indexes the generated table: one line per element: creator, pattern, VRs, VM, `R` if retired, name.
    init(text: String) {
        let lines = DictionaryLines(text)
        var records: [Record] = []
        records.reserveCapacity(lines.count)
        for line in 0..<lines.count {
            let range = lines.range(ofLine: line)
            guard let tab = lines.bytes[range].firstIndex(of: UInt8(ascii: "\t")), tab + 9 <= range.upperBound else {
                preconditionFailure("bad line in the private dictionary")
            }
            let (mask, value) = lines.pattern(tab + 1..<tab + 9)
            let kind: Kind =
                switch mask {
                case 0xFFFF_FFFF: .exact
                case 0xFFFF_00FF: .block
                default: .masked
                }
            records.append(
                Record(
                    creator: Int32(range.lowerBound)..<Int32(tab), kind: kind, mask: mask, value: value,
                    line: Int32(line)))
        }
        let bytes = lines.bytes
        records.sort { left, right in
            let order = DictionaryLines.order(bytes[Self.range(left.creator)], bytes[Self.range(right.creator)])
            if order != 0 { return order < 0 }
            if left.kind != right.kind { return left.kind < right.kind }
            if left.value != right.value { return left.value < right.value }
            return left.line < right.line
        }
        self.lines = lines
        self.records = records
    }

    /// The entry of a private element, under the tag asked for.
    ///
    /// - Parameters:
    ///   - tag: the element's tag.
    ///   - creator: the value of the private creator element that reserved the tag's block, without padding.
    func entry(for tag: DICOMTag, creator: String) -> DictionaryEntry? {
        var creator = creator
        return creator.withUTF8 { creatorBytes -> DictionaryEntry? in
            var index = lowerBound(creator: creatorBytes, kind: .exact, value: tag.rawValue)
            if let record = self.record(at: index, creator: creatorBytes, kind: .exact), record.value == tag.rawValue {
                return self.entry(record, tag: tag)
            }
            if tag.element >= 0x1000 {
                let blockValue = tag.rawValue & 0xFFFF_00FF
                index = lowerBound(creator: creatorBytes, kind: .block, value: blockValue)
                if let record = self.record(at: index, creator: creatorBytes, kind: .block), record.value == blockValue
                {
                    return self.entry(record, tag: tag)
                }
            }
            index = lowerBound(creator: creatorBytes, kind: .masked, value: 0)
            while let record = self.record(at: index, creator: creatorBytes, kind: .masked) {
                if tag.rawValue & record.mask == record.value { return self.entry(record, tag: tag) }
                index += 1
            }
            return nil
        }
    }

    /// The record at `index` when it has this creator and kind.
    private func record(at index: Int, creator: UnsafeBufferPointer<UInt8>, kind: Kind) -> Record? {
        guard index < records.count else { return nil }
        let record = records[index]
        guard record.kind == kind, lines.field(Self.range(record.creator), equals: creator) else { return nil }
        return record
    }

    /// The first record not ordered before (creator, kind, value).
    private func lowerBound(creator: UnsafeBufferPointer<UInt8>, kind: Kind, value: UInt32) -> Int {
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            let record = records[middle]
            let order = lines.compare(Self.range(record.creator), with: creator)
            let isBefore =
                order != 0 ? order < 0 : record.kind != kind ? record.kind < kind : record.value < value
            if isBefore { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func entry(_ record: Record, tag: DICOMTag) -> DictionaryEntry {
        let fields = lines.fieldRanges(ofLine: Int(record.line), count: 6)
        return DictionaryEntry(
            tag: tag, keyword: "", name: lines.string(fields[5]), vrs: lines.vrs(fields[2]),
            multiplicity: lines.string(fields[3]), isRetired: lines.string(fields[4]) == "R"
        )
    }

    private static func range(_ range: Range<Int32>) -> Range<Int> { Int(range.lowerBound)..<Int(range.upperBound) }
}
