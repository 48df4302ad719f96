package import NIOCore

/// Where a C-STORE data set too large to hold in memory goes, fragment by fragment, as it arrives.
///
/// The session calls ``append(_:)`` for each fragment in order (the first holds the bytes received before the
/// stream started), then exactly one of ``finish()`` or ``abandon()``. Each call is awaited before the next PDU is
/// read, so a slow disk slows the sender instead of filling memory.
package protocol DataSetSink: Sendable {
    /// Takes the next bytes of the data set.
    ///
    /// - Throws: when the bytes cannot be kept (a full disk); the session then abandons the sink, discards the rest
    ///   of the data set and answers the C-STORE with status 0xA700 (out of resources).
    func append(_ fragment: ByteBuffer) async throws

    /// The data set is complete: stores it and returns the answer to the C-STORE, once the instance is durable.
    func finish() async -> StoreAnswer

    /// The transfer stopped (abort, broken connection, failed append): removes whatever was kept.
    func abandon() async
}
