import Foundation
import Testing

@testable import ContextBroker

/// The tenants found on disk at start, whose subscriptions are loaded then.
@Suite struct BrokerConfigurationTenantsTests {
    static func folder(with files: [String]) throws -> String {
        let folder = NSTemporaryDirectory() + "tenants-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in files {
            #expect(FileManager.default.createFile(atPath: folder + "/" + file, contents: Data()))
        }
        return folder
    }

    @Test func findsEachTenantFileOfTheDatabaseName() throws {
        var configuration = BrokerConfiguration()
        configuration.databaseFolder = try Self.folder(with: [
            "orion.sqlite", "orion-tenant_a.sqlite", "orion-b2.sqlite", "orion-b2.sqlite-wal", "other-c.sqlite",
            "orion-Bad.sqlite", "orion-.sqlite",
        ])
        #expect(configuration.storedTenants() == [])
        configuration.multiservice = true
        #expect(configuration.storedTenants() == ["b2", "tenant_a"])
    }

    @Test func followsAnExplicitDatabaseFile() throws {
        let folder = try Self.folder(with: ["ctx.sqlite", "ctx-one.sqlite", "orion-two.sqlite"])
        var configuration = BrokerConfiguration()
        configuration.multiservice = true
        configuration.databaseFile = folder + "/ctx.sqlite"
        #expect(configuration.storedTenants() == ["one"])
        #expect(configuration.databasePath(tenant: "one") == folder + "/ctx-one.sqlite")
    }
}
