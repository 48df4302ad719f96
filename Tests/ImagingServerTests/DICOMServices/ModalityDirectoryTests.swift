import Foundation
import Testing

@testable import ImagingServer

@Suite struct ModalityDirectoryTests {
    @Test func eachChangeAnswersTheListAfterItWithAHigherRevision() {
        let first = RemoteModality(applicationEntityTitle: "A", host: "127.0.0.1", port: 104)
        let second = RemoteModality(applicationEntityTitle: "B", host: "127.0.0.1", port: 105)
        let directory = ModalityDirectory(["a": first], strictAETComparison: false, revision: 4)
        let added = directory.set(second, named: "b")
        #expect(added == .init(modalities: ["a": first, "b": second], revision: 5))
        #expect(directory.remove(named: "a") == .init(modalities: ["b": second], revision: 6))
        #expect(directory.remove(named: "a") == nil)
        #expect(directory.all == ["b": second])
    }

    @Test func theIndexKeepsTheNewestListOnly() async throws {
        let folder = NSTemporaryDirectory() + "atrium-modalities-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try ImagingIndex(path: folder + "/index.sqlite")
        await #expect(try index.savedModalities() == nil)
        var full = RemoteModality(applicationEntityTitle: "FULL", host: "localhost", port: 11112)
        full.manufacturer = "GE"
        full.allowFind = false
        full.localApplicationEntityTitle = "ME"
        full.timeout = 3
        let newer = ModalityDirectory.Snapshot(modalities: ["full": full], revision: 2)
        try await index.saveModalities(newer)
        // A change that reaches the writer after a later one does not undo it.
        try await index.saveModalities(.init(modalities: [:], revision: 1))
        await #expect(try index.savedModalities() == newer)
        let reopened = try ImagingIndex(path: folder + "/index.sqlite")
        await #expect(try reopened.savedModalities() == newer)
    }
}
