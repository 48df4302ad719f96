import NIOCore

// MARK: - Strings

extension DataElement {
    /// The whole value as text, decoded with a character set, with trailing padding (spaces and NULs)
    /// removed; `nil` for sequences, fragments and non-string VRs.
    ///
    /// Only SH, LO, ST, LT, UC, UT and PN use the Specific Character Set; other string VRs use the default
    /// repertoire (PS3.5 §6.1.2.3).
    public func string(in characterSet: SpecificCharacterSet = .default) -> String? {
        guard vr.isString, let buffer = bytes else { return nil }
        let set = vr.usesSpecificCharacterSet ? characterSet : .default
        return set.decode(trimmingTrailingPadding(buffer.readableBytesView), vr: vr)
    }

    /// The values of a multi-valued string, split at backslashes (PS3.5 §6.4), each without trailing
    /// padding; LT, ST, UT and UR are single-valued and never split. Empty for an empty value.
    public func strings(in characterSet: SpecificCharacterSet = .default) -> [String] {
        guard let text = string(in: characterSet), !text.isEmpty else { return [] }
        if vr.isSingleValuedText { return [text] }
        return text.split(separator: "\\", omittingEmptySubsequences: false).map { value in
            var value = value
            while let last = value.last, last == " " || last == "\0" { value.removeLast() }
            return String(value)
        }
    }

    private func trimmingTrailingPadding<C: BidirectionalCollection>(_ bytes: C) -> C.SubSequence
    where C.Element == UInt8 {
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let previous = bytes.index(before: end)
            guard bytes[previous] == 0x20 || bytes[previous] == 0x00 else { break }
            end = previous
        }
        return bytes[bytes.startIndex..<end]
    }
}

// MARK: - Binary numbers

extension DataElement {
    /// The value as unsigned 16-bit numbers (US, OW), or `nil` when the VR is not one of them.
    public var uint16s: [UInt16]? { vr == .US || vr == .OW ? integers(UInt16.self) : nil }
    /// The value as signed 16-bit numbers (SS).
    public var int16s: [Int16]? { vr == .SS ? integers(Int16.self) : nil }
    /// The value as unsigned 32-bit numbers (UL, OL).
    public var uint32s: [UInt32]? { vr == .UL || vr == .OL ? integers(UInt32.self) : nil }
    /// The value as signed 32-bit numbers (SL).
    public var int32s: [Int32]? { vr == .SL ? integers(Int32.self) : nil }
    /// The value as unsigned 64-bit numbers (UV, OV).
    public var uint64s: [UInt64]? { vr == .UV || vr == .OV ? integers(UInt64.self) : nil }
    /// The value as signed 64-bit numbers (SV).
    public var int64s: [Int64]? { vr == .SV ? integers(Int64.self) : nil }
    /// The value as 32-bit floats (FL, OF).
    public var float32s: [Float]? {
        vr == .FL || vr == .OF ? integers(UInt32.self)?.map { Float(bitPattern: $0) } : nil
    }
    /// The value as 64-bit floats (FD, OD).
    public var float64s: [Double]? {
        vr == .FD || vr == .OD ? integers(UInt64.self)?.map { Double(bitPattern: $0) } : nil
    }
    /// The value as attribute tags (AT): pairs of 16-bit group and element numbers.
    public var tags: [DICOMTag]? {
        guard vr == .AT, let numbers = integers(UInt16.self) else { return nil }
        return stride(from: 0, to: numbers.count - 1, by: 2).map { DICOMTag(numbers[$0], numbers[$0 + 1]) }
    }

    /// The numeric value of any binary-number or numeric-string VR as `Double`s, for rendering and sorting.
    public var numbers: [Double]? {
        switch vr {
        case .US, .OW: return uint16s?.map(Double.init)
        case .SS: return int16s?.map(Double.init)
        case .UL, .OL: return uint32s?.map(Double.init)
        case .SL: return int32s?.map(Double.init)
        case .UV, .OV: return uint64s?.map(Double.init)
        case .SV: return int64s?.map(Double.init)
        case .FL, .OF: return float32s?.map(Double.init)
        case .FD, .OD: return float64s
        case .DS, .IS:
            return strings().compactMap { Double($0.trimmingSpaces) }
        default: return nil
        }
    }

    /// Decodes the value as fixed-size integers in the element's byte order; a trailing partial number is
    /// ignored, as the value length should be a multiple of the size.
    private func integers<T: FixedWidthInteger>(_: T.Type) -> [T]? {
        guard let buffer = bytes else { return nil }
        let size = MemoryLayout<T>.size
        let count = buffer.readableBytes / size
        let endianness: Endianness = isBigEndian ? .big : .little
        var result: [T] = []
        result.reserveCapacity(count)
        var offset = buffer.readerIndex
        for _ in 0..<count {
            guard let value = buffer.getInteger(at: offset, endianness: endianness, as: T.self) else { break }
            result.append(value)
            offset += size
        }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: Substring {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
