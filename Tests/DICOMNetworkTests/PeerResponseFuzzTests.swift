import DICOM
import DICOMNetwork
import Foundation
import NIOCore
import Testing

/// A deterministic mutation fuzzer of what a remote SCP answers Atrium as SCU, and of the PDU sequences an
/// acceptor sees: mutated C-FIND, C-MOVE and C-GET responses fed to ``QueryRetrieveExchange``, mutated C-STORE
/// requests of a C-GET read as ``ReceivedInstance``, and random PDU orders driven through
/// ``AcceptorStateMachine``. Every mutant must be taken or refused with the layer's error; a crash fails the test
/// process. `ATRIUM_FUZZ_ITERATIONS` sets the number of mutants, as for ``UpperLayerFuzzTests``.
@Suite struct PeerResponseFuzzTests {
    typealias Generator = UpperLayerFuzzTests.Generator

    private static var iterations: Int {
        ProcessInfo.processInfo.environment["ATRIUM_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 2_000
    }

    static func responseSeeds(to request: CommandSet, field: CommandField) -> [[UInt8]] {
        var pending = CommandSet.response(to: request, field: field, status: DIMSEStatus.pending, hasDataSet: true)
        pending.setUInt16(CommandSet.remainingSubOperations, 3)
        pending.setUInt16(CommandSet.completedSubOperations, 1)
        var final = CommandSet.response(to: request, field: field, status: 0xB000)
        final.setUInt16(CommandSet.failedSubOperations, 2)
        final.setString(CommandSet.errorCommentElement, "some failed")
        return [pending, final].map { Array($0.encoded().readableBytesView) }
    }

    @Test func mutatedResponsesAreTakenOrRefused() {
        var generator = Generator(state: 0x5C0_FFEE)
        let sopClass = "1.2.840.10008.5.1.4.1.2.2.1"
        let requests: [(CommandSet, CommandField)] = [
            (CommandSet.findRequest(messageID: 3, sopClass: sopClass), .cFindResponse),
            (CommandSet.moveRequest(messageID: 4, sopClass: sopClass, destination: "DEST"), .cMoveResponse),
            (CommandSet.getRequest(messageID: 5, sopClass: sopClass), .cGetResponse),
        ]
        let seeds = requests.map { Self.responseSeeds(to: $0.0, field: $0.1) }
        for iteration in 0..<Self.iterations {
            let pick = iteration % requests.count
            var exchange = QueryRetrieveExchange(request: requests[pick].0, maximumMatchBytes: 4096)
            for seed in seeds[pick] {
                let mutant = UpperLayerFuzzTests.mutate(seed, using: &generator)
                guard let command = try? CommandSet(decoding: ByteBuffer(bytes: mutant)) else { continue }
                let match = ByteBuffer(repeating: 1, count: Int.random(in: 0...3000, using: &generator))
                let message = DIMSEMessage(contextID: 1, command: command, dataSet: command.hasDataSet ? match : nil)
                do {
                    if try exchange.receive(message) == .final { break }
                } catch {
                    break
                }
            }
        }
    }

    @Test func mutatedStoreRequestsOfAGetAreReadOrRefused() {
        var generator = Generator(state: 0x6E7_5702)
        var request = CommandSet.request(
            .cStoreRequest, messageID: 8, sopClass: "1.2.840.10008.5.1.4.1.1.2", hasDataSet: true)
        request.setString(CommandSet.affectedSOPInstanceUID, "1.2.3.4.5")
        let seed = Array(request.encoded().readableBytesView)
        let contexts: [UInt8: AcceptedPresentationContext] = [
            1: AcceptedPresentationContext(
                id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2", transferSyntax: "1.2.840.10008.1.2.1")
        ]
        var read = 0
        for _ in 0..<Self.iterations {
            let mutant = UpperLayerFuzzTests.mutate(seed, using: &generator)
            guard let command = try? CommandSet(decoding: ByteBuffer(bytes: mutant)) else { continue }
            let contextID = UInt8.random(in: 0...3, using: &generator)
            let message = DIMSEMessage(contextID: contextID, command: command, dataSet: ByteBuffer(bytes: [0, 1]))
            if let instance = ReceivedInstance(storeRequest: message, contexts: contexts) {
                #expect(contexts[contextID] != nil)
                #expect(!instance.sopInstanceUID.isEmpty)
                read += 1
            }
        }
        #expect(read > 0)
    }

    @Test func randomPDUOrdersEndClosedOrEstablished() {
        var generator = Generator(state: 0xACC_E970)
        let request = AssociationPolicyTests.request(contexts: [AcceptorStateMachineTests.echoContext])
        let pdus: [PDU] = [
            .associateRequest(request),
            .associateAccept(
                AssociateAccept(
                    calledAETitle: "ATRIUM", callingAETitle: "MODALITY", presentationContexts: [],
                    userInformation: UserInformation())),
            .associateReject(.noReason), .data([]), .releaseRequest, .releaseResponse, .abort(.serviceUser),
        ]
        for _ in 0..<Self.iterations {
            var machine = AcceptorStateMachineTests.machine(admitted: Bool.random(using: &generator))
            var sessions = 0
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let actions: [AcceptorStateMachine.Action]
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: actions = machine.transportClosed()
                case 1: actions = machine.violated(UpperLayerError(.invalidParameterValue, "bad"))
                case 2: actions = machine.sessionFailed("failed")
                default: actions = machine.received(pdus[Int.random(in: 0..<pdus.count, using: &generator)])
                }
                for action in actions {
                    if case .startSession = action { sessions += 1 }
                    if case .endSession = action { sessions -= 1 }
                }
                // A session is started at most once and ended exactly once it was started and the machine closed.
                #expect(sessions == 0 || sessions == 1)
                if machine.state == .closed || machine.state == .releasing { #expect(sessions == 0) }
            }
        }
    }

    @Test func mutatedStorageCommitmentDataSetsAreTakenOrRefused() throws {
        var generator = Generator(state: 0x5C_0417)
        let references = [
            SOPReference(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.4"),
            SOPReference(sopClassUID: "1.2.840.10008.5.1.4.1.1.4", sopInstanceUID: "1.2.3.5"),
        ]
        let request = StorageCommitmentRequest(transactionUID: "1.2.3.9", references: references)
        let result = StorageCommitmentResult(
            transactionUID: "1.2.3.9", committed: [references[0]],
            failures: [StorageCommitmentResult.Failure(reference: references[1], reason: 0x0112)])
        let syntax = TransferSyntax(uid: "1.2.840.10008.1.2")
        let seeds = [
            Array(try request.actionInformation.encoded(in: syntax).readableBytesView),
            Array(try result.eventInformation.encoded(in: syntax).readableBytesView),
        ]
        var taken = 0
        for iteration in 0..<Self.iterations {
            let mutant = UpperLayerFuzzTests.mutate(seeds[iteration % 2], using: &generator)
            guard let dataSet = try? DataSet(decoding: ByteBuffer(bytes: mutant), transferSyntax: syntax) else {
                continue
            }
            if iteration % 2 == 0 {
                if let parsed = try? StorageCommitmentRequest(actionInformation: dataSet) {
                    #expect(!parsed.transactionUID.isEmpty)
                    taken += 1
                }
            } else if (try? StorageCommitmentResult(eventInformation: dataSet, eventType: 2)) != nil {
                taken += 1
            }
        }
        #expect(taken > 0)
    }
}
