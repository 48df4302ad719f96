import NIOCore

/// A C-STORE sub-operation of a C-GET whose data set is streamed to a sink as it arrives, on the requestor's side.
struct StreamedSubOperation {
    let contextID: UInt8
    let command: CommandSet
    /// Where the bytes go, or the answer of a refused or failed stream, whose bytes are then dropped.
    private var destination: StoreDestination

    init(contextID: UInt8, command: CommandSet, destination: StoreDestination) {
        self.contextID = contextID
        self.command = command
        self.destination = destination
    }

    /// Hands bytes to the sink; a sink that cannot take them is abandoned, and the rest of the data set dropped.
    mutating func append(_ bytes: ByteBuffer) async {
        guard case .sink(let sink) = destination, bytes.readableBytes > 0 else { return }
        do {
            try await sink.append(bytes)
        } catch {
            await sink.abandon()
            destination = .refused(
                StoreAnswer(status: DIMSEStatus.outOfResources, errorComment: "the instance cannot be stored"))
        }
    }

    /// The data set is complete: the sink's answer once the instance is stored, or the refusal.
    func finish() async -> StoreAnswer {
        switch destination {
        case .sink(let sink): await sink.finish()
        case .refused(let answer): answer
        }
    }

    /// The association ended before the last fragment: the sink removes what it kept.
    func abandon() async {
        if case .sink(let sink) = destination { await sink.abandon() }
    }
}
