extension JSONValue {
    /// The document as text, indented by three spaces with `" : "` between key and value, as Orthanc writes.
    package func serialized(pretty: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, depth: 0, pretty: pretty)
        if pretty { output.append(0x0A) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The document as UTF-8 bytes.
    package func serializedBytes(pretty: Bool = true) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, depth: 0, pretty: pretty)
        if pretty { output.append(0x0A) }
        return output
    }

    private func write(to output: inout [UInt8], depth: Int, pretty: Bool) {
        switch self {
        case .null: output.append(contentsOf: Array("null".utf8))
        case .bool(let value): output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .int(let value): output.append(contentsOf: Array(String(value).utf8))
        case .double(let value):
            if value.isFinite {
                if value.rounded() == value && abs(value) < 1e15 {
                    output.append(contentsOf: Array(String(Int64(value)).utf8))
                } else {
                    output.append(contentsOf: Array(String(value).utf8))
                }
            } else {
                output.append(contentsOf: Array("null".utf8))
            }
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            if elements.isEmpty {
                output.append(contentsOf: Array("[]".utf8))
                return
            }
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&output, depth: depth + 1) }
                element.write(to: &output, depth: depth + 1, pretty: pretty)
            }
            if pretty { Self.newline(&output, depth: depth) }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                output.append(contentsOf: Array("{}".utf8))
                return
            }
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&output, depth: depth + 1) }
                Self.writeString(key, to: &output)
                output.append(contentsOf: pretty ? Array(" : ".utf8) : [UInt8(ascii: ":")])
                members[key]?.write(to: &output, depth: depth + 1, pretty: pretty)
            }
            if pretty { Self.newline(&output, depth: depth) }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ output: inout [UInt8], depth: Int) {
        output.append(0x0A)
        for _ in 0..<(depth * 3) { output.append(0x20) }
    }

    private static func writeString(_ value: String, to output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
