import Foundation

/// The jobs engine: submitted jobs, the ones running, and the history of finished ones.
///
/// Pending jobs run highest `Priority` first, then in submission order, at most `ConcurrentJobs` at a time, in
/// child tasks of ``run()``. Finished jobs stay listed until `JobsHistorySize` newer ones have finished; a
/// removed job's output file is deleted, as Orthanc forgets a job and its archive together. Jobs are not saved
/// across restarts (Orthanc's `SaveJobs` is not supported).
package actor JobRegistry {
    /// What a job does: it reports progress through the handle and returns the file it produced and its
    /// `Content`.
    package typealias Work = @Sendable (_ handle: JobHandle) async throws -> JobOutput

    private var jobs: [String: Job] = [:]
    private var work: [String: Work] = [:]
    private var finishedOrder: [String] = []
    private var runningCount = 0
    /// Callers of ``submitAndWait(type:priority:content:work:)``, by job ID.
    private var waiters: [String: CheckedContinuation<Result<Job, any Error>, Never>] = [:]
    private let historySize: Int
    private let concurrency: Int
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - historySize: `JobsHistorySize`, finished jobs kept.
    ///   - concurrency: `ConcurrentJobs`, jobs run at once (at least one).
    package init(historySize: Int = 10, concurrency: Int = 2) {
        self.historySize = max(0, historySize)
        self.concurrency = max(1, concurrency)
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a job and answers its ID.
    package func submit(type: String, priority: Int, content: [String: JSONValue], work: @escaping Work) -> String {
        let id = UUID().uuidString.lowercased()
        jobs[id] = Job(
            id: id, type: type, priority: priority, creationTime: OrthancTimestamp.epochSeconds(), content: content)
        self.work[id] = work
        wakeUp.yield()
        return id
    }

    /// Runs a job through the engine, as Orthanc runs a synchronous job (it is listed in `/jobs`), and waits for
    /// it to finish.
    ///
    /// - Returns: the finished job, with its `Content`.
    /// - Throws: what the work threw, so that the caller answers the same error a direct call would.
    package func submitAndWait(type: String, priority: Int, content: [String: JSONValue], work: @escaping Work)
        async throws -> Job
    {
        let id = submit(type: type, priority: priority, content: content, work: work)
        let result = await withCheckedContinuation { continuation in waiters[id] = continuation }
        return try result.get()
    }

    /// A job by ID, or nil when unknown or removed from the history.
    package func job(_ id: String) -> Job? { jobs[id] }

    /// All the jobs known, sorted by ID as Orthanc lists them.
    package func all() -> [Job] { jobs.values.sorted { $0.id < $1.id } }

    /// Cancels a job: a pending one fails at once, a running one at its next progress report, a finished one is
    /// left as it is (as Orthanc 1.10.1 does).
    ///
    /// - Returns: false when the job is unknown.
    package func cancel(_ id: String) -> Bool {
        guard var job = jobs[id] else { return false }
        switch job.state {
        case .pending:
            work[id] = nil
            waiters.removeValue(forKey: id)?.resume(returning: .failure(OrthancError(.canceledJob)))
            job.state = .failure
            job.completionTime = OrthancTimestamp.epochSeconds()
            job.errorCode = OrthancError.Code.canceledJob.orthancStatus
            job.errorDescription = OrthancError.Code.canceledJob.name
            jobs[id] = job
            recordFinished(id)
        case .running:
            jobs[id]?.isCancelRequested = true
        case .success, .failure:
            break
        }
        return true
    }

    /// Runs jobs until the calling task is cancelled; then waits for the running ones and removes every output.
    package func run() async {
        await withTaskGroup(of: Void.self) { group in
            for await _ in wakeUps {
                while runningCount < concurrency, let (id, work) = nextPending() {
                    runningCount += 1
                    let handle = JobHandle(id: id, registry: self)
                    group.addTask {
                        let result: Result<JobOutput, any Error>
                        do {
                            result = .success(try await work(handle))
                        } catch {
                            result = .failure(error)
                        }
                        await self.finish(id, result)
                    }
                }
            }
            group.cancelAll()
        }
        for waiter in waiters.values { waiter.resume(returning: .failure(CancellationError())) }
        waiters = [:]
        for job in jobs.values {
            if let path = job.outputPath { try? FileManager.default.removeItem(atPath: path) }
        }
        jobs = [:]
    }

    /// Whether a job was asked to stop; records its progress otherwise.
    func report(_ id: String, progress: Int) -> Bool {
        guard let job = jobs[id] else { return true }
        if job.isCancelRequested { return true }
        jobs[id]?.progress = min(100, max(job.progress, progress))
        return false
    }

    private func nextPending() -> (String, Work)? {
        let pending = jobs.values.filter { $0.state == .pending && work[$0.id] != nil }
        guard
            let next = pending.min(by: { left, right in
                left.priority != right.priority
                    ? left.priority > right.priority : left.creationTime < right.creationTime
            }), let body = work.removeValue(forKey: next.id)
        else { return nil }
        jobs[next.id]?.state = .running
        jobs[next.id]?.startTime = OrthancTimestamp.epochSeconds()
        return (next.id, body)
    }

    private func finish(_ id: String, _ result: Result<JobOutput, any Error>) {
        runningCount -= 1
        wakeUp.yield()
        let waiter = waiters.removeValue(forKey: id)
        guard var job = jobs[id] else {
            waiter?.resume(
                returning: result.map { _ in Job(id: id, type: "", priority: 0, creationTime: 0, content: [:]) })
            if case .success(let output) = result, let path = output.path {
                try? FileManager.default.removeItem(atPath: path)
            }
            return
        }
        job.completionTime = OrthancTimestamp.epochSeconds()
        switch result {
        case .success(let output):
            job.state = .success
            job.progress = 100
            job.outputPath = output.path
            job.content.merge(output.content) { _, new in new }
        case .failure(let error):
            let code = (error as? OrthancError)?.code ?? .internalError
            job.state = .failure
            job.errorCode = code.orthancStatus
            job.errorDescription = code.name
            job.errorDetails = (error as? OrthancError)?.details ?? ""
        }
        jobs[id] = job
        waiter?.resume(returning: result.map { _ in job })
        recordFinished(id)
    }

    /// Adds a finished job to the history and forgets the oldest beyond `JobsHistorySize`.
    private func recordFinished(_ id: String) {
        finishedOrder.append(id)
        while finishedOrder.count > historySize {
            let oldest = finishedOrder.removeFirst()
            if let path = jobs.removeValue(forKey: oldest)?.outputPath {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}
