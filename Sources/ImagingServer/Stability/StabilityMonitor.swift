import Synchronization

/// Tracks which patients, studies and series received an instance recently.
///
/// A resource is stable once `StableAge` seconds pass without a new instance; the monitor then logs
/// `StablePatient`, `StableStudy` or `StableSeries`. Like Orthanc, the state lives in the process: after a restart
/// every resource is stable.
package final class StabilityMonitor: Sendable {
    private struct Entry {
        let level: ResourceLevel
        var lastInstance: ContinuousClock.Instant
    }

    private let stableAge: Duration
    private let entries = Mutex<[OrthancID: Entry]>([:])

    package init(stableAgeSeconds: Int) {
        self.stableAge = .seconds(stableAgeSeconds)
    }

    /// Records that an instance arrived for these resources.
    package func touch(_ ids: ResourceIDs) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            entries[ids.patient] = Entry(level: .patient, lastInstance: now)
            entries[ids.study] = Entry(level: .study, lastInstance: now)
            entries[ids.series] = Entry(level: .series, lastInstance: now)
        }
    }

    /// Whether the resource has had no new instance for `StableAge` seconds.
    package func isStable(_ id: OrthancID) -> Bool {
        entries.withLock { $0[id] == nil }
    }

    /// Forgets a deleted resource.
    package func forget(_ id: OrthancID) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Removes and returns the resources that have become stable, deepest level first.
    package func takeStable(now: ContinuousClock.Instant = .now) -> [(ResourceLevel, OrthancID)] {
        entries.withLock { entries in
            let ripe = entries.filter { now - $0.value.lastInstance >= stableAge }
            for id in ripe.keys { entries.removeValue(forKey: id) }
            return ripe.map { ($0.value.level, $0.key) }.sorted { $0.0 > $1.0 }
        }
    }

    /// Logs the stable changes every second until cancelled.
    package func run(index: ImagingIndex) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(500))
            } catch {
                return
            }
            // One write for all the resources that became stable together: a large upload makes thousands.
            let changes = takeStable().compactMap { level, id in
                ChangeType.stable(level).map { (change: $0, id: id, level: level) }
            }
            try? await index.logChanges(changes)
        }
    }
}
