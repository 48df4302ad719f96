package import NIOCore

extension PDU {
    /// Appends the PDU to `buffer` (PS3.8 §9.3), lengths computed from what is written.
    package func write(to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(typeCode, UInt8(0), UInt32(0))
        let lengthIndex = buffer.writerIndex - 4
        let start = buffer.writerIndex
        switch self {
        case .associateRequest(let request):
            Self.writeAssociateHeader(
                version: request.protocolVersion, called: request.calledAETitle, calling: request.callingAETitle,
                to: &buffer)
            Self.writeItem(0x10, to: &buffer) { $0.writeString(request.applicationContext) }
            for context in request.presentationContexts {
                Self.writeItem(0x20, to: &buffer) { item in
                    item.writeMultipleIntegers(context.id, UInt8(0), UInt8(0), UInt8(0))
                    Self.writeItem(0x30, to: &item) { $0.writeString(context.abstractSyntax) }
                    for syntax in context.transferSyntaxes {
                        Self.writeItem(0x40, to: &item) { $0.writeString(syntax) }
                    }
                }
            }
            Self.writeUserInformation(request.userInformation, to: &buffer)
        case .associateAccept(let accept):
            Self.writeAssociateHeader(
                version: accept.protocolVersion, called: accept.calledAETitle, calling: accept.callingAETitle,
                to: &buffer)
            Self.writeItem(0x10, to: &buffer) { $0.writeString(accept.applicationContext) }
            for context in accept.presentationContexts {
                Self.writeItem(0x21, to: &buffer) { item in
                    item.writeMultipleIntegers(context.id, UInt8(0), context.result.rawValue, UInt8(0))
                    Self.writeItem(0x40, to: &item) { $0.writeString(context.transferSyntax) }
                }
            }
            Self.writeUserInformation(accept.userInformation, to: &buffer)
        case .associateReject(let reject):
            buffer.writeMultipleIntegers(UInt8(0), reject.result, reject.source, reject.reason)
        case .data(let values):
            for value in values {
                buffer.writeInteger(UInt32(value.data.readableBytes + 2))
                buffer.writeMultipleIntegers(
                    value.contextID, UInt8((value.isCommand ? 0x01 : 0) | (value.isLast ? 0x02 : 0)))
                buffer.writeImmutableBuffer(value.data)
            }
        case .releaseRequest, .releaseResponse:
            buffer.writeInteger(UInt32(0))
        case .abort(let reason):
            buffer.writeMultipleIntegers(UInt8(0), UInt8(0), reason.source, reason.reason)
        }
        buffer.setInteger(UInt32(buffer.writerIndex - start), at: lengthIndex)
    }

    /// The bytes a PDV item adds to its data in a P-DATA-TF: a 32-bit length, the context ID, the control header.
    package static let valueHeaderLength = 6

    private static func writeAssociateHeader(
        version: UInt16, called: String, calling: String, to buffer: inout ByteBuffer
    ) {
        buffer.writeMultipleIntegers(version, UInt16(0))
        writeAETitle(called, to: &buffer)
        writeAETitle(calling, to: &buffer)
        buffer.writeRepeatingByte(0, count: 32)
    }

    /// An AE title in its 16 bytes, space padded (longer titles are cut: PS3.5 limits AE to 16 characters).
    private static func writeAETitle(_ title: String, to buffer: inout ByteBuffer) {
        let bytes = Array(title.utf8.prefix(16))
        buffer.writeBytes(bytes)
        buffer.writeRepeatingByte(0x20, count: 16 - bytes.count)
    }

    /// An item: type, reserved byte, 16-bit length of what `body` writes, then that.
    private static func writeItem(_ type: UInt8, to buffer: inout ByteBuffer, _ body: (inout ByteBuffer) -> Void) {
        buffer.writeMultipleIntegers(type, UInt8(0), UInt16(0))
        let lengthIndex = buffer.writerIndex - 2
        let start = buffer.writerIndex
        body(&buffer)
        buffer.setInteger(UInt16(truncatingIfNeeded: buffer.writerIndex - start), at: lengthIndex)
    }

    private static func writeUserInformation(_ information: UserInformation, to buffer: inout ByteBuffer) {
        writeItem(0x50, to: &buffer) { item in
            writeItem(0x51, to: &item) { $0.writeInteger(information.maximumLength) }
            writeItem(0x52, to: &item) { $0.writeString(information.implementationClassUID) }
            if let window = information.asynchronousOperationsWindow {
                writeItem(0x53, to: &item) { $0.writeMultipleIntegers(window.invoked, window.performed) }
            }
            for role in information.roleSelections {
                writeItem(0x54, to: &item) { sub in
                    sub.writeInteger(UInt16(truncatingIfNeeded: role.sopClassUID.utf8.count))
                    sub.writeString(role.sopClassUID)
                    sub.writeMultipleIntegers(UInt8(role.scuRole ? 1 : 0), UInt8(role.scpRole ? 1 : 0))
                }
            }
            if let name = information.implementationVersionName {
                writeItem(0x55, to: &item) { $0.writeString(name) }
            }
            if let identity = information.userIdentity {
                writeItem(0x58, to: &item) { sub in
                    sub.writeMultipleIntegers(identity.type, UInt8(identity.positiveResponseRequested ? 1 : 0))
                    sub.writeInteger(UInt16(truncatingIfNeeded: identity.primaryField.count))
                    sub.writeBytes(identity.primaryField)
                    sub.writeInteger(UInt16(truncatingIfNeeded: identity.secondaryField.count))
                    sub.writeBytes(identity.secondaryField)
                }
            }
            if let response = information.userIdentityResponse {
                writeItem(0x59, to: &item) { sub in
                    sub.writeInteger(UInt16(truncatingIfNeeded: response.count))
                    sub.writeBytes(response)
                }
            }
            for other in information.otherItems {
                writeItem(other.type, to: &item) { $0.writeBytes(other.value) }
            }
        }
    }
}

extension PDU {
    /// Packs PDV items into P-DATA-TF PDUs whose variable field fits `maximumLength` (0: no limit), splitting a
    /// value's data where needed; only the last piece of a value keeps its last-fragment bit.
    package static func dataPDUs(_ values: [PresentationDataValue], maximumLength: UInt32) -> [PDU] {
        // A peer announcing less than a PDV header and a byte would make no progress: 4096 is PS3.8's practical
        // floor, and any value below 16 is treated as no limit.
        let limit = maximumLength < 16 ? Int.max : Int(maximumLength)
        var pdus: [PDU] = []
        var current: [PresentationDataValue] = []
        var currentLength = 0
        for value in values {
            // A data set starts a new PDU: some peers read a command and its data set only from separate PDUs.
            if !value.isCommand, let last = current.last, last.isCommand {
                pdus.append(.data(current))
                current = []
                currentLength = 0
            }
            var remaining = value.data
            repeat {
                if currentLength + valueHeaderLength >= limit {
                    pdus.append(.data(current))
                    current = []
                    currentLength = 0
                }
                let room = limit - currentLength - valueHeaderLength
                let count = min(room, remaining.readableBytes)
                let piece = remaining.readSlice(length: count)!
                let isFinal = remaining.readableBytes == 0
                current.append(
                    PresentationDataValue(
                        contextID: value.contextID, isCommand: value.isCommand, isLast: value.isLast && isFinal,
                        data: piece))
                currentLength += valueHeaderLength + count
            } while remaining.readableBytes > 0
        }
        if !current.isEmpty { pdus.append(.data(current)) }
        return pdus
    }
}
