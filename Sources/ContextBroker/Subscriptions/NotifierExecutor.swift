import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A task executor with one thread of its own, at a lower scheduling priority than the server's: the
/// subscription notifier runs on it, so that matching and building notifications yield the processors to the
/// requests when both want them.
///
/// Under a load of notifications it cannot keep up with, the notifier then falls behind instead of slowing the
/// writes: the change queue fills and drops (as Orion's notification queue does) while the API keeps its rate.
/// Jobs run in order, one at a time.
final class NotifierExecutor: TaskExecutor, Sendable {
    /// The nice value of the thread (Linux gives each thread its own): 10 weighs about a tenth of a default
    /// thread when both are runnable.
    static let niceness: Int32 = 10

    private let jobs = Mutex<[UnownedJob]>([])
    private let available = DispatchSemaphore(value: 0)

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        jobs.withLock { $0.append(unowned) }
        available.signal()
    }

    private func run() {
        #if canImport(Glibc)
            // PRIO_PROCESS with 0 is the calling thread on Linux.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        #endif
        var batch: [UnownedJob] = []
        while true {
            available.wait()
            batch = jobs.withLock { jobs in
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            // The semaphore counted each job: take back the signals of those taken beyond the first.
            for _ in 1..<max(batch.count, 1) { available.wait() }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
