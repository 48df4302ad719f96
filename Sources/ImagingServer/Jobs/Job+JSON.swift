extension Job {
    /// The job as `GET /jobs/{id}` answers it (Orthanc 1.10.1's fields: `CompletionTime` only once finished,
    /// `EstimatedTimeOfArrival` only while running).
    ///
    /// - Parameter now: the current time in seconds since the epoch, for `Timestamp` and running times.
    package func json(now: Double) -> JSONValue {
        var members: [String: JSONValue] = [
            "ID": .string(id),
            "Type": .string(type),
            "State": .string(state.rawValue),
            "Progress": .int(Int64(progress)),
            "Priority": .int(Int64(priority)),
            "CreationTime": .string(OrthancTimestamp.string(epochSeconds: creationTime)),
            "EffectiveRuntime": .double(effectiveRuntime(now: now)),
            "ErrorCode": .int(Int64(errorCode)),
            "ErrorDescription": .string(errorDescription),
            "ErrorDetails": .string(errorDetails),
            "Content": .object(content),
            "Timestamp": .string(OrthancTimestamp.string(epochSeconds: now)),
        ]
        if let completionTime {
            members["CompletionTime"] = .string(OrthancTimestamp.string(epochSeconds: completionTime))
        }
        if state == .running, let startTime, progress > 0 {
            let elapsed = now - startTime
            let remaining = elapsed * Double(100 - progress) / Double(progress)
            members["EstimatedTimeOfArrival"] = .string(OrthancTimestamp.string(epochSeconds: now + remaining))
        }
        return .object(members)
    }
}
