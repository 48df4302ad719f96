import Foundation
import JSON
import NIOCore
package import Notifications

/// Turns one triggered subscription into the notification Orion sends (orion-api.md, "Notification Messages"
/// and "Custom Notifications"; orion-ngsiv2-facts §2.3 and §2.5): the body in the subscription's
/// `attrsFormat`, or its custom payload with the macros expanded, and Orion's headers.
package struct NotificationBuilder: Sendable {
    /// The `User-Agent` of HTTP notifications: Orion's product token, which receivers and Orion's own tests
    /// check, then Atrium's.
    package static let userAgent = "orion/\(ContextBroker.orionVersion) atrium"

    /// `-disableCustomNotifications`: `httpCustom` and `mqttCustom` are sent as `http` and `mqtt` are.
    package var disablesCustomNotifications = false

    package init(disablesCustomNotifications: Bool = false) {
        self.disablesCustomNotifications = disablesCustomNotifications
    }

    /// The notification of `match` for `event`.
    /// - Parameter ordinal: the notification's number among those of the triggering request, from 1 (the
    ///   `cbnotif` of its correlator).
    package func notification(
        _ match: SubscriptionMatch, event: ChangeEvent, ordinal: Int
    ) -> OutboundNotification? {
        var renderings = Renderings()
        return notification(match, event: event, ordinal: ordinal, renderings: &renderings)
    }

    /// The entities rendered for the notifications of one event, by what shapes them: subscriptions that notify
    /// the same attributes in the same format share one rendering (a thousand subscriptions on one entity, one
    /// rendering).
    package struct Renderings {
        struct Key: Hashable {
            var format: NotificationFormat
            var attributes: [String]
            var metadata: [String]
            var covered: Bool
        }
        var entities: [Key: ByteBuffer] = [:]

        package init() {}
    }

    /// The notification of `match` for `event`, reusing and filling `renderings` (one per event).
    package func notification(
        _ match: SubscriptionMatch, event: ChangeEvent, ordinal: Int, renderings: inout Renderings
    ) -> OutboundNotification? {
        guard let entity = event.entity else { return nil }
        let origin = event.origin
        let subscription = match.subscription
        let notification = subscription.notification
        let macros = LazyMacros(entity: entity, tenant: event.tenant, authToken: origin.authToken)
        switch notification.destination {
        case .http(let http):
            let custom = disablesCustomNotifications ? nil : http.custom
            let body = self.body(
                custom?.payload ?? .standard, match: match, entity: entity, event: event, macros: macros,
                renderings: &renderings)
            var headers: [HTTPTarget.Header] = []
            if let contentType = body.contentType { headers.append(.init("Content-Type", contentType)) }
            headers.append(.init("Accept", "application/json"))
            if !event.tenant.isEmpty { headers.append(.init("Fiware-Service", event.tenant)) }
            headers.append(.init("Fiware-ServicePath", entity.servicePath))
            if let token = origin.authToken { headers.append(.init("X-Auth-Token", token)) }
            headers.append(.init("User-Agent", Self.userAgent))
            // Custom headers replace the defaults of the same name, and an empty one removes it; the correlator
            // and the format cannot be overridden.
            for (name, template) in custom?.headers ?? [] {
                let lowered = name.lowercased()
                guard lowered != "fiware-correlator", lowered != "ngsiv2-attrsformat" else { continue }
                headers.removeAll { $0.name.lowercased() == lowered }
                let value = macros.expand(Self.percentDecoded(template))
                if !value.isEmpty { headers.append(.init(name, value)) }
            }
            headers.append(.init("Fiware-Correlator", "\(origin.correlator); cbnotif=\(ordinal)"))
            headers.append(.init("Ngsiv2-AttrsFormat", body.format))
            var url = custom == nil ? http.url : macros.expand(http.url)
            if let query = custom?.query, !query.isEmpty {
                let items = query.map { name, template in
                    Self.queryEncoded(name) + "=" + Self.queryEncoded(macros.expand(Self.percentDecoded(template)))
                }
                url += (url.contains("?") ? "&" : "?") + items.joined(separator: "&")
            }
            let target = HTTPTarget(url: url, method: custom?.method ?? "POST", headers: headers)
            return OutboundNotification(
                destination: .http(target), body: body.bytes, queue: event.tenant,
                timeout: http.timeout > 0 ? .milliseconds(http.timeout) : nil)
        case .mqtt(let mqtt):
            guard let (host, port) = Self.hostAndPort(mqtt.url) else { return nil }
            let custom = disablesCustomNotifications ? nil : mqtt.custom
            let body = self.body(
                custom ?? .standard, match: match, entity: entity, event: event, macros: macros,
                renderings: &renderings)
            let topic = custom == nil ? mqtt.topic : macros.expand(mqtt.topic)
            let target = MQTTTarget(
                host: host, port: port, topic: topic, qos: mqtt.qos, retain: mqtt.retain, user: mqtt.user,
                password: mqtt.password)
            return OutboundNotification(destination: .mqtt(target), body: body.bytes, queue: event.tenant)
        }
    }

    /// A rendered body, its `Content-Type` (`nil` without a body) and its `Ngsiv2-AttrsFormat`.
    struct Body {
        var bytes: ByteBuffer
        var contentType: String?
        var format: String
    }

    static let jsonContentType = "application/json; charset=utf-8"

    /// The macros of a notification, made on first use: a notification without custom parts needs none.
    final class LazyMacros {
        let entity: Entity
        let tenant: String
        let authToken: String?
        lazy var macros = NotificationMacros(entity: entity, tenant: tenant, authToken: authToken)

        init(entity: Entity, tenant: String, authToken: String?) {
            self.entity = entity
            self.tenant = tenant
            self.authToken = authToken
        }

        /// Without a `${` the macros are not even made.
        func expand(_ text: String) -> String { text.contains("${") ? macros.expand(text) : text }
        func expand(_ json: JSONValue) -> JSONValue { macros.expand(json) }
    }

    func body(
        _ payload: CustomPayload, match: SubscriptionMatch, entity: Entity, event: ChangeEvent, macros: LazyMacros,
        renderings: inout Renderings
    ) -> Body {
        let notification = match.subscription.notification
        switch payload {
        case .standard:
            let key = Renderings.Key(
                format: notification.format, attributes: match.attributes, metadata: notification.metadata,
                covered: notification.covered)
            let rendered: ByteBuffer
            if let known = renderings.entities[key] {
                rendered = known
            } else {
                rendered = serialize(renderedEntity(match, entity: entity, event: event))
                renderings.entities[key] = rendered
            }
            let bytes: ByteBuffer
            switch notification.format {
            case .simplifiedNormalized, .simplifiedKeyValues:
                bytes = rendered
            case .normalized, .keyValues, .values:
                var wrapped = ByteBufferAllocator().buffer(capacity: rendered.readableBytes + 64)
                wrapped.writeString(#"{"subscriptionId":"#)
                wrapped.writeString(JSONValue.string(match.subscription.id).serialized)
                wrapped.writeString(#","data":["#)
                wrapped.writeImmutableBuffer(rendered)
                wrapped.writeString("]}")
                bytes = wrapped
            }
            return Body(bytes: bytes, contentType: Self.jsonContentType, format: notification.format.rawValue)
        case .empty:
            return Body(bytes: ByteBuffer(), contentType: nil, format: "custom")
        case .text(let template):
            return Body(
                bytes: ByteBuffer(string: macros.expand(Self.percentDecoded(template))),
                contentType: "text/plain; charset=utf-8", format: "custom")
        case .json(let template):
            return Body(bytes: serialize(macros.expand(template)), contentType: Self.jsonContentType, format: "custom")
        case .ngsi(let patch):
            var patched = entity
            let expanded = macros.expand(patch)
            Self.apply(expanded, to: &patched)
            // The attributes the patch adds are notified too.
            var patchedMatch = match
            for (name, _) in expanded.objectMembers ?? [] where name != "id" && name != "type" {
                if !patchedMatch.attributes.contains(name) { patchedMatch.attributes.append(name) }
            }
            return Body(
                bytes: serialize(standardBody(patchedMatch, entity: patched, event: event)),
                contentType: Self.jsonContentType, format: notification.format.rawValue)
        }
    }

    /// The body of a notification without custom payload: `{"subscriptionId":…,"data":[entity]}`, or the
    /// entity alone in the simplified formats.
    func standardBody(_ match: SubscriptionMatch, entity: Entity, event: ChangeEvent) -> JSONValue {
        let rendered = renderedEntity(match, entity: entity, event: event)
        switch match.subscription.notification.format {
        case .simplifiedNormalized, .simplifiedKeyValues: return rendered
        case .normalized, .keyValues, .values:
            return .object([("subscriptionId", .string(match.subscription.id)), ("data", .array([rendered]))])
        }
    }

    /// The entity as a notification's `data` holds it, in the subscription's format.
    func renderedEntity(_ match: SubscriptionMatch, entity: Entity, event: ChangeEvent) -> JSONValue {
        let notification = match.subscription.notification
        var attributes = Self.notifiedAttributes(match, entity: entity, event: event)
        let metadata = RenderOptions(metadata: notification.metadata.isEmpty ? nil : notification.metadata)
        if notification.metadata.contains("previousValue") || notification.metadata.contains("actionType") {
            attributes = attributes.map { Self.withBuiltinMetadata($0, notification.metadata, event: event) }
        }
        switch notification.format {
        case .values:
            return .array(attributes.map(EntityRenderer.renderedValue))
        case .keyValues, .simplifiedKeyValues:
            return .object(
                [("id", .string(entity.id)), ("type", .string(entity.type))]
                    + attributes.map { ($0.name, EntityRenderer.renderedValue($0)) })
        case .normalized, .simplifiedNormalized:
            return .object(
                [("id", .string(entity.id)), ("type", .string(entity.type))]
                    + attributes.map { ($0.name, EntityRenderer.normalized($0, metadata)) })
        }
    }

    /// An attribute with the builtin metadata a notification asks for (orion-api.md, "Builtin metadata"):
    /// `previousValue`, the value (and type) before the change, for an attribute the change touched and that
    /// existed before; `actionType`, `append`, `update` or `delete`.
    static func withBuiltinMetadata(_ attribute: Attribute, _ names: [String], event: ChangeEvent) -> Attribute {
        guard event.changedAttributes.contains(attribute.name) else { return attribute }
        var attribute = attribute
        let before = event.previous?.attribute(named: attribute.name)
        if names.contains("previousValue"), let before {
            attribute.metadata.append(
                Metadata(name: "previousValue", type: before.type, value: EntityRenderer.renderedValue(before)))
        }
        if names.contains("actionType") {
            let action = event.kind == .entityDelete ? "delete" : (before == nil ? "append" : "update")
            attribute.metadata.append(Metadata(name: "actionType", type: "Text", value: .string(action)))
        }
        return attribute
    }

    /// The attributes a notification renders, from ``SubscriptionMatch/attributes``: the entity's own, the
    /// builtins named (`dateCreated`, `dateModified`, `dateExpires`, `alterationType`), and with `covered` the
    /// missing ones as `null` of type `None`. The `values` format keeps the order of `notification.attrs`; the
    /// others the entity's order, builtins and missing attributes after it.
    static func notifiedAttributes(_ match: SubscriptionMatch, entity: Entity, event: ChangeEvent) -> [Attribute] {
        let names = match.attributes
        let notification = match.subscription.notification
        var result: [Attribute] = []
        var others: [Attribute] = []
        let ordered = notification.format == .values ? names : entity.attributes.map(\.name).filter(names.contains)
        for name in ordered {
            if let attribute = entity.attribute(named: name) { result.append(attribute) }
        }
        for name in names where entity.attribute(named: name) == nil {
            switch name {
            case "dateCreated": others.append(Attribute(name: name, type: "DateTime", value: .number(entity.created)))
            case "dateModified":
                others.append(Attribute(name: name, type: "DateTime", value: .number(entity.modified)))
            case "dateExpires":
                if let expires = entity.expires {
                    others.append(Attribute(name: name, type: "DateTime", value: .number(expires)))
                } else if notification.covered {
                    others.append(Attribute(name: name, type: "None", value: .null))
                }
            case "alterationType":
                others.append(Attribute(name: name, type: "Text", value: .string(event.kind.rawValue)))
            default:
                if notification.covered { others.append(Attribute(name: name, type: "None", value: .null)) }
            }
        }
        if notification.format == .values {
            // Keep the attrs order across entity and builtin attributes.
            let all = result + others
            return names.compactMap { name in all.first { $0.name == name } }
        }
        return result + others
    }

    /// Applies an `ngsi` patch: `id` and `type` replace the entity's, each attribute is updated or appended.
    static func apply(_ patch: JSONValue, to entity: inout Entity) {
        guard case .object(let members) = patch else { return }
        for (name, member) in members {
            switch name {
            // A macro over a missing attribute leaves the entity's own id or type (Orion's failsafe).
            case "id": if member != .null { entity.id = NotificationMacros.stringified(member) }
            case "type": if member != .null { entity.type = NotificationMacros.stringified(member) }
            default:
                let value = member["value"] ?? .null
                var type = member["type"].map(NotificationMacros.stringified) ?? value.defaultNGSIType
                if type.isEmpty { type = value.defaultNGSIType }
                var metadata: [Metadata] = []
                for (metadataName, item) in member["metadata"]?.objectMembers ?? [] {
                    metadata.append(
                        Metadata(
                            name: metadataName, type: item["type"]?.stringValue ?? "Number",
                            value: item["value"] ?? .null))
                }
                let attribute = Attribute(name: name, type: type, value: value, metadata: metadata)
                if let index = entity.attributes.firstIndex(where: { $0.name == name }) {
                    entity.attributes[index] = attribute
                } else {
                    entity.attributes.append(attribute)
                }
            }
        }
    }

    private func serialize(_ value: JSONValue) -> ByteBuffer {
        var writer = JSONWriter(buffer: ByteBufferAllocator().buffer(capacity: 256))
        value.write(to: &writer)
        return writer.buffer
    }

    /// Percent-escapes decoded at send time (Orion's forbidden characters are written `%22` and the like); a
    /// text with a malformed escape is kept as it is.
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        return text.removingPercentEncoding ?? text
    }

    /// A query string name or value, percent-encoded.
    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The host and port of `mqtt://host:port` (1883 when the port is missing).
    static func hostAndPort(_ url: String) -> (String, Int)? {
        guard let (host, port) = NotificationURL.authority(url) else { return nil }
        return (host, port ?? 1883)
    }
}
