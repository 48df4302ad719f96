package import NIOCore

/// A DIMSE command set: the group 0000 elements of a message (PS3.7 §6.3, §9.3, §10.3), always Implicit VR Little
/// Endian.
///
/// Values are kept by tag as raw bytes with typed accessors; unknown elements are kept and written back. Encoding
/// computes the Command Group Length (0000,0000).
package struct CommandSet: Sendable, Equatable {
    /// Values by element number of group 0000, without the group length.
    package private(set) var elements: [UInt16: [UInt8]] = [:]

    package init() {}

    // MARK: - Element numbers (PS3.7 Annex E)

    package static let affectedSOPClassUID: UInt16 = 0x0002
    package static let requestedSOPClassUID: UInt16 = 0x0003
    package static let commandFieldElement: UInt16 = 0x0100
    package static let messageIDElement: UInt16 = 0x0110
    package static let messageIDBeingRespondedTo: UInt16 = 0x0120
    package static let moveDestinationElement: UInt16 = 0x0600
    package static let priorityElement: UInt16 = 0x0700
    package static let commandDataSetType: UInt16 = 0x0800
    package static let statusElement: UInt16 = 0x0900
    package static let offendingElement: UInt16 = 0x0901
    package static let errorCommentElement: UInt16 = 0x0902
    package static let affectedSOPInstanceUID: UInt16 = 0x1000
    package static let requestedSOPInstanceUID: UInt16 = 0x1001
    package static let eventTypeID: UInt16 = 0x1002
    package static let actionTypeID: UInt16 = 0x1008
    package static let remainingSubOperations: UInt16 = 0x1020
    package static let completedSubOperations: UInt16 = 0x1021
    package static let failedSubOperations: UInt16 = 0x1022
    package static let warningSubOperations: UInt16 = 0x1023
    package static let moveOriginatorAETitle: UInt16 = 0x1030
    package static let moveOriginatorMessageID: UInt16 = 0x1031

    /// The value of CommandDataSetType meaning "no data set follows".
    package static let noDataSet: UInt16 = 0x0101

    // MARK: - Typed access

    package func uint16(_ element: UInt16) -> UInt16? {
        guard let bytes = elements[element], bytes.count == 2 else { return nil }
        return UInt16(bytes[0]) | UInt16(bytes[1]) << 8
    }

    package mutating func setUInt16(_ element: UInt16, _ value: UInt16) {
        elements[element] = [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
    }

    /// A UI, AE or LO value without its padding.
    package func string(_ element: UInt16) -> String? {
        guard var bytes = elements[element] else { return nil }
        while let last = bytes.last, last == 0 || last == 0x20 { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 { start += 1 }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// Sets a string value, padded to even length with NUL (UI) or space (AE, LO, ST).
    package mutating func setString(_ element: UInt16, _ value: String, padding: UInt8 = 0) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(padding) }
        elements[element] = bytes
    }

    package mutating func remove(_ element: UInt16) { elements[element] = nil }

    package var commandField: CommandField? { uint16(Self.commandFieldElement).map(CommandField.init(rawValue:)) }
    package var messageID: UInt16? { uint16(Self.messageIDElement) }
    package var respondedMessageID: UInt16? { uint16(Self.messageIDBeingRespondedTo) }
    package var status: UInt16? { uint16(Self.statusElement) }
    /// Whether a data set follows the command.
    package var hasDataSet: Bool { (uint16(Self.commandDataSetType) ?? Self.noDataSet) != Self.noDataSet }
    package var affectedSOPClass: String? { string(Self.affectedSOPClassUID) }
    package var affectedSOPInstance: String? { string(Self.affectedSOPInstanceUID) }
    package var moveDestination: String? { string(Self.moveDestinationElement) }

    // MARK: - Building messages

    /// A request: command field, message ID, affected SOP class, whether a data set follows.
    package static func request(
        _ field: CommandField, messageID: UInt16, sopClass: String, hasDataSet: Bool
    ) -> CommandSet {
        var command = CommandSet()
        command.setString(affectedSOPClassUID, sopClass)
        command.setUInt16(commandFieldElement, field.rawValue)
        command.setUInt16(messageIDElement, messageID)
        command.setUInt16(commandDataSetType, hasDataSet ? 0x0000 : noDataSet)
        if field != .cEchoRequest { command.setUInt16(priorityElement, 0) }
        return command
    }

    /// The response to `request` with `status`; the affected SOP class and instance are echoed.
    package static func response(
        to request: CommandSet, field: CommandField, status: UInt16, hasDataSet: Bool = false
    ) -> CommandSet {
        var command = CommandSet()
        if let sopClass = request.affectedSOPClass ?? request.string(requestedSOPClassUID) {
            command.setString(affectedSOPClassUID, sopClass)
        }
        command.setUInt16(commandFieldElement, field.rawValue)
        command.setUInt16(messageIDBeingRespondedTo, request.messageID ?? 0)
        command.setUInt16(commandDataSetType, hasDataSet ? 0x0000 : noDataSet)
        command.setUInt16(statusElement, status)
        if let instance = request.affectedSOPInstance { command.setString(affectedSOPInstanceUID, instance) }
        return command
    }

    // MARK: - Encoding

    /// The command set in Implicit VR Little Endian, Command Group Length first.
    package func encoded() -> ByteBuffer {
        var body = ByteBufferAllocator().buffer(capacity: 256)
        for element in elements.keys.sorted() {
            let value = elements[element]!
            body.writeMultipleIntegers(
                UInt16(0x0000), element, UInt32(value.count), endianness: .little)
            body.writeBytes(value)
        }
        var buffer = ByteBufferAllocator().buffer(capacity: body.readableBytes + 12)
        buffer.writeMultipleIntegers(
            UInt16(0x0000), UInt16(0x0000), UInt32(4), UInt32(body.readableBytes), endianness: .little)
        buffer.writeBuffer(&body)
        return buffer
    }

    /// Why a command set cannot be read.
    package struct DecodingError: Error, Sendable, Equatable {
        package let message: String
    }

    /// The largest command set accepted: real ones are a few hundred bytes.
    package static let maximumLength = 64 * 1024

    /// Reads a command set.
    ///
    /// - Throws: ``DecodingError`` for an element outside group 0000, a length beyond the bytes, or no command
    ///   field.
    package init(decoding bytes: ByteBuffer) throws(DecodingError) {
        var buffer = bytes
        guard buffer.readableBytes <= Self.maximumLength else { throw DecodingError(message: "command too large") }
        while buffer.readableBytes > 0 {
            guard
                let (group, element, length) = buffer.readMultipleIntegers(
                    endianness: .little, as: (UInt16, UInt16, UInt32).self)
            else { throw DecodingError(message: "truncated command element") }
            guard group == 0x0000 else { throw DecodingError(message: "a command element outside group 0000") }
            guard length <= UInt32(buffer.readableBytes) else {
                throw DecodingError(message: "a command element longer than the command")
            }
            let value = buffer.readBytes(length: Int(length))!
            if element != 0x0000 { elements[element] = value }
        }
        guard commandField != nil else { throw DecodingError(message: "no command field") }
    }
}
