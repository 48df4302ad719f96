/// A running job's link to the engine, to report progress and learn of a cancellation.
package struct JobHandle: Sendable {
    package let id: String
    let registry: JobRegistry

    /// Records the progress, as a fraction of the work done.
    ///
    /// - Throws: `OrthancError.canceledJob` when the job was cancelled, `CancellationError` when the engine is
    ///   stopping (the server shuts down), so that a long job does not hold the shutdown back.
    package func report(_ fraction: Double) async throws {
        try Task.checkCancellation()
        let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        if await registry.report(id, progress: percent) {
            throw OrthancError(.canceledJob)
        }
    }
}
