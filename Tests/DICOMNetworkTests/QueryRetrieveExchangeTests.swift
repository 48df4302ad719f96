import DICOMNetwork
import NIOCore
import Testing

/// The SCU side of C-FIND, C-MOVE and C-GET without a socket: the requests it builds and how it reads the
/// responses (PS3.7 §9.1.2 to §9.1.4, §9.3.2 to §9.3.4).
@Suite struct QueryRetrieveExchangeTests {
    static let studyFind = "1.2.840.10008.5.1.4.1.2.2.1"
    static let studyMove = "1.2.840.10008.5.1.4.1.2.2.2"

    static func response(
        to request: CommandSet, status: UInt16, field: CommandField? = nil, counts: [UInt16: UInt16] = [:],
        identifier: ByteBuffer? = nil
    ) -> DIMSEMessage {
        let responseField = field ?? CommandField(rawValue: (request.commandField?.rawValue ?? 0) | 0x8000)
        var command = CommandSet.response(
            to: request, field: responseField, status: status, hasDataSet: identifier != nil)
        for (element, value) in counts { command.setUInt16(element, value) }
        return DIMSEMessage(contextID: 1, command: command, dataSet: identifier)
    }

    @Test func buildsTheRequests() throws {
        let find = CommandSet.findRequest(messageID: 3, sopClass: Self.studyFind)
        #expect(find.commandField == .cFindRequest)
        #expect(find.hasDataSet)
        #expect(find.uint16(CommandSet.priorityElement) == 0)
        let move = CommandSet.moveRequest(messageID: 4, sopClass: Self.studyMove, destination: "ATRIUM")
        #expect(move.commandField == .cMoveRequest)
        #expect(move.moveDestination == "ATRIUM")
        #expect(move.elements[CommandSet.moveDestinationElement] == Array("ATRIUM".utf8))
        let odd = CommandSet.moveRequest(messageID: 4, sopClass: Self.studyMove, destination: "AET")
        // AE values are padded with a space to an even length.
        #expect(odd.elements[CommandSet.moveDestinationElement] == Array("AET ".utf8))
        let get = CommandSet.getRequest(messageID: 5, sopClass: "1.2.840.10008.5.1.4.1.2.2.3")
        #expect(get.commandField == .cGetRequest)
        let decoded = try CommandSet(decoding: move.encoded())
        #expect(decoded == move)
    }

    @Test func collectsFindMatchesUntilTheFinalResponse() throws {
        let request = CommandSet.findRequest(messageID: 9, sopClass: Self.studyFind)
        var exchange = QueryRetrieveExchange(request: request)
        #expect(exchange.responseField == .cFindResponse)
        let first = ByteBuffer(bytes: [1, 2])
        let second = ByteBuffer(bytes: [3, 4])
        #expect(try exchange.receive(Self.response(to: request, status: 0xFF00, identifier: first)) == .pending)
        #expect(try exchange.receive(Self.response(to: request, status: 0xFF01, identifier: second)) == .pending)
        #expect(try exchange.receive(Self.response(to: request, status: 0x0000)) == .final)
        let outcome = exchange.findOutcome
        #expect(outcome.status == 0x0000)
        #expect(outcome.matches == [first, second])
    }

    @Test func ignoresResponsesToOtherRequests() throws {
        let request = CommandSet.findRequest(messageID: 9, sopClass: Self.studyFind)
        let earlier = CommandSet.findRequest(messageID: 8, sopClass: Self.studyFind)
        var exchange = QueryRetrieveExchange(request: request)
        #expect(try exchange.receive(Self.response(to: earlier, status: 0x0000)) == .ignored)
        // A request from the peer with the same number is no response.
        let incoming = DIMSEMessage(
            contextID: 1, command: CommandSet.findRequest(messageID: 9, sopClass: ""), dataSet: nil)
        #expect(try exchange.receive(incoming) == .ignored)
        #expect(exchange.findOutcome.matches.isEmpty)
    }

