/// The lines of a generated dictionary table as bytes, read field by field only when a lookup needs them.
///
/// Parsing the whole text into strings and hash tables on first use cost more than 250 million instructions
/// (about 60 ms), paid by the first parse of a process, and the parser needs little of it: the VRs of a few tags.
/// This keeps the text's bytes and where each line starts; an entry is read from its line when it is looked up.
struct DictionaryLines: Sendable {
    /// The bytes of the table, lines separated by `\n`, fields by `\t`.
    let bytes: [UInt8]
    /// Where each line starts in ``bytes``; a line ends at the next line's start, less its newline.
    let starts: [Int32]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var starts: [Int32] = []
        starts.reserveCapacity(bytes.count / 48)
        bytes.withUnsafeBufferPointer { buffer in
            var lineStart = 0
            for index in buffer.indices where buffer[index] == UInt8(ascii: "\n") {
                if index > lineStart { starts.append(Int32(lineStart)) }
                lineStart = index + 1
            }
            if lineStart < buffer.count { starts.append(Int32(lineStart)) }
        }
        self.bytes = bytes
        self.starts = starts
    }

    /// The number of lines.
    var count: Int { starts.count }

    /// The byte range of line `line`, without its newline.
    func range(ofLine line: Int) -> Range<Int> {
        let start = Int(starts[line])
        var end = line + 1 < starts.count ? Int(starts[line + 1]) - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        return start..<end
    }

    /// The byte ranges of the fields of line `line`; a malformed generated table is a programmer error.
    func fieldRanges(ofLine line: Int, count fieldCount: Int) -> [Range<Int>] {
        let line = range(ofLine: line)
        var fields: [Range<Int>] = []
        fields.reserveCapacity(fieldCount)
        var fieldStart = line.lowerBound
        for index in line where bytes[index] == UInt8(ascii: "\t") {
            fields.append(fieldStart..<index)
            fieldStart = index + 1
        }
        fields.append(fieldStart..<line.upperBound)
        precondition(fields.count == fieldCount, "dictionary line has \(fields.count) fields, not \(fieldCount)")
        return fields
    }

    /// The text of one field.
    func string(_ field: Range<Int>) -> String {
        String(decoding: bytes[field], as: UTF8.self)
    }

    /// The value representations of a field such as `US/SS`; empty for the items and delimiters.
    func vrs(_ field: Range<Int>) -> [VR] {
        var vrs: [VR] = []
        var index = field.lowerBound
        while index + 1 < field.upperBound {
            guard let vr = VR(byte0: bytes[index], byte1: bytes[index + 1]) else {
                preconditionFailure("unknown VR in dictionary: \(string(field))")
            }
            vrs.append(vr)
            index += 3
        }
        return vrs
    }

    /// An 8-digit tag pattern in which `x` stands for any hexadecimal digit: the bits that must match, and their
    /// value.
    func pattern(_ field: Range<Int>) -> (mask: UInt32, value: UInt32) {
        precondition(field.count == 8, "bad tag pattern in dictionary: \(string(field))")
        var mask: UInt32 = 0
        var value: UInt32 = 0
        for index in field {
            mask <<= 4
            value <<= 4
            let byte = bytes[index]
            if byte == UInt8(ascii: "x") { continue }
            guard let nibble = hexNibble(byte) else {
                preconditionFailure("bad tag pattern in dictionary: \(string(field))")
            }
            mask |= 0xF
            value |= UInt32(nibble)
        }
        return (mask, value)
    }

    /// True when a field holds exactly `text`'s bytes.
    func field(_ field: Range<Int>, equals text: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes[field].elementsEqual(text)
    }

    /// Compares a field's bytes with `text`'s: negative, zero or positive (see ``order(_:_:)``).
    func compare(_ field: Range<Int>, with text: UnsafeBufferPointer<UInt8>) -> Int {
        Self.order(bytes[field], text)
    }

    /// Orders two byte strings as unsigned bytes, the shorter first on a common prefix: negative when `left`
    /// comes first, zero when they are equal, positive otherwise.
    static func order(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> Int {
        var rightBytes = right.makeIterator()
        for leftByte in left {
            guard let rightByte = rightBytes.next() else { return 1 }
            if leftByte != rightByte { return leftByte < rightByte ? -1 : 1 }
        }
        return rightBytes.next() == nil ? 0 : -1
    }
}
