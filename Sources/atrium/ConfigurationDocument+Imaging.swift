import Foundation
import ImagingServer
import Logging

extension ConfigurationDocument {
    /// The document's members as JSON values, for the faces that read them.
    var jsonMembers: [String: ImagingServer.JSONValue] {
        root.mapValues(Self.jsonValue)
    }

    private static func jsonValue(_ value: any Sendable) -> ImagingServer.JSONValue {
        switch value {
        case let text as String: return .string(text)
        case let number as NSNumber:
            // JSONSerialization gives NSNumber for booleans too; their Objective-C type is "c".
            let type = String(cString: number.objCType)
            if type == "c" || type == "B" { return .bool(number.boolValue) }
            if type == "d" || type == "f" { return .double(number.doubleValue) }
            return .int(number.int64Value)
        case let dictionary as [String: any Sendable]: return .object(dictionary.mapValues(jsonValue))
        case let array as [any Sendable]: return .array(array.map(jsonValue))
        default: return .null
        }
    }

    /// The imaging server's configuration; ignored keys are reported once.
    func imagingConfiguration(logger: Logger) throws -> ImagingConfiguration {
        let (configuration, ignored) = try ImagingConfiguration.parse(jsonMembers)
        if !ignored.isEmpty {
            logger.warning(
                "configuration keys not used by the imaging server are ignored",
                metadata: ["config.ignored": "\(ignored.joined(separator: ", "))"])
        }
        return configuration
    }
}
