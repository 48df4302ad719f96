/// A running job's link to the engine, to report progress and learn of a cancellation.
package struct JobHandle: Sendable {
    package let id: String
    let registry: JobRegistry

    /// Records the progress, as a fraction of the work done.
    ///
    /// - Throws: `OrthancError.canceledJob` when the job was cancelled.
    package func report(_ fraction: Double) async throws {
        let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        if await registry.report(id, progress: percent) {
            throw OrthancError(.canceledJob)
        }
    }
}
