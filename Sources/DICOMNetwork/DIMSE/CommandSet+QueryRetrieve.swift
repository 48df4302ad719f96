extension CommandSet {
    /// A C-FIND-RQ (PS3.7 §9.3.2.1): medium priority, an identifier follows.
    package static func findRequest(messageID: UInt16, sopClass: String) -> CommandSet {
        request(.cFindRequest, messageID: messageID, sopClass: sopClass, hasDataSet: true)
    }

    /// A C-MOVE-RQ (PS3.7 §9.3.4.1) toward the AE titled `destination`: medium priority, an identifier follows.
    package static func moveRequest(messageID: UInt16, sopClass: String, destination: String) -> CommandSet {
        var command = request(.cMoveRequest, messageID: messageID, sopClass: sopClass, hasDataSet: true)
        command.setString(moveDestinationElement, destination, padding: 0x20)
        return command
    }

    /// A C-GET-RQ (PS3.7 §9.3.3.1): medium priority, an identifier follows.
    package static func getRequest(messageID: UInt16, sopClass: String) -> CommandSet {
        request(.cGetRequest, messageID: messageID, sopClass: sopClass, hasDataSet: true)
    }

    /// Whether the status is Pending (0xFF00, or 0xFF01 when optional keys were not supported).
    package static func isPending(_ status: UInt16) -> Bool {
        status == DIMSEStatus.pending || status == 0xFF01
    }
}
