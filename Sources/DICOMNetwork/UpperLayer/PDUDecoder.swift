package import NIOCore

/// Decodes PDUs from a byte stream that arrives in pieces (PS3.8 §9.3).
///
/// ``decode(_:)`` returns nil, consuming nothing, until a whole PDU is there. The length in the PDU header is
/// checked against the limits before any byte of the body is awaited: a P-DATA-TF may not exceed the maximum
/// length Atrium announced, any other PDU ``maximumControlPDULength``. Every item length is checked against what
/// contains it, so no value read from the wire takes part in arithmetic that could overflow.
package struct PDUDecoder: Sendable {
    /// The largest variable field of a P-DATA-TF accepted: the maximum length announced in negotiation
    /// (0: no limit of Atrium's own, then ``maximumControlPDULength`` × 64).
    package var maximumDataLength: UInt32
    /// The largest variable field of any other PDU (an A-ASSOCIATE-RQ with 128 contexts fits in a few kB).
    package static let maximumControlPDULength: UInt32 = 1 << 20

    package init(maximumDataLength: UInt32) {
        self.maximumDataLength = maximumDataLength
    }

    /// The next whole PDU of `buffer`, or nil when more bytes are needed.
    ///
    /// - Throws: ``UpperLayerError`` for an unknown PDU type, a PDU over its limit or a malformed body.
    package func decode(_ buffer: inout ByteBuffer) throws(UpperLayerError) -> PDU? {
        guard
            let (type, _, length) = buffer.getMultipleIntegers(at: buffer.readerIndex, as: (UInt8, UInt8, UInt32).self)
        else { return nil }
        let limit: UInt32
        switch type {
        case 0x04: limit = maximumDataLength == 0 ? Self.maximumControlPDULength * 64 : maximumDataLength
        case 0x01...0x07: limit = Self.maximumControlPDULength
        default: throw UpperLayerError(.unrecognizedPDU, "unknown PDU type \(type)")
        }
        guard length <= limit else {
            throw UpperLayerError(.invalidParameterValue, "a PDU of type \(type) is \(length) bytes, above \(limit)")
        }
        guard buffer.readableBytes - 6 >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 6)
        var body = buffer.readSlice(length: Int(length))!
        let pdu = try Self.decodeBody(type: type, &body)
        return pdu
    }

    static func decodeBody(type: UInt8, _ body: inout ByteBuffer) throws(UpperLayerError) -> PDU {
        switch type {
        case 0x01: return .associateRequest(try decodeAssociateRequest(&body))
        case 0x02: return .associateAccept(try decodeAssociateAccept(&body))
        case 0x03:
            guard let (_, result, source, reason) = body.readMultipleIntegers(as: (UInt8, UInt8, UInt8, UInt8).self)
            else { throw UpperLayerError(.invalidParameterValue, "A-ASSOCIATE-RJ is too short") }
            return .associateReject(AssociateReject(result: result, source: source, reason: reason))
        case 0x04: return .data(try decodeData(&body))
        case 0x05: return .releaseRequest
        case 0x06: return .releaseResponse
        default:
            guard let (_, _, source, reason) = body.readMultipleIntegers(as: (UInt8, UInt8, UInt8, UInt8).self)
            else { throw UpperLayerError(.invalidParameterValue, "A-ABORT is too short") }
            return .abort(AbortReason(source: source, reason: reason))
        }
    }

    // MARK: - P-DATA-TF

    static func decodeData(_ body: inout ByteBuffer) throws(UpperLayerError) -> [PresentationDataValue] {
        var values: [PresentationDataValue] = []
        while body.readableBytes > 0 {
            guard let length = body.readInteger(as: UInt32.self), length >= 2, Int(length) <= body.readableBytes
            else { throw UpperLayerError(.invalidParameterValue, "a PDV item's length exceeds its PDU") }
            let (contextID, header) = body.readMultipleIntegers(as: (UInt8, UInt8).self)!
            let data = body.readSlice(length: Int(length) - 2)!
            values.append(
                PresentationDataValue(
                    contextID: contextID, isCommand: header & 0x01 != 0, isLast: header & 0x02 != 0, data: data))
        }
        guard !values.isEmpty else { throw UpperLayerError(.invalidParameterValue, "a P-DATA-TF without PDV") }
        return values
    }

    // MARK: - A-ASSOCIATE-RQ and -AC

    /// The fixed part shared by A-ASSOCIATE-RQ and -AC: protocol version, the two AE titles, reserved bytes.
    static func decodeAssociateHeader(_ body: inout ByteBuffer) throws(UpperLayerError)
        -> (version: UInt16, called: String, calling: String)
    {
        guard body.readableBytes >= 68 else {
            throw UpperLayerError(.invalidParameterValue, "an A-ASSOCIATE PDU is too short")
        }
        let version = body.readInteger(as: UInt16.self)!
        body.moveReaderIndex(forwardBy: 2)
        let called = aeTitle(body.readSlice(length: 16)!)
        let calling = aeTitle(body.readSlice(length: 16)!)
        body.moveReaderIndex(forwardBy: 32)
        return (version, called, calling)
    }

    /// An AE title without its padding spaces (and any NUL a careless sender left).
    static func aeTitle(_ bytes: ByteBuffer) -> String {
        let view = bytes.readableBytesView
        var start = view.startIndex
        var end = view.endIndex
        while start < end, view[start] == 0x20 { start += 1 }
        while end > start, view[end - 1] == 0x20 || view[end - 1] == 0 { end -= 1 }
        return String(decoding: view[start..<end], as: UTF8.self)
    }

    /// A UID value of an item: ASCII, without the trailing NUL or space some senders add.
    static func uid(_ bytes: ByteBuffer) -> String {
        let view = bytes.readableBytesView
        var end = view.endIndex
        while end > view.startIndex, view[end - 1] == 0 || view[end - 1] == 0x20 { end -= 1 }
        return String(decoding: view[view.startIndex..<end], as: UTF8.self)
    }

    /// The items of `body`, each as its type and value; item lengths are 16-bit and checked against `body`.
    static func items(_ body: inout ByteBuffer) throws(UpperLayerError) -> [(type: UInt8, value: ByteBuffer)] {
        var items: [(UInt8, ByteBuffer)] = []
        while body.readableBytes > 0 {
            guard let (type, _, length) = body.readMultipleIntegers(as: (UInt8, UInt8, UInt16).self),
                Int(length) <= body.readableBytes
            else { throw UpperLayerError(.invalidParameterValue, "an item's length exceeds what contains it") }
            items.append((type, body.readSlice(length: Int(length))!))
        }
        return items
    }

    static func decodeAssociateRequest(_ body: inout ByteBuffer) throws(UpperLayerError) -> AssociateRequest {
        let header = try decodeAssociateHeader(&body)
        var request = AssociateRequest(
            calledAETitle: header.called, callingAETitle: header.calling, presentationContexts: [],
            userInformation: UserInformation())
        request.protocolVersion = header.version
        var sawApplicationContext = false
        var sawUserInformation = false
        for (type, value) in try items(&body) {
            var value = value
            switch type {
            case 0x10:
                request.applicationContext = uid(value)
                sawApplicationContext = true
            case 0x20:
                guard let (id, _, _, _) = value.readMultipleIntegers(as: (UInt8, UInt8, UInt8, UInt8).self) else {
                    throw UpperLayerError(.invalidParameterValue, "a presentation context item is too short")
                }
                var context = ProposedPresentationContext(id: id, abstractSyntax: "", transferSyntaxes: [])
                for (subType, subValue) in try items(&value) {
                    switch subType {
                    case 0x30: context.abstractSyntax = uid(subValue)
                    case 0x40: context.transferSyntaxes.append(uid(subValue))
                    default:
                        throw UpperLayerError(.unrecognizedParameter, "unknown presentation context sub-item")
                    }
                }
                request.presentationContexts.append(context)
            case 0x50:
                request.userInformation = try decodeUserInformation(&value)
                sawUserInformation = true
            default:
                throw UpperLayerError(.unrecognizedParameter, "unknown A-ASSOCIATE-RQ item \(type)")
            }
        }
        guard sawApplicationContext, sawUserInformation else {
            throw UpperLayerError(.invalidParameterValue, "A-ASSOCIATE-RQ lacks its application context or user info")
        }
        return request
    }

    static func decodeAssociateAccept(_ body: inout ByteBuffer) throws(UpperLayerError) -> AssociateAccept {
        let header = try decodeAssociateHeader(&body)
        var accept = AssociateAccept(
            calledAETitle: header.called, callingAETitle: header.calling, presentationContexts: [],
            userInformation: UserInformation())
        accept.protocolVersion = header.version
        for (type, value) in try items(&body) {
            var value = value
            switch type {
            case 0x10:
                accept.applicationContext = uid(value)
            case 0x21:
                guard let (id, _, resultCode, _) = value.readMultipleIntegers(as: (UInt8, UInt8, UInt8, UInt8).self),
                    let result = PresentationContextResult.Result(rawValue: resultCode)
                else { throw UpperLayerError(.invalidParameterValue, "a presentation context result is malformed") }
                var transferSyntax = ""
                for (subType, subValue) in try items(&value) where subType == 0x40 { transferSyntax = uid(subValue) }
                accept.presentationContexts.append(
                    PresentationContextResult(id: id, result: result, transferSyntax: transferSyntax))
            case 0x50:
                accept.userInformation = try decodeUserInformation(&value)
            default:
                throw UpperLayerError(.unrecognizedParameter, "unknown A-ASSOCIATE-AC item \(type)")
            }
        }
        return accept
    }

    static func decodeUserInformation(_ body: inout ByteBuffer) throws(UpperLayerError) -> UserInformation {
        var information = UserInformation()
        for (type, value) in try items(&body) {
            var value = value
            switch type {
            case 0x51:
                guard let length = value.readInteger(as: UInt32.self) else {
                    throw UpperLayerError(.invalidParameterValue, "a maximum length sub-item is too short")
                }
                information.maximumLength = length
            case 0x52:
                information.implementationClassUID = uid(value)
            case 0x55:
                information.implementationVersionName = aeTitle(value)
            case 0x53:
                guard let (invoked, performed) = value.readMultipleIntegers(as: (UInt16, UInt16).self) else {
                    throw UpperLayerError(.invalidParameterValue, "an asynchronous operations sub-item is too short")
                }
                information.asynchronousOperationsWindow = (invoked, performed)
            case 0x54:
                guard let length = value.readInteger(as: UInt16.self), Int(length) + 2 <= value.readableBytes else {
                    throw UpperLayerError(.invalidParameterValue, "a role selection sub-item is malformed")
                }
                let sopClass = uid(value.readSlice(length: Int(length))!)
                let (scu, scp) = value.readMultipleIntegers(as: (UInt8, UInt8).self)!
                information.roleSelections.append(
                    RoleSelection(sopClassUID: sopClass, scuRole: scu == 1, scpRole: scp == 1))
            case 0x58:
                guard
                    let (identityType, positive, primaryLength) = value.readMultipleIntegers(
                        as: (UInt8, UInt8, UInt16).self),
                    let primary = value.readBytes(length: Int(primaryLength)),
                    let secondaryLength = value.readInteger(as: UInt16.self),
                    let secondary = value.readBytes(length: Int(secondaryLength))
                else { throw UpperLayerError(.invalidParameterValue, "a user identity sub-item is malformed") }
                information.userIdentity = UserIdentity(
                    type: identityType, positiveResponseRequested: positive == 1, primaryField: primary,
                    secondaryField: secondary)
            case 0x59:
                guard let length = value.readInteger(as: UInt16.self),
                    let response = value.readBytes(length: Int(length))
                else { throw UpperLayerError(.invalidParameterValue, "a user identity response is malformed") }
                information.userIdentityResponse = response
            default:
                information.otherItems.append((type, Array(value.readableBytesView)))
            }
        }
        return information
    }
}
