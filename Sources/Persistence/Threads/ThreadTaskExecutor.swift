import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A task executor that runs its jobs, in order, on one thread of its own.
///
/// Blocking calls (a SQLite step, an `fsync`) made by a task that prefers this executor block this thread, not
/// one of the few threads of Swift's cooperative pool. The thread ends when ``stop()`` is called or the executor
/// is released; jobs enqueued after that are still run, on the caller's thread, so that no task is stranded.
package final class ThreadTaskExecutor: TaskExecutor {
    private let queue: JobQueue

    /// Starts the thread.
    /// - Parameters:
    ///   - name: the thread's name, as debuggers and `top -H` show it.
    ///   - niceness: the thread's nice value (Linux gives each thread its own): 10 weighs about a tenth of a
    ///     default thread when both are runnable, for background work that must yield to requests.
    package init(name: String, niceness: Int32 = 0) {
        let queue = JobQueue()
        self.queue = queue
        let thread = Thread {
            #if canImport(Glibc)
                // PRIO_PROCESS with 0 is the calling thread on Linux.
                if niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
            #endif
            Thread.current.threadDictionary[Self.threadNameKey] = name
            queue.run()
        }
        thread.name = name
        thread.start()
    }

    deinit { queue.stop() }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        if !queue.submit(job, executor) { job.runSynchronously(on: executor) }
    }

    /// The name of the executor whose thread runs the caller, or `nil` on any other thread (Linux truncates
    /// thread names to 15 bytes, so `Thread.name` cannot tell).
    package static var currentName: String? {
        Thread.current.threadDictionary[threadNameKey] as? String
    }

    fileprivate static let threadNameKey = "atrium.executor"

    /// Whether the calling code runs on this executor's thread.
    package var isCurrentThread: Bool { queue.isCurrentThread }

    /// Lets the thread finish the jobs already enqueued and end.
    package func stop() { queue.stop() }
}

/// The jobs waiting for the thread, and the loop the thread runs.
private final class JobQueue: Sendable {
    private struct State {
        var jobs: [(UnownedJob, UnownedTaskExecutor)] = []
        var stopping = false
        var thread: Thread?
    }

    private let state = Mutex(State())
    /// Signalled once per job enqueued, and on `stop`.
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Adds `job`, to be run on `executor`; returns `false` when the thread has stopped and will not run it.
    func submit(_ job: UnownedJob, _ executor: UnownedTaskExecutor) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.jobs.append((job, executor))
            return true
        }
        if accepted { wakeUp.signal() }
        return accepted
    }

    var isCurrentThread: Bool { state.withLock { $0.thread } === Thread.current }

    func stop() {
        let wasStopping = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.stopping
        }
        if !wasStopping { wakeUp.signal() }
    }

    /// The thread's loop: runs jobs as they come, and returns once stopped with no job left.
    func run() {
        state.withLock { $0.thread = Thread.current }
        while true {
            wakeUp.wait()
            let next = state.withLock { state -> ((UnownedJob, UnownedTaskExecutor)?, Bool) in
                (state.jobs.isEmpty ? nil : state.jobs.removeFirst(), state.stopping)
            }
            if let (job, executor) = next.0 {
                job.runSynchronously(on: executor)
            } else if next.1 {
                return
            }
        }
    }
}
