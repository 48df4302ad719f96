/// One job of the jobs engine, as `GET /jobs/{id}` shows it (Orthanc Book, "Jobs" in `users/advanced-rest.rst`).
package struct Job: Sendable {
    /// The states Atrium's jobs go through (Orthanc's `Paused` and `Retry` are not used).
    package enum State: String, Sendable {
        case pending = "Pending"
        case running = "Running"
        case success = "Success"
        case failure = "Failure"
    }

    /// A random UUID, lower-case, as Orthanc names jobs.
    package let id: String
    /// The job type (`Archive`).
    package let type: String
    /// `Priority` of the request: higher runs first.
    package let priority: Int
    /// Seconds since the epoch when the job was submitted.
    package let creationTime: Double
    package var state = State.pending
    /// 0 to 100.
    package var progress = 0
    package var startTime: Double?
    package var completionTime: Double?
    /// `ErrorCode` and `ErrorDescription`: 0 and "Success" unless the job failed.
    package var errorCode = 0
    package var errorDescription = "Success"
    /// `ErrorDetails`: the details of the error that made the job fail, empty otherwise.
    package var errorDetails = ""
    /// Type-specific details (`Content`).
    package var content: [String: JSONValue]
    /// The file the job produced (an archive), removed with the job.
    package var outputPath: String?
    /// Set by `POST /jobs/{id}/cancel` while the job runs; the job stops at its next progress report.
    package var isCancelRequested = false

    package var isFinished: Bool { state == .success || state == .failure }

    /// Seconds spent running (`EffectiveRuntime`).
    package func effectiveRuntime(now: Double) -> Double {
        guard let startTime else { return 0 }
        return max(0, (completionTime ?? now) - startTime)
    }
}
