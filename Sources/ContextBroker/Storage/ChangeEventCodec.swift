import Persistence

/// The stored form of a ``ChangeEvent`` in the change journal (`-notifOutbox`): one JSON object with the kind,
/// the tenant, the touched attributes, the origin and both entity states (their attributes in
/// ``AttributeCodec``'s form).
enum ChangeEventCodec {
    static func encode(_ event: ChangeEvent) -> String {
        func entity(_ entity: Entity?) -> JSONValue {
            guard let entity else { return .null }
            var members: [(String, JSONValue)] = [
                ("id", .string(entity.id)), ("type", .string(entity.type)), ("sp", .string(entity.servicePath)),
                ("c", .number(entity.created)), ("m", .number(entity.modified)),
            ]
            if let expires = entity.expires { members.append(("x", .number(expires))) }
            members.append(("attrs", .string(AttributeCodec.encode(entity.attributes))))
            return .object(members)
        }
        var origin: [(String, JSONValue)] = [
            ("corr", .string(event.origin.correlator)), ("notif", .bool(event.origin.fromNotification)),
        ]
        if let token = event.origin.authToken { origin.append(("token", .string(token))) }
        return JSONValue.object([
            ("kind", .string(event.kind.rawValue)), ("tenant", .string(event.tenant)),
            ("touched", .array(event.changedAttributes.map(JSONValue.string))), ("origin", .object(origin)),
            ("previous", entity(event.previous)), ("current", entity(event.current)),
        ]).serialized
    }

    /// - Throws: ``PersistenceError`` when the text is not a stored event (a damaged file).
    static func decode(_ text: String) throws(PersistenceError) -> ChangeEvent {
        let damaged = PersistenceError(.corruptedRecord, "a journaled change event does not read")
        guard let json = try? JSONParser.parse(text),
            let kind = json["kind"]?.stringValue.flatMap(ChangeEvent.Kind.init),
            let tenant = json["tenant"]?.stringValue, case .array(let touched)? = json["touched"]
        else { throw damaged }
        func entity(_ value: JSONValue?) throws(PersistenceError) -> Entity? {
            guard let value, value != .null else { return nil }
            guard let id = value["id"]?.stringValue, let type = value["type"]?.stringValue,
                let servicePath = value["sp"]?.stringValue, case .number(let created)? = value["c"],
                case .number(let modified)? = value["m"], let attributes = value["attrs"]?.stringValue
            else { throw damaged }
            var expires: Double?
            if case .number(let value)? = value["x"] { expires = value }
            return Entity(
                id: id, type: type, servicePath: servicePath, created: created, modified: modified, expires: expires,
                attributes: try AttributeCodec.decode(attributes))
        }
        let origin = json["origin"]
        var fromNotification = false
        if case .bool(let value)? = origin?["notif"] { fromNotification = value }
        return ChangeEvent(
            kind: kind, tenant: tenant, previous: try entity(json["previous"]), current: try entity(json["current"]),
            changedAttributes: touched.compactMap(\.stringValue),
            origin: ChangeOrigin(
                correlator: origin?["corr"]?.stringValue ?? "", fromNotification: fromNotification,
                authToken: origin?["token"]?.stringValue))
    }
}
