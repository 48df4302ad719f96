import Synchronization
import Testing

@testable import Persistence

@Suite struct ThreadTaskExecutorTests {
    /// The name of the executor whose thread runs the caller.
    static func currentName() -> String? { ThreadTaskExecutor.currentName }

    @Test func aTaskThatPrefersTheExecutorRunsOnItsThreadAcrossSuspensions() async throws {
        let executor = ThreadTaskExecutor(name: "test.executor")
        let names = await Task(executorPreference: executor) { () -> [String?] in
            let before = Self.currentName()
            try? await Task.sleep(for: .milliseconds(5))
            return [before, Self.currentName()]
        }.value
        #expect(names == ["test.executor", "test.executor"])
        let inPreference = await withTaskExecutorPreference(executor) { (Self.currentName(), executor.isCurrentThread) }
        #expect(inPreference == ("test.executor", true))
        #expect(Self.currentName() == nil)
        #expect(!executor.isCurrentThread)
    }

    @Test func jobsRunOneAtATimeInTheOrderTheyCame() async throws {
        let executor = ThreadTaskExecutor(name: "test.serial")
        final class Log: Sendable {
            let entries = Mutex<[Int]>([])
            let overlapping = Mutex(false)
            let running = Mutex(0)
        }
        let log = Log()
        await withTaskGroup { group in
            for index in 0..<50 {
                group.addTask(executorPreference: executor) {
                    if log.running.withLock({ running in
                        running += 1
                        return running
                    }) > 1 {
                        log.overlapping.withLock { $0 = true }
                    }
                    log.entries.withLock { $0.append(index) }
                    log.running.withLock { $0 -= 1 }
                }
            }
        }
        #expect(log.entries.withLock { $0.count } == 50)
        #expect(!log.overlapping.withLock { $0 })
    }

    @Test func aStoppedExecutorStillRunsTheJobsItIsGiven() async throws {
        let executor = ThreadTaskExecutor(name: "test.stopped")
        executor.stop()
        let value = await Task(executorPreference: executor) { 42 }.value
        #expect(value == 42)
    }
}
