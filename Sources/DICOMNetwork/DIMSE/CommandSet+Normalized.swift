// The DIMSE-N messages storage commitment uses (PS3.7 §10.3.1 N-EVENT-REPORT, §10.3.4 N-ACTION): requests name
// a SOP instance (the well-known instance of a service, for storage commitment), responses echo it.

extension CommandSet {
    package var requestedSOPClass: String? { string(Self.requestedSOPClassUID) }
    package var requestedSOPInstance: String? { string(Self.requestedSOPInstanceUID) }
    /// Action Type ID (0000,1008) of an N-ACTION.
    package var actionType: UInt16? { uint16(Self.actionTypeID) }
    /// Event Type ID (0000,1002) of an N-EVENT-REPORT.
    package var eventType: UInt16? { uint16(Self.eventTypeID) }

    /// An N-ACTION-RQ (PS3.7 Table 10.3-4): the requested SOP class and instance, the action type, and the action
    /// information that follows when `hasDataSet`.
    package static func nActionRequest(
        messageID: UInt16, sopClass: String, sopInstance: String, actionType: UInt16, hasDataSet: Bool = true
    ) -> CommandSet {
        normalizedRequest(
            .nActionRequest, messageID: messageID, classElement: requestedSOPClassUID, sopClass: sopClass,
            instanceElement: requestedSOPInstanceUID, sopInstance: sopInstance, typeElement: actionTypeID,
            type: actionType, hasDataSet: hasDataSet)
    }

    /// The N-ACTION-RSP to `request` (PS3.7 Table 10.3-5): the requested class and instance become the affected
    /// ones, the action type is echoed; no action reply follows.
    package static func nActionResponse(to request: CommandSet, status: UInt16) -> CommandSet {
        var command = CommandSet()
        if let sopClass = request.requestedSOPClass { command.setString(affectedSOPClassUID, sopClass) }
        command.setUInt16(commandFieldElement, CommandField.nActionResponse.rawValue)
        command.setUInt16(messageIDBeingRespondedTo, request.messageID ?? 0)
        command.setUInt16(commandDataSetType, noDataSet)
        command.setUInt16(statusElement, status)
        if let instance = request.requestedSOPInstance { command.setString(affectedSOPInstanceUID, instance) }
        if let actionType = request.actionType { command.setUInt16(actionTypeID, actionType) }
        return command
    }

    /// An N-EVENT-REPORT-RQ (PS3.7 Table 10.3-1): the affected SOP class and instance, the event type, and the
    /// event information that follows when `hasDataSet`.
    package static func nEventReportRequest(
        messageID: UInt16, sopClass: String, sopInstance: String, eventType: UInt16, hasDataSet: Bool = true
    ) -> CommandSet {
        normalizedRequest(
            .nEventReportRequest, messageID: messageID, classElement: affectedSOPClassUID, sopClass: sopClass,
            instanceElement: affectedSOPInstanceUID, sopInstance: sopInstance, typeElement: eventTypeID,
            type: eventType, hasDataSet: hasDataSet)
    }

    /// The N-EVENT-REPORT-RSP to `request` (PS3.7 Table 10.3-2): class, instance and event type echoed; no event
    /// reply follows.
    package static func nEventReportResponse(to request: CommandSet, status: UInt16) -> CommandSet {
        var command = CommandSet.response(to: request, field: .nEventReportResponse, status: status)
        if let eventType = request.eventType { command.setUInt16(eventTypeID, eventType) }
        return command
    }

    /// A DIMSE-N request: the SOP class and instance in the elements its table names, and its action or event type.
    private static func normalizedRequest(
        _ field: CommandField, messageID: UInt16, classElement: UInt16, sopClass: String, instanceElement: UInt16,
        sopInstance: String, typeElement: UInt16, type: UInt16, hasDataSet: Bool
    ) -> CommandSet {
        var command = CommandSet()
        command.setString(classElement, sopClass)
        command.setUInt16(commandFieldElement, field.rawValue)
        command.setUInt16(messageIDElement, messageID)
        command.setUInt16(commandDataSetType, hasDataSet ? 0x0000 : noDataSet)
        command.setString(instanceElement, sopInstance)
        command.setUInt16(typeElement, type)
        return command
    }
}
