/// The DIMSE command field (0000,0100) values (PS3.7 Annex E).
package struct CommandField: RawRepresentable, Hashable, Sendable {
    package let rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }

    package static let cStoreRequest = CommandField(rawValue: 0x0001)
    package static let cStoreResponse = CommandField(rawValue: 0x8001)
    package static let cGetRequest = CommandField(rawValue: 0x0010)
    package static let cGetResponse = CommandField(rawValue: 0x8010)
    package static let cFindRequest = CommandField(rawValue: 0x0020)
    package static let cFindResponse = CommandField(rawValue: 0x8020)
    package static let cMoveRequest = CommandField(rawValue: 0x0021)
    package static let cMoveResponse = CommandField(rawValue: 0x8021)
    package static let cEchoRequest = CommandField(rawValue: 0x0030)
    package static let cEchoResponse = CommandField(rawValue: 0x8030)
    package static let nEventReportRequest = CommandField(rawValue: 0x0100)
    package static let nEventReportResponse = CommandField(rawValue: 0x8100)
    package static let nActionRequest = CommandField(rawValue: 0x0130)
    package static let nActionResponse = CommandField(rawValue: 0x8130)
    package static let cCancelRequest = CommandField(rawValue: 0x0FFF)

    /// Whether the command is a response (bit 15 set).
    package var isResponse: Bool { rawValue & 0x8000 != 0 }
}

/// DIMSE status codes (PS3.7 Annex C, PS3.4).
package enum DIMSEStatus {
    package static let success: UInt16 = 0x0000
    package static let pending: UInt16 = 0xFF00
    package static let cancel: UInt16 = 0xFE00
    /// C-MOVE / C-GET: one or more sub-operations failed.
    package static let subOperationsFailed: UInt16 = 0xB000
    /// C-STORE: out of resources.
    package static let outOfResources: UInt16 = 0xA700
    /// C-MOVE / C-GET: out of resources, unable to perform sub-operations.
    package static let outOfResourcesSubOperations: UInt16 = 0xA702
    /// C-MOVE: move destination unknown (PS3.4); Orthanc answers an unknown destination with ``moveFailed``.
    package static let moveDestinationUnknown: UInt16 = 0xA801
    /// C-MOVE: unable to process (0xC000), what Orthanc answers for a destination not in `DicomModalities`.
    package static let moveFailed: UInt16 = 0xC000
    /// C-FIND / C-MOVE / C-GET: identifier does not match SOP class.
    package static let identifierDoesNotMatch: UInt16 = 0xA900
    /// Cannot understand (the data set cannot be read).
    package static let cannotUnderstand: UInt16 = 0xC000
    /// Unable to process (C-FIND, C-MOVE failure).
    package static let unableToProcess: UInt16 = 0xC001
    /// Refused: not authorized.
    package static let notAuthorized: UInt16 = 0x0124
    /// SOP class not supported.
    package static let sopClassNotSupported: UInt16 = 0x0122
    /// Unrecognized operation.
    package static let unrecognizedOperation: UInt16 = 0x0211
    /// DIMSE-N: processing failure.
    package static let processingFailure: UInt16 = 0x0110
    /// DIMSE-N: no such event type.
    package static let noSuchEventType: UInt16 = 0x0113
    /// DIMSE-N: invalid argument value (action or event information that cannot be read).
    package static let invalidArgumentValue: UInt16 = 0x0115
    /// DIMSE-N: no such SOP class.
    package static let noSuchSOPClass: UInt16 = 0x0118
    /// DIMSE-N: no such action type.
    package static let noSuchActionType: UInt16 = 0x0123
}
