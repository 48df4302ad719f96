import DICOM
import Logging
import NIOCore

/// The DIMSE service provider side of one association: reassembles messages and answers C-ECHO, C-STORE, C-FIND,
/// C-MOVE, C-GET, C-CANCEL, and the N-ACTION and N-EVENT-REPORT of storage commitment through a
/// ``DIMSEServiceProvider``.
///
/// C-STORE is answered before the next PDU is read, so a slow disk slows the sender instead of filling memory.
/// C-FIND, C-MOVE and C-GET run as tasks keyed by message ID so that a C-CANCEL can reach them while they send,
/// and C-GET's own C-STORE sub-operations are answered by responses routed back here. A C-CANCEL marks its
/// operation, which stops before its next match or sub-operation and still sends its final response (status
/// Cancel, PS3.4 C.4.1.3.1, C.4.2.3.1 and C.4.3.3.1); cancelling the task itself would also stop that response, so only an
/// abort does it.
actor DIMSESession: AssociationSession {
    private let association: EstablishedAssociation
    private let writer: any AssociationWriter
    private let provider: any DIMSEServiceProvider
    private let logger: Logger
    private var assembler: MessageAssembler
    /// Operations in progress, by the message ID of their request.
    private var operations: [UInt16: Task<Void, Never>] = [:]
    /// Operations in progress a C-CANCEL-RQ asked to stop, by the message ID of their request.
    private var cancelRequested: Set<UInt16> = []
    /// C-GET sub-operations waiting for their C-STORE-RSP, by the message ID of the C-STORE-RQ.
    private var awaitingStoreResponses: [UInt16: CheckedContinuation<UInt16?, Never>] = [:]
    private var nextMessageID: UInt16 = 1
    private var isOpen = true
    /// The C-STORE whose data set is being streamed, while one is.
    private var stream: StoreStream?

    /// A C-STORE-RQ whose data set is streamed, and where its bytes go.
    private struct StoreStream {
        enum Target {
            /// To the provider's sink.
            case sink(any DataSetSink)
            /// Nowhere: the request is answered with this once its last fragment arrives.
            case discarded(StoreAnswer)
        }

        let contextID: UInt8
        let command: CommandSet
        var target: Target
    }

    init(
        association: EstablishedAssociation, writer: any AssociationWriter, provider: any DIMSEServiceProvider,
        maximumDataSetLength: Int, streaming: MessageAssembler.Streaming, logger: Logger
    ) {
        self.association = association
        self.writer = writer
        self.provider = provider
        self.assembler = MessageAssembler(maximumDataSetLength: maximumDataSetLength, streaming: streaming)
        self.logger = logger
    }

    func received(_ values: [PresentationDataValue]) async throws {
        for value in values {
            guard association.contexts[value.contextID] != nil else {
                throw UpperLayerError(
                    .invalidParameterValue, "a PDV on presentation context \(value.contextID), which was not accepted")
            }
            let step: MessageAssembler.Step?
            do {
                step = try assembler.receive(value)
            } catch {
                throw UpperLayerError(.invalidParameterValue, error.message)
            }
            switch step {
            case nil: break
            case .message(let message): try await handle(message)
            case .streamStarted(let contextID, let command, let held, let fragment):
                try await startStream(contextID: contextID, command: command, bytes: held)
                try await continueStream(fragment, isLast: false)
            case .streamContinued(let bytes, let isLast):
                try await continueStream(bytes, isLast: isLast)
            }
        }
    }

    func ended(released: Bool) async {
        isOpen = false
        if let stream {
            // An association that ends in the middle of a data set stores nothing of it.
            self.stream = nil
            if case .sink(let sink) = stream.target { await sink.abandon() }
        }
        let running = operations.values
        if !released {
            for operation in running { operation.cancel() }
        }
        for continuation in awaitingStoreResponses.values { continuation.resume(returning: nil) }
        awaitingStoreResponses = [:]
        for operation in running { await operation.value }
    }

    // MARK: - Dispatch

    private func handle(_ message: DIMSEMessage) async throws {
        let command = message.command
        guard let field = command.commandField else { return }
        let context = association.contexts[message.contextID]!
        try checkPermission(field)
        switch field {
        case .cEchoRequest:
            let status = await provider.verify(association)
            try await respond(to: message, field: .cEchoResponse, status: status)
        case .cStoreRequest:
            guard let dataSet = message.dataSet else {
                try await respond(to: message, field: .cStoreResponse, status: DIMSEStatus.cannotUnderstand)
                return
            }
            let answer = await provider.store(dataSet, command: command, context: context, association: association)
            try await sendStoreAnswer(answer, to: command, contextID: message.contextID)
        case .cFindRequest, .cGetRequest, .cMoveRequest:
            guard let messageID = command.messageID, operations[messageID] == nil else {
                throw UpperLayerError(.serviceUser, "a request reusing the message ID of one in progress")
            }
            operations[messageID] = Task { [self] in
                await self.perform(message, context: context)
                self.finished(messageID)
            }
        case .nActionRequest:
            let status = await storageCommitment(message, context: context)
            let response = CommandSet.nActionResponse(to: command, status: status)
            try await send(DIMSEMessage(contextID: message.contextID, command: response, dataSet: nil))
        case .nEventReportRequest:
            let status = await storageCommitmentResult(message, context: context)
            let response = CommandSet.nEventReportResponse(to: command, status: status)
            try await send(DIMSEMessage(contextID: message.contextID, command: response, dataSet: nil))
        case .cCancelRequest:
            if let respondedID = command.respondedMessageID, operations[respondedID] != nil {
                cancelRequested.insert(respondedID)
            }
        case .cStoreResponse:
            if let respondedID = command.respondedMessageID,
                let continuation = awaitingStoreResponses.removeValue(forKey: respondedID)
            {
                continuation.resume(returning: command.status ?? DIMSEStatus.unableToProcess)
            }
        default:
            if field.isResponse { return }
            let responseField = CommandField(rawValue: field.rawValue | 0x8000)
            try await respond(to: message, field: responseField, status: DIMSEStatus.unrecognizedOperation)
        }
    }

    // MARK: - Storage commitment

    /// The status of the N-ACTION-RSP: the request is checked here, then handed to the provider.
    private func storageCommitment(_ message: DIMSEMessage, context: AcceptedPresentationContext) async -> UInt16 {
        guard context.abstractSyntax == StorageCommitment.sopClassUID else { return DIMSEStatus.noSuchSOPClass }
        guard message.command.actionType == StorageCommitment.requestActionType else {
            return DIMSEStatus.noSuchActionType
        }
        let request: StorageCommitmentRequest
        do {
            request = try StorageCommitmentRequest(actionInformation: try information(of: message, context: context))
        } catch {
            logger.info("N-ACTION refused", metadata: ["reason": "\(error)"])
            return DIMSEStatus.invalidArgumentValue
        }
        return await provider.commitStorage(request, association: association)
    }

    /// The status of the N-EVENT-REPORT-RSP: the result is checked here, then handed to the provider.
    private func storageCommitmentResult(_ message: DIMSEMessage, context: AcceptedPresentationContext) async
        -> UInt16
    {
        guard context.abstractSyntax == StorageCommitment.sopClassUID else { return DIMSEStatus.noSuchSOPClass }
        guard let eventType = message.command.eventType,
            eventType == StorageCommitment.successEventType || eventType == StorageCommitment.failuresEventType
        else { return DIMSEStatus.noSuchEventType }
        let result: StorageCommitmentResult
        do {
            result = try StorageCommitmentResult(
                eventInformation: try information(of: message, context: context), eventType: eventType)
        } catch {
            logger.info("N-EVENT-REPORT refused", metadata: ["reason": "\(error)"])
            return DIMSEStatus.processingFailure
        }
        return await provider.storageCommitmentReported(result, association: association)
    }

    /// The data set of a DIMSE-N request, decoded in its context's transfer syntax.
    private func information(of message: DIMSEMessage, context: AcceptedPresentationContext) throws -> DataSet {
        guard let bytes = message.dataSet else { throw StorageCommitmentError(message: "no data set") }
        return try DataSet(decoding: bytes, transferSyntax: TransferSyntax(uid: context.transferSyntax))
    }

    /// Aborts the association (A-ABORT, source 0, reason 0) instead of answering a request the calling AE may not
    /// make, as Orthanc does.
    private func checkPermission(_ field: CommandField) throws {
        let checked: Set<CommandField> = [
            .cEchoRequest, .cStoreRequest, .cFindRequest, .cMoveRequest, .cGetRequest, .nActionRequest,
            .nEventReportRequest,
        ]
        guard checked.contains(field), !provider.permits(field, association: association) else { return }
        throw SessionTermination(
            .abort, "request 0x\(String(field.rawValue, radix: 16)) not allowed for \(association.callingAETitle)")
    }

    /// Sends the C-STORE-RSP of an answer, or closes the connection when the answer says so.
    private func sendStoreAnswer(_ answer: StoreAnswer, to command: CommandSet, contextID: UInt8) async throws {
        if answer.closesConnection {
            throw SessionTermination(.closeConnection, answer.errorComment ?? "C-STORE data set unreadable")
        }
        try await sendFinal(
            to: command, contextID: contextID, field: .cStoreResponse, status: answer.status,
            comment: answer.errorComment)
    }

    private func finished(_ messageID: UInt16) {
        operations[messageID] = nil
        cancelRequested.remove(messageID)
    }

    /// Whether the operation of this request should stop: a C-CANCEL-RQ named it, or the association was aborted.
    private func shouldStop(_ request: CommandSet) -> Bool {
        Task.isCancelled || request.messageID.map(cancelRequested.contains) ?? false
    }

    private func respond(to message: DIMSEMessage, field: CommandField, status: UInt16) async throws {
        let response = CommandSet.response(to: message.command, field: field, status: status)
        try await send(DIMSEMessage(contextID: message.contextID, command: response, dataSet: nil))
    }

    private func send(_ message: DIMSEMessage) async throws {
        try await writer.send(message.presentationDataValues)
    }

    // MARK: - Streamed C-STORE

    private func startStream(contextID: UInt8, command: CommandSet, bytes: ByteBuffer) async throws {
        let context = association.contexts[contextID]!
        try checkPermission(.cStoreRequest)
        let target: StoreStream.Target
        switch await provider.beginStore(command: command, context: context, association: association) {
        case .sink(let sink): target = .sink(sink)
        case .refused(let answer): target = .discarded(answer)
        }
        stream = StoreStream(contextID: contextID, command: command, target: target)
        try await continueStream(bytes, isLast: false)
    }

    private func continueStream(_ bytes: ByteBuffer, isLast: Bool) async throws {
        guard var current = stream else { return }
        if case .sink(let sink) = current.target {
            do {
                try await sink.append(bytes)
            } catch {
                logger.info("C-STORE data set cannot be kept", metadata: ["error": "\(error)"])
                await sink.abandon()
                current.target = .discarded(
                    StoreAnswer(status: DIMSEStatus.outOfResources, errorComment: "the instance cannot be stored"))
            }
        }
        guard isLast else {
            stream = current
            return
        }
        stream = nil
        let answer: StoreAnswer
        switch current.target {
        case .sink(let sink): answer = await sink.finish()
        case .discarded(let refusal): answer = refusal
        }
        try await sendStoreAnswer(answer, to: current.command, contextID: current.contextID)
    }

    // MARK: - Query and retrieve

    private func perform(_ message: DIMSEMessage, context: AcceptedPresentationContext) async {
        let command = message.command
        let field = command.commandField!
        let responseField = CommandField(rawValue: field.rawValue | 0x8000)
        do {
            let identifier: DataSet
            do {
                guard let bytes = message.dataSet else { throw DICOMError(.truncated, "no identifier") }
                identifier = try DataSet(decoding: bytes, transferSyntax: TransferSyntax(uid: context.transferSyntax))
            } catch {
                try await sendFinal(
                    to: command, contextID: message.contextID, field: responseField,
                    status: DIMSEStatus.cannotUnderstand, comment: "the identifier cannot be read")
                return
            }
            if field == .cFindRequest {
                try await find(identifier, command: command, context: context)
            } else {
                try await retrieve(identifier, command: command, context: context, field: field)
            }
        } catch {
            logger.debug("DICOM operation ended", metadata: ["error": "\(error)"])
        }
    }

    private func find(_ identifier: DataSet, command: CommandSet, context: AcceptedPresentationContext) async throws {
        let answer = await provider.find(identifier, sopClass: context.abstractSyntax, association: association)
        let syntax = TransferSyntax(uid: context.transferSyntax)
        switch answer {
        case .failure(let status, let comment):
            try await sendFinal(
                to: command, contextID: context.id, field: .cFindResponse, status: status, comment: comment)
        case .matches(let matches):
            for match in matches {
                if shouldStop(command) {
                    try await sendFinal(
                        to: command, contextID: context.id, field: .cFindResponse, status: DIMSEStatus.cancel)
                    return
                }
                let response = CommandSet.response(
                    to: command, field: .cFindResponse, status: DIMSEStatus.pending, hasDataSet: true)
                let bytes = try match.encoded(in: syntax)
                try await send(DIMSEMessage(contextID: context.id, command: response, dataSet: bytes))
            }
            try await sendFinal(to: command, contextID: context.id, field: .cFindResponse, status: DIMSEStatus.success)
        }
    }

    private func retrieve(
        _ identifier: DataSet, command: CommandSet, context: AcceptedPresentationContext, field: CommandField
    ) async throws {
        let responseField = CommandField(rawValue: field.rawValue | 0x8000)
        let answer = await provider.retrieve(
            identifier, sopClass: context.abstractSyntax, operation: field == .cGetRequest ? .get : .move,
            association: association)
        guard case .instances(let instances) = answer else {
            if case .failure(let status, let comment) = answer {
                try await sendFinal(
                    to: command, contextID: context.id, field: responseField, status: status, comment: comment)
            }
            return
        }
        var progress = SubOperationProgress(remaining: instances.count)
        if field == .cGetRequest {
            for instance in instances {
                if shouldStop(command) { break }
                progress.record(await storeOnThisAssociation(instance))
                try await sendProgress(progress, to: command, contextID: context.id, field: responseField)
            }
        } else {
            let title = command.moveDestination ?? ""
            guard let destination = await provider.moveDestination(title, association: association) else {
                // Orthanc answers an unknown destination with 0xC000 and zero counts (no remaining count).
                var final = CommandSet.response(to: command, field: responseField, status: DIMSEStatus.moveFailed)
                SubOperationProgress(remaining: 0).write(to: &final, final: true)
                try await send(DIMSEMessage(contextID: context.id, command: final, dataSet: nil))
                return
            }
            let originator = (title: association.callingAETitle, messageID: command.messageID ?? 0)
            do {
                progress = try await DICOMConnector.withAssociation(
                    to: destination.remote, callingAETitle: destination.callingAETitle,
                    contexts: StoreSubOperation.proposals(for: instances), timeout: destination.timeout,
                    tls: destination.tls
                ) { client in
                    var progress = progress
                    for instance in instances {
                        if self.shouldStop(command) { break }
                        let status: UInt16
                        do {
                            status = try await client.store(instance, moveOriginator: originator)
                        } catch let failure as AssociationFailure {
                            if case .noPresentationContext = failure {
                                status = DIMSEStatus.outOfResourcesSubOperations
                            } else {
                                throw failure
                            }
                        }
                        progress.record(status)
                        try await self.sendProgress(progress, to: command, contextID: context.id, field: responseField)
                    }
                    return progress
                }
            } catch {
                logger.info("C-MOVE destination failed", metadata: ["destination": "\(title)", "error": "\(error)"])
                try await sendFinal(
                    to: command, contextID: context.id, field: responseField,
                    status: DIMSEStatus.outOfResourcesSubOperations, comment: "the move destination failed")
                return
            }
        }
        let status: UInt16
        if progress.remaining > 0 {
            status = DIMSEStatus.cancel
        } else if progress.failed > 0 || progress.warning > 0 {
            status =
                progress.completed == 0 && progress.warning == 0
                ? DIMSEStatus.outOfResourcesSubOperations
                : DIMSEStatus.subOperationsFailed
        } else {
            status = DIMSEStatus.success
        }
        var final = CommandSet.response(to: command, field: responseField, status: status)
        progress.write(to: &final, final: status != DIMSEStatus.cancel)
        try await send(DIMSEMessage(contextID: context.id, command: final, dataSet: nil))
    }

    /// A pending response with the counts so far, unless this was the last sub-operation.
    private func sendProgress(
        _ progress: SubOperationProgress, to command: CommandSet, contextID: UInt8, field: CommandField
    ) async throws {
        guard progress.remaining > 0 else { return }
        var pending = CommandSet.response(to: command, field: field, status: DIMSEStatus.pending)
        progress.write(to: &pending, final: false)
        try await send(DIMSEMessage(contextID: contextID, command: pending, dataSet: nil))
    }

    private func sendFinal(
        to command: CommandSet, contextID: UInt8, field: CommandField, status: UInt16, comment: String? = nil
    ) async throws {
        var response = CommandSet.response(to: command, field: field, status: status)
        if let comment { response.setString(CommandSet.errorCommentElement, String(comment.prefix(64)), padding: 0x20) }
        try await send(DIMSEMessage(contextID: contextID, command: response, dataSet: nil))
    }

    // MARK: - C-GET sub-operations on this association

    /// Sends one instance to the requestor as a C-STORE-RQ on this association and waits for its response.
    fileprivate func storeOnThisAssociation(_ instance: RetrievableInstance) async -> UInt16 {
        guard isOpen else { return DIMSEStatus.outOfResourcesSubOperations }
        guard association.requestorSCPRoles.contains(instance.sopClassUID) else {
            return DIMSEStatus.outOfResourcesSubOperations
        }
        let candidates = association.contexts.values.filter { $0.abstractSyntax == instance.sopClassUID }
        let prepared: (contextID: UInt8, bytes: ByteBuffer)
        do {
            guard let chosen = try await StoreSubOperation.prepare(instance, contexts: Array(candidates)) else {
                return DIMSEStatus.outOfResourcesSubOperations
            }
            prepared = chosen
        } catch {
            return DIMSEStatus.outOfResourcesSubOperations
        }
        let messageID = nextMessageID
        nextMessageID = nextMessageID == UInt16.max ? 1 : nextMessageID + 1
        var request = CommandSet.request(
            .cStoreRequest, messageID: messageID, sopClass: instance.sopClassUID, hasDataSet: true)
        request.setString(CommandSet.affectedSOPInstanceUID, instance.sopInstanceUID)
        do {
            try await send(DIMSEMessage(contextID: prepared.contextID, command: request, dataSet: prepared.bytes))
        } catch {
            return DIMSEStatus.outOfResourcesSubOperations
        }
        let status = await withCheckedContinuation { continuation in
            if isOpen {
                awaitingStoreResponses[messageID] = continuation
            } else {
                continuation.resume(returning: nil)
            }
        }
        return status ?? DIMSEStatus.outOfResourcesSubOperations
    }
}

/// The counts a C-MOVE or C-GET response carries (PS3.7 §9.3.3.2 and §9.3.4.2).
struct SubOperationProgress {
    var remaining: Int
    var completed = 0
    var failed = 0
    var warning = 0

    mutating func record(_ status: UInt16) {
        remaining -= 1
        if status == DIMSEStatus.success {
            completed += 1
        } else if status & 0xF000 == 0xB000 {
            warning += 1
        } else {
            failed += 1
        }
    }

    func write(to command: inout CommandSet, final: Bool) {
        if !final { command.setUInt16(CommandSet.remainingSubOperations, UInt16(clamping: remaining)) }
        command.setUInt16(CommandSet.completedSubOperations, UInt16(clamping: completed))
        command.setUInt16(CommandSet.failedSubOperations, UInt16(clamping: failed))
        command.setUInt16(CommandSet.warningSubOperations, UInt16(clamping: warning))
    }
}
