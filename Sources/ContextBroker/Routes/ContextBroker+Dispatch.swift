import Foundation
import Persistence

extension ContextBroker {
    /// Runs one route.
    func dispatch(_ route: Route, _ request: NGSIRequest) async throws -> NGSIResponse {
        // `/version` takes `options=libVersions` and, as Orion, ignores any other option.
        if route == .version { return version(libraryVersions: request.has("libVersions")) }
        try checkOptions(request)
        switch (route, request.method) {
        case (.version, _): return version(libraryVersions: false)
        case (.entryPoints, _): return entryPoints()
        case (.entities, "GET"): return try await listEntities(request)
        case (.entities, _): return try await createEntity(request)
        case (.entity, "GET"): return try await retrieveEntity(request, attributesOnly: false)
        case (.entity, _): return try await deleteEntity(request)
        case (.entityAttributes, "GET"): return try await retrieveEntity(request, attributesOnly: true)
        case (.entityAttributes, "POST"): return try await appendAttributes(request)
        case (.entityAttributes, "PATCH"): return try await updateAttributes(request)
        case (.entityAttributes, _): return try await replaceAttributes(request)
        case (.attribute, "GET"): return try await retrieveAttribute(request)
        case (.attribute, "PUT"): return try await updateAttribute(request)
        case (.attribute, _): return try await deleteAttribute(request)
        case (.attributeValue, "GET"): return try await retrieveAttributeValue(request)
        case (.attributeValue, _): return try await updateAttributeValue(request)
        case (.types, _): return try await listTypes(request)
        case (.type, _): return try await retrieveType(request)
        case (.subscriptions, "GET"): return try await listSubscriptions(request)
        case (.subscriptions, _): return try await createSubscription(request)
        case (.subscription, "GET"): return try await retrieveSubscription(request)
        case (.subscription, "PATCH"): return try await updateSubscription(request)
        case (.subscription, _): return try await deleteSubscription(request)
        case (.batchUpdate, _): return try await batchUpdate(request)
        case (.batchQuery, _): return try await batchQuery(request)
        case (.statistics, "GET"): return statisticsReport()
        case (.statistics, _): return resetStatistics()
        case (.cacheStatistics, "GET"): return cacheStatisticsReport()
        case (.cacheStatistics, _): return resetCacheStatistics()
        case (.adminLog, "GET"): return logReport()
        case (.adminLog, _): return try changeLog(request)
        }
    }

    private static let knownOptions: Set<String> = [
        "count", "keyValues", "values", "unique", "append", "upsert", "overrideMetadata", "forcedUpdate",
        "flowControl", "skipForwarding", "noAttrDetail", "fullCounters", "normalized",
    ]

    private func checkOptions(_ request: NGSIRequest) throws(NGSIError) {
        for option in request.options where !Self.knownOptions.contains(String(option)) {
            throw NGSIError(.badRequest, "Invalid value for URI param /options/")
        }
    }

    /// `GET /version`, in Orion's own indented layout; with `options=libVersions` (Orion 4.0), the versions of
    /// the libraries it runs on, here Atrium's database engine.
    func version(libraryVersions: Bool) -> NGSIResponse {
        let uptime = Int(Date().timeIntervalSince(startTime))
        let libraries =
            libraryVersions ? ",\n  \"libversions\" : {\n    \"sqlite\" : \"\(SQLiteLibrary.version)\"\n  }" : ""
        let text = """
            {
            "orion" : {
              "version" : "\(Self.orionVersion)",
              "uptime" : "\(uptime / 86400) d, \(uptime / 3600 % 24) h, \(uptime / 60 % 60) m, \(uptime % 60) s",
              "git_hash" : "nogitversion",
              "compile_time" : "nodate",
              "compiled_by" : "atrium",
              "compiled_in" : "atrium",
              "release_date" : "nodate",
              "machine" : "\(Self.machine)",
              "doc" : "https://fiware-orion.rtfd.io/en/\(Self.orionVersion)/"\(libraries)
            }
            }

            """
        return NGSIResponse(status: 200, body: text)
    }

    /// The Orion release whose API Atrium answers.
    static let orionVersion = "4.7.0"

    static var machine: String {
        #if arch(x86_64)
            return "x86_64"
        #elseif arch(arm64)
            return "aarch64"
        #else
            return "unknown"
        #endif
    }

    /// `GET /v2`.
    func entryPoints() -> NGSIResponse {
        .json(
            .object([
                ("entities_url", .string("/v2/entities")), ("types_url", .string("/v2/types")),
                ("subscriptions_url", .string("/v2/subscriptions")),
                ("registrations_url", .string("/v2/registrations")),
            ]))
    }
}
