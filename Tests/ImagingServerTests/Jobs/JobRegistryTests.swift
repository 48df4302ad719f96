import Foundation
import Synchronization
import Testing

@testable import ImagingServer

/// Job bodies that loop until stopped yield at each turn: a loop of actor calls alone never gives its thread
/// back, and would starve the other tests of the cooperative pool.
@Suite struct JobRegistryTests {
    /// The condition of ``waitUntil(_:)`` did not hold in time.
    struct ConditionTimedOut: Error {}

    /// Waits until `condition` holds, polling the registry, for at most two minutes: in CI the whole suite runs
    /// in parallel on two cores, and the fuzz tests can keep the cooperative threads busy for a minute; a passing
    /// wait ends as soon as the condition holds.
    static func waitUntil(_ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw ConditionTimedOut() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Runs the engine while `body` runs.
    static func withEngine(_ registry: JobRegistry, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await registry.run() }
            try await body()
            group.cancelAll()
        }
    }

    @Test func submitAndWaitAnswersTheFinishedJobOrItsError() async throws {
        let registry = JobRegistry(historySize: 10, concurrency: 2)
        try await Self.withEngine(registry) {
            let job = try await registry.submitAndWait(type: "DicomMoveScu", priority: 0, content: ["Query": []]) {
                _ in JobOutput(path: nil, content: [:])
            }
            #expect(job.state == .success && job.content == ["Query": []])
            #expect(await registry.job(job.id)?.type == "DicomMoveScu")
            await #expect(throws: OrthancError(.networkProtocol)) {
                try await registry.submitAndWait(type: "DicomMoveScu", priority: 0, content: [:]) { _ in
                    throw OrthancError(.networkProtocol, "C-MOVE failed")
                }
            }
            #expect(await registry.all().map(\.state).sorted { $0.rawValue < $1.rawValue } == [.failure, .success])
        }
    }

    @Test func aFailedJobShowsItsErrorAndDetails() async throws {
        let registry = JobRegistry(historySize: 10, concurrency: 1)
        try await Self.withEngine(registry) {
            let id = await registry.submit(type: "DicomModalityStore", priority: 0, content: [:]) { _ in
                throw OrthancError(.networkProtocol, "C-STORE SCU to AET \"PEER\" has failed with DIMSE status 0xA700")
            }
            try await Self.waitUntil { await registry.job(id)?.isFinished == true }
            let job = try #require(await registry.job(id))
            #expect(job.state == .failure)
            #expect(job.errorCode == 9 && job.errorDescription == "Error in the network protocol")
            #expect(job.errorDetails == "C-STORE SCU to AET \"PEER\" has failed with DIMSE status 0xA700")
            #expect(job.json(now: 0)["ErrorDetails"] == .string(job.errorDetails))
        }
    }

    @Test func runsAJobToSuccessAndKeepsItsOutput() async throws {
        let registry = JobRegistry(historySize: 10, concurrency: 2)
        try await Self.withEngine(registry) {
            let id = await registry.submit(type: "Archive", priority: 0, content: ["Description": "REST API"]) {
                handle in
                try await handle.report(0.5)
                return JobOutput(path: nil, content: ["InstancesCount": 2])
            }
            try await Self.waitUntil { await registry.job(id)?.isFinished == true }
            let job = try #require(await registry.job(id))
            #expect(job.state == .success)
            #expect(job.progress == 100)
            #expect(job.errorCode == 0)
            #expect(job.errorDescription == "Success")
            #expect(job.content == ["Description": "REST API", "InstancesCount": 2])
            #expect(job.completionTime != nil)
            #expect(await registry.all().map(\.id) == [id])
        }
    }

    @Test func aFailingJobRecordsItsError() async throws {
        let registry = JobRegistry()
        try await Self.withEngine(registry) {
            let id = await registry.submit(type: "Archive", priority: 0, content: [:]) { _ in
                throw OrthancError(.unknownResource)
            }
            try await Self.waitUntil { await registry.job(id)?.isFinished == true }
            let job = try #require(await registry.job(id))
            #expect(job.state == .failure)
            #expect(job.errorCode == 17)
            #expect(job.errorDescription == "Unknown resource")
        }
    }

    @Test func cancelsPendingAndRunningJobs() async throws {
        let registry = JobRegistry(historySize: 10, concurrency: 1)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        try await Self.withEngine(registry) {
            let running = await registry.submit(type: "Archive", priority: 0, content: [:]) { handle in
                try await handle.report(0.3)
                startedContinuation.yield()
                while true {
                    await Task.yield()
                    try await handle.report(0.3)
                }
            }
            var iterator = started.makeAsyncIterator()
            await iterator.next()
            let pending = await registry.submit(type: "Archive", priority: 0, content: [:]) { _ in
                JobOutput(path: nil, content: [:])
            }
            #expect(await registry.job(pending)?.state == .pending)
            #expect(await registry.cancel(pending))
            #expect(await registry.cancel(running))
            #expect(await !registry.cancel("unknown"))
            try await Self.waitUntil { await registry.job(running)?.isFinished == true }
            for id in [pending, running] {
                let job = try #require(await registry.job(id))
                #expect(job.state == .failure)
                #expect(job.errorCode == 37)
                #expect(job.errorDescription == "This job was canceled")
            }
            #expect(await registry.job(running)?.progress == 30)
        }
    }

    @Test func stoppingTheEngineStopsRunningJobs() async throws {
        let registry = JobRegistry()
        let (started, startedContinuation) = AsyncStream.makeStream(of: String.self)
        try await Self.withEngine(registry) {
            _ = await registry.submit(type: "Archive", priority: 0, content: [:]) { handle in
                startedContinuation.yield(handle.id)
                while true {
                    await Task.yield()
                    try await handle.report(0.1)
                }
            }
            var iterator = started.makeAsyncIterator()
            #expect(await iterator.next() != nil)
        }
        // The engine returned: the endless job stopped at its next report, and the engine forgot it.
        #expect(await registry.all().isEmpty)
    }

    @Test func runsHigherPrioritiesFirst() async throws {
        let registry = JobRegistry(historySize: 10, concurrency: 1)
        let order = OrderRecorder()
        // Jobs are all queued before the engine starts, so that the choice among them is by priority alone.
        var ids: [String] = []
        for priority in [0, 5, 1] {
            ids.append(
                await registry.submit(type: "Archive", priority: priority, content: [:]) { _ in
                    order.append(priority)
                    return JobOutput(path: nil, content: [:])
                })
        }
        try await Self.withEngine(registry) {
            try await Self.waitUntil { await registry.all().allSatisfy(\.isFinished) }
        }
        #expect(order.values == [5, 1, 0])
    }

    @Test func forgetsJobsBeyondTheHistorySizeWithTheirFiles() async throws {
        let registry = JobRegistry(historySize: 1, concurrency: 1)
        let folder = NSTemporaryDirectory() + "atrium-jobs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.withEngine(registry) {
            var ids: [String] = []
            for number in 0..<2 {
                let path = folder + "/\(number).zip"
                let id = await registry.submit(type: "Archive", priority: 0, content: [:]) { _ in
                    _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))
                    return JobOutput(path: path, content: [:])
                }
                try await Self.waitUntil { await registry.job(id)?.isFinished == true }
                ids.append(id)
            }
            #expect(await registry.job(ids[0]) == nil)
            #expect(!FileManager.default.fileExists(atPath: folder + "/0.zip"))
            #expect(await registry.job(ids[1])?.outputPath == folder + "/1.zip")
            #expect(FileManager.default.fileExists(atPath: folder + "/1.zip"))
        }
        // Stopping the engine removes the outputs left.
        #expect(!FileManager.default.fileExists(atPath: folder + "/1.zip"))
    }
}

/// Collects values from concurrent job bodies.
private final class OrderRecorder: Sendable {
    private let storage = Mutex<[Int]>([])

    func append(_ value: Int) { storage.withLock { $0.append(value) } }

    var values: [Int] { storage.withLock { $0 } }
}
