import Foundation

extension BrokerConfiguration {
    /// The tenants whose databases are on disk (`<db>-<tenant>.sqlite` beside the default one), found so that the
    /// broker can load their subscriptions at start, as Orion's subscription cache loads every tenant's; empty
    /// without `-multiservice`.
    package func storedTenants() -> [String] {
        guard multiservice else { return [] }
        let folder: String
        let prefix: String
        if let databaseFile {
            folder = (databaseFile as NSString).deletingLastPathComponent
            var stem = (databaseFile as NSString).lastPathComponent
            if stem.hasSuffix(".sqlite") { stem.removeLast(".sqlite".count) }
            prefix = stem + "-"
        } else {
            folder = databaseFolder
            prefix = databaseName + "-"
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return names.compactMap { name -> String? in
            guard name.hasPrefix(prefix), name.hasSuffix(".sqlite") else { return nil }
            let tenant = String(name.dropFirst(prefix.count).dropLast(".sqlite".count))
            let valid =
                !tenant.isEmpty && tenant.utf8.count <= 50
                && tenant.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
            return valid ? tenant : nil
        }.sorted()
    }
}
