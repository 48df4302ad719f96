import Testing

@testable import ImagingServer

@Suite struct JobJSONTests {
    /// 2026-11-30 12:07:58.039881 UTC.
    static let creation = 1_796_040_478.039881

    @Test func rendersARunningJob() {
        var job = Job(
            id: "0e8dfd1e-d2fc-4d5c-9010-3c0312436251", type: "Archive", priority: 3, creationTime: Self.creation,
            content: ["Description": "REST API"])
        job.state = .running
        job.startTime = Self.creation + 1
        job.progress = 50
        let json = job.json(now: Self.creation + 3)
        #expect(
            json == [
                "ID": "0e8dfd1e-d2fc-4d5c-9010-3c0312436251", "Type": "Archive", "State": "Running", "Progress": 50,
                "Priority": 3, "CreationTime": "20261130T120758.039881", "EffectiveRuntime": .double(2),
                "ErrorCode": 0, "ErrorDescription": "Success", "ErrorDetails": "",
                "Content": ["Description": "REST API"], "Timestamp": "20261130T120801.039881",
                "EstimatedTimeOfArrival": "20261130T120803.039881",
            ])
    }

    @Test func rendersAFinishedJob() {
        var job = Job(id: "j", type: "Archive", priority: 0, creationTime: Self.creation, content: [:])
        job.state = .failure
        job.startTime = Self.creation
        job.completionTime = Self.creation + 0.5
        job.errorCode = 37
        job.errorDescription = "This job was canceled"
        let json = job.json(now: Self.creation + 10)
        #expect(json["CompletionTime"] == "20261130T120758.539881")
        #expect(json["EffectiveRuntime"] == .double(0.5))
        #expect(json["State"] == "Failure")
        #expect(json["ErrorCode"] == 37)
        #expect(json["EstimatedTimeOfArrival"] == nil)
    }
}
