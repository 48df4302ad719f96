/// A data set: data elements in encoding order (PS3.5 §7).
///
/// Elements are kept in the order they were read so that an unchanged data set encodes to the same bytes.
/// Lookups use binary search when that order is ascending, as PS3.5 §7.1 requires, and fall back to a scan
/// for the rare files that break the rule.
public struct DataSet: Sendable {
    /// The elements, in encoding order.
    public private(set) var elements: [DataElement]
    /// The character set that decodes this data set's strings: its own Specific Character Set (0008,0005),
    /// or the one inherited from the enclosing data set for sequence items (PS3.5 §6.1.2.5.1).
    public var characterSet: SpecificCharacterSet
    /// True when this data set, as an item, was encoded with undefined length (PS3.5 §7.5.1).
    public var hasUndefinedLength: Bool
    /// True when ``elements`` are in ascending tag order.
    private var isSorted: Bool

    /// Creates a data set from elements in any order; they are sorted by tag.
    public init(
        _ elements: [DataElement] = [], characterSet: SpecificCharacterSet = .default,
        hasUndefinedLength: Bool = true
    ) {
        self.elements = elements.sorted { $0.tag < $1.tag }
        self.characterSet = characterSet
        self.hasUndefinedLength = hasUndefinedLength
        self.isSorted = true
    }

    /// Creates a data set keeping the given order, as the parser reads it; `isSorted` says whether the tags
    /// ascend strictly, which the parser saw while reading them.
    init(
        parsed elements: [DataElement], isSorted: Bool, characterSet: SpecificCharacterSet, hasUndefinedLength: Bool
    ) {
        self.elements = elements
        self.characterSet = characterSet
        self.hasUndefinedLength = hasUndefinedLength
        self.isSorted = isSorted
    }

    /// The number of elements.
    public var count: Int { elements.count }

    /// True when the data set has no element.
    public var isEmpty: Bool { elements.isEmpty }

    /// The element with a tag, if present. Setting `nil` removes it; setting an element inserts it in tag
    /// order or replaces the one with the same tag.
    public subscript(tag: DICOMTag) -> DataElement? {
        get { index(of: tag).map { elements[$0] } }
        set {
            if let newValue {
                precondition(newValue.tag == tag, "the element's tag must match the subscript")
                set(newValue)
            } else {
                remove(tag)
            }
        }
    }

    /// True when an element with the tag is present.
    public func contains(_ tag: DICOMTag) -> Bool { index(of: tag) != nil }

    /// Inserts an element in tag order, or replaces the element with the same tag.
    public mutating func set(_ element: DataElement) {
        if let index = index(of: element.tag) {
            elements[index] = element
        } else if isSorted {
            elements.insert(element, at: insertionIndex(of: element.tag))
        } else {
            elements.append(element)
        }
        if element.tag == .specificCharacterSet {
            characterSet = SpecificCharacterSet(element.strings(in: .default))
        }
    }

    /// Removes the element with a tag, returning it.
    @discardableResult
    public mutating func remove(_ tag: DICOMTag) -> DataElement? {
        guard let index = index(of: tag) else { return nil }
        return elements.remove(at: index)
    }

    /// Removes the elements that match a predicate, e.g. every private tag.
    public mutating func removeAll(where shouldRemove: (DataElement) throws -> Bool) rethrows {
        try elements.removeAll(where: shouldRemove)
    }

    private func index(of tag: DICOMTag) -> Int? {
        guard isSorted else { return elements.firstIndex { $0.tag == tag } }
        let index = insertionIndex(of: tag)
        return index < elements.count && elements[index].tag == tag ? index : nil
    }

    /// The first index whose tag is not below `tag`, by binary search.
    private func insertionIndex(of tag: DICOMTag) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if elements[middle].tag < tag { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension DataSet: Sequence {
    public func makeIterator() -> IndexingIterator<[DataElement]> { elements.makeIterator() }
}
