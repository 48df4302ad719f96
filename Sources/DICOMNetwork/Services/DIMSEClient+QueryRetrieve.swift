package import DICOM

extension DIMSEClient {
    /// C-FIND: sends `identifier` on a context of `sopClass` and collects the matches until the final response.
    ///
    /// - Returns: the final status and the matches, each in the context's transfer syntax (``transferSyntax(for:)``).
    /// - Throws: ``AssociationFailure`` when no context of `sopClass` was accepted or the peer breaks the protocol.
    package func find(_ identifier: DataSet, sopClass: String) async throws -> FindOutcome {
        let context = try context(for: sopClass)
        let request = CommandSet.findRequest(messageID: takeMessageID(), sopClass: sopClass)
        var exchange = QueryRetrieveExchange(request: request)
        try await send(request, identifier, on: context)
        while try exchange.receive(try await nextMessage()) != .final {}
        return exchange.findOutcome
    }

    /// C-MOVE: asks the peer to send what `identifier` selects to the AE titled `destination`, and follows the
    /// pending responses until the final one.
    ///
    /// - Throws: ``AssociationFailure`` when no context of `sopClass` was accepted or the peer breaks the protocol.
    package func move(_ identifier: DataSet, destination: String, sopClass: String) async throws -> RetrieveOutcome {
        let context = try context(for: sopClass)
        let request = CommandSet.moveRequest(messageID: takeMessageID(), sopClass: sopClass, destination: destination)
        var exchange = QueryRetrieveExchange(request: request)
        try await send(request, identifier, on: context)
        while try exchange.receive(try await nextMessage()) != .final {}
        return exchange.outcome
    }

    /// C-GET: asks the peer for what `identifier` selects and answers each C-STORE sub-operation it sends on this
    /// association with the status `store` returns, until the final C-GET response.
    ///
    /// The association must have been negotiated with the SCP role for the storage SOP classes
    /// (``RoleSelection``, PS3.7 §D.3.3.4); a C-STORE on a context without a data set is answered with
    /// "cannot understand".
    ///
    /// On an association opened with `streaming`, a data set that grows beyond its threshold is not held: it goes to
    /// the sink `beginStore` gives, piece by piece as it arrives, and the sink's answer is the C-STORE status. A
    /// refused or failed stream is discarded; a stream cut by the end of the association is abandoned.
    ///
    /// - Throws: ``AssociationFailure`` when no context of `sopClass` was accepted or the peer breaks the protocol.
    package func get(
        _ identifier: DataSet, sopClass: String,
        beginStore: (CommandSet, AcceptedPresentationContext) async -> StoreDestination = { _, _ in
            .refused(StoreAnswer(status: DIMSEStatus.outOfResources, errorComment: "no place for a large data set"))
        },
        store: (ReceivedInstance) async -> UInt16
    ) async throws -> RetrieveOutcome {
        let context = try context(for: sopClass)
        let request = CommandSet.getRequest(messageID: takeMessageID(), sopClass: sopClass)
        var exchange = QueryRetrieveExchange(request: request)
        try await send(request, identifier, on: context)
        var stream: StreamedSubOperation?
        do {
            while true {
                let message: DIMSEMessage
                switch try await nextStep() {
                case .message(let whole): message = whole
                case .streamStarted(let contextID, let command, let held, let fragment):
                    guard let accepted = contexts[contextID] else {
                        throw AssociationFailure.aborted("a C-STORE on a context that was not accepted")
                    }
                    var started = StreamedSubOperation(
                        contextID: contextID, command: command, destination: await beginStore(command, accepted))
                    await started.append(held)
                    await started.append(fragment)
                    stream = started
                    continue
                case .streamContinued(let bytes, let isLast):
                    guard var current = stream else {
                        throw AssociationFailure.aborted("a data set fragment outside a C-STORE")
                    }
                    await current.append(bytes)
                    guard isLast else {
                        stream = current
                        continue
                    }
                    stream = nil
                    let answer = await current.finish()
                    let response = CommandSet.response(
                        to: current.command, field: .cStoreResponse, status: answer.status)
                    try await send(DIMSEMessage(contextID: current.contextID, command: response, dataSet: nil))
                    continue
                }
                guard message.command.commandField == .cStoreRequest else {
                    if try exchange.receive(message) == .final { return exchange.outcome }
                    continue
                }
                let status: UInt16
                if let instance = ReceivedInstance(storeRequest: message, contexts: contexts) {
                    status = await store(instance)
                } else {
                    status = DIMSEStatus.cannotUnderstand
                }
                let response = CommandSet.response(to: message.command, field: .cStoreResponse, status: status)
                try await send(DIMSEMessage(contextID: message.contextID, command: response, dataSet: nil))
            }
        } catch {
            // Nothing of a data set cut by the end of the association is kept.
            if let stream { await stream.abandon() }
            throw error
        }
    }

    /// The transfer syntax of the first accepted context of `sopClass`, in which its identifiers travel.
    package func transferSyntax(for sopClass: String) -> TransferSyntax? {
        contexts(for: sopClass).first.map { TransferSyntax(uid: $0.transferSyntax) }
    }
}
