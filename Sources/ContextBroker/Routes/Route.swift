/// The broker's route templates and their methods, as Orion's `orionRestServices.cpp` lists them.
enum Route: String, CaseIterable, Sendable {
    case version = "/version"
    case entryPoints = "/v2"
    case entities = "/v2/entities"
    case entity = "/v2/entities/{id}"
    case entityAttributes = "/v2/entities/{id}/attrs"
    case attribute = "/v2/entities/{id}/attrs/{attrName}"
    case attributeValue = "/v2/entities/{id}/attrs/{attrName}/value"
    case types = "/v2/types"
    case type = "/v2/types/{type}"
    case subscriptions = "/v2/subscriptions"
    case subscription = "/v2/subscriptions/{id}"
    case batchUpdate = "/v2/op/update"
    case batchQuery = "/v2/op/query"
    case statistics = "/statistics"
    case cacheStatistics = "/cache/statistics"
    case adminLog = "/admin/log"

    /// The methods the route answers; any other gets 405 with this list in `Allow`.
    var methods: [String] {
        switch self {
        case .version, .entryPoints, .types, .type: return ["GET"]
        case .entities: return ["GET", "POST"]
        case .entity: return ["GET", "DELETE"]
        case .entityAttributes: return ["GET", "POST", "PATCH", "PUT"]
        case .attribute: return ["GET", "PUT", "DELETE"]
        case .attributeValue: return ["GET", "PUT"]
        case .subscriptions: return ["GET", "POST"]
        case .subscription: return ["GET", "PATCH", "DELETE"]
        case .batchUpdate, .batchQuery: return ["POST"]
        case .statistics, .cacheStatistics: return ["GET", "DELETE"]
        case .adminLog: return ["GET", "PUT"]
        }
    }

    /// Matches decoded path segments; returns the route and its parameters (`id`, `attrName`, `type`).
    static func match(_ segments: [String]) -> (Route, [String])? {
        switch segments.count {
        case 1:
            switch segments[0] {
            case "version": return (.version, [])
            case "v2": return (.entryPoints, [])
            case "statistics": return (.statistics, [])
            default: return nil
            }
        case 2:
            switch (segments[0], segments[1]) {
            case ("v2", "entities"): return (.entities, [])
            case ("v2", "types"): return (.types, [])
            case ("v2", "subscriptions"): return (.subscriptions, [])
            case ("admin", "log"): return (.adminLog, [])
            case ("cache", "statistics"): return (.cacheStatistics, [])
            default: return nil
            }
        case 3:
            switch (segments[0], segments[1]) {
            case ("v2", "entities"): return (.entity, [segments[2]])
            case ("v2", "types"): return (.type, [segments[2]])
            case ("v2", "subscriptions"): return (.subscription, [segments[2]])
            case ("v2", "op") where segments[2] == "update": return (.batchUpdate, [])
            case ("v2", "op") where segments[2] == "query": return (.batchQuery, [])
            default: return nil
            }
        case 4 where segments[0] == "v2" && segments[1] == "entities" && segments[3] == "attrs":
            return (.entityAttributes, [segments[2]])
        case 5 where segments[0] == "v2" && segments[1] == "entities" && segments[3] == "attrs":
            return (.attribute, [segments[2], segments[4]])
        case 6
        where segments[0] == "v2" && segments[1] == "entities" && segments[3] == "attrs" && segments[5] == "value":
            return (.attributeValue, [segments[2], segments[4]])
        default:
            return nil
        }
    }
}