    @Test func refusesAResponseOfAnotherKind() {
        let request = CommandSet.findRequest(messageID: 2, sopClass: Self.studyFind)
        var exchange = QueryRetrieveExchange(request: request)
        #expect(throws: AssociationFailure.self) {
            try exchange.receive(Self.response(to: request, status: 0, field: .cMoveResponse))
        }
        var noStatus = CommandSet.response(to: request, field: .cFindResponse, status: 0)
        noStatus.remove(CommandSet.statusElement)
        #expect(throws: AssociationFailure.self) {
            try exchange.receive(DIMSEMessage(contextID: 1, command: noStatus, dataSet: nil))
        }
    }

    @Test func keepsTheLastCountsWhenTheFinalResponseLeavesThemOut() throws {
        let request = CommandSet.moveRequest(messageID: 1, sopClass: Self.studyMove, destination: "ATRIUM")
        var exchange = QueryRetrieveExchange(request: request)
        let pending: [UInt16: UInt16] = [
            CommandSet.remainingSubOperations: 1, CommandSet.completedSubOperations: 2,
            CommandSet.failedSubOperations: 0, CommandSet.warningSubOperations: 1,
        ]
        #expect(try exchange.receive(Self.response(to: request, status: 0xFF00, counts: pending)) == .pending)
        #expect(exchange.outcome.remaining == 1)
        #expect(try exchange.receive(Self.response(to: request, status: 0xB000)) == .final)
        var expected = RetrieveOutcome(status: 0xB000)
        expected.completed = 2
        expected.warning = 1
        #expect(exchange.outcome == expected)
    }

    @Test func aCancelledRetrieveKeepsItsRemainingCount() throws {
        let request = CommandSet.getRequest(messageID: 1, sopClass: "1.2.840.10008.5.1.4.1.2.2.3")
        var exchange = QueryRetrieveExchange(request: request)
        let counts: [UInt16: UInt16] = [CommandSet.remainingSubOperations: 4, CommandSet.completedSubOperations: 1]
        #expect(try exchange.receive(Self.response(to: request, status: 0xFE00, counts: counts)) == .final)
        #expect(exchange.outcome.status == 0xFE00)
        #expect(exchange.outcome.remaining == 4)
        #expect(exchange.outcome.completed == 1)
    }

    @Test func readsTheErrorComment() throws {
        let request = CommandSet.moveRequest(messageID: 1, sopClass: Self.studyMove, destination: "X")
        var exchange = QueryRetrieveExchange(request: request)
        var command = CommandSet.response(to: request, field: .cMoveResponse, status: 0xA801)
        command.setString(CommandSet.errorCommentElement, "unknown destination", padding: 0x20)
        #expect(try exchange.receive(DIMSEMessage(contextID: 1, command: command, dataSet: nil)) == .final)
        #expect(exchange.outcome.errorComment == "unknown destination")
    }
}

/// The C-STORE sub-operations a C-GET brings on its own association (PS3.4 §C.4.3.1).
@Suite struct GetStoreSubOperationTests {
    static let contexts: [UInt8: AcceptedPresentationContext] = [
        3: AcceptedPresentationContext(
            id: 3, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntax: "1.2.840.10008.1.2")
    ]

    static func storeRequest(contextID: UInt8 = 3, dataSet: ByteBuffer? = ByteBuffer(bytes: [8, 0])) -> DIMSEMessage {
        var command = CommandSet.request(
            .cStoreRequest, messageID: 1001, sopClass: "1.2.840.10008.5.1.4.1.1.2", hasDataSet: dataSet != nil)
        command.setString(CommandSet.affectedSOPInstanceUID, "1.2.3.4")
        return DIMSEMessage(contextID: contextID, command: command, dataSet: dataSet)
    }

    @Test func readsTheInstanceInTheContextsSyntax() throws {
        let instance = try #require(ReceivedInstance(storeRequest: Self.storeRequest(), contexts: Self.contexts))
        #expect(instance.sopClassUID == "1.2.840.10008.5.1.4.1.1.2")
        #expect(instance.sopInstanceUID == "1.2.3.4")
        #expect(instance.transferSyntaxUID == "1.2.840.10008.1.2")
        #expect(instance.dataSet == ByteBuffer(bytes: [8, 0]))
        let response = CommandSet.response(
            to: Self.storeRequest().command, field: .cStoreResponse, status: DIMSEStatus.success)
        #expect(response.respondedMessageID == 1001)
        #expect(response.affectedSOPInstance == "1.2.3.4")
        #expect(!response.hasDataSet)
    }

    @Test func refusesARequestWithoutDataSetOrOnAnUnknownContext() {
        #expect(ReceivedInstance(storeRequest: Self.storeRequest(dataSet: nil), contexts: Self.contexts) == nil)
        #expect(ReceivedInstance(storeRequest: Self.storeRequest(contextID: 5), contexts: Self.contexts) == nil)
        let find = DIMSEMessage(
            contextID: 3, command: CommandSet.findRequest(messageID: 1, sopClass: "x"), dataSet: ByteBuffer())
        #expect(ReceivedInstance(storeRequest: find, contexts: Self.contexts) == nil)
    }
}

extension QueryRetrieveExchangeTests {
    @Test func abortsWhenTheMatchesGrowBeyondTheCap() throws {
        let request = CommandSet.findRequest(messageID: 1, sopClass: Self.studyFind)
        var exchange = QueryRetrieveExchange(request: request, maximumMatchBytes: 5)
        let match = ByteBuffer(bytes: [1, 2, 3])
        #expect(try exchange.receive(Self.response(to: request, status: 0xFF00, identifier: match)) == .pending)
        #expect(throws: AssociationFailure.self) {
            try exchange.receive(Self.response(to: request, status: 0xFF00, identifier: match))
        }
        #expect(exchange.findOutcome.matches.count == 1)
    }
}
