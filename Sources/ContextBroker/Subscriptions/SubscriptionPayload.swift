/// The fields of a `POST /v2/subscriptions` or `PATCH /v2/subscriptions/{id}` payload, read and checked with
/// Orion's rules and texts (orion-api.md, "Subscription payload datamodel"; Orion's "Subscription payload
/// validations" in the NGSIv2 implementation notes).
///
/// A field left `nil` was not in the payload: a creation takes the default, an update keeps the stored value.
/// Orion ignores members it does not know, and so does this reader. `subject` and `notification` replace the
/// stored ones whole on an update, as in Orion.
package struct SubscriptionPayload: Sendable, Equatable {
    /// `description`.
    package var description: String?
    /// `subject`.
    package var subject: SubscriptionSubject?
    /// `notification`.
    package var notification: SubscriptionNotification?
    /// `expires`: `.some(nil)` for `""`, which makes the subscription permanent.
    package var expires: Double??
    /// `status`.
    package var status: Subscription.Status?
    /// `throttling`.
    package var throttling: Int?

    /// `MAX_DESCRIPTION_LENGTH` in Orion.
    package static let maximumDescriptionLength = 1024

    /// Reads a payload.
    /// - Parameters:
    ///   - json: the parsed body.
    ///   - update: whether this is a PATCH, where `subject` and `notification` may be left out.
    /// - Throws: ``NGSIError`` 400 with Orion's description.
    package init(_ json: JSONValue, update: Bool) throws(NGSIError) {
        guard case .object(let members) = json else { throw NGSIError.parseError }
        if members.isEmpty { throw NGSIError.emptyPayload }
        let reader = SubscriptionFieldReader()
        if let text = try reader.string(json["description"], "description") {
            if text.utf8.count > Self.maximumDescriptionLength { throw bad("max description length exceeded") }
            if Validation.hasForbiddenCharacters(text) { throw bad("forbidden characters in description") }
            description = text
        }
        if let value = json["subject"] {
            subject = try reader.subject(value)
        } else if !update {
            throw bad("no subject for subscription specified")
        }
        if let value = json["notification"] {
            notification = try reader.notification(value)
        } else if !update {
            throw bad("no notification for subscription specified")
        }
        if let text = try reader.string(json["expires"], "expires") {
            if text.isEmpty {
                expires = .some(nil)
            } else {
                guard let seconds = DateTimeFormat.parse(text), seconds.isFinite else {
                    throw bad("expires has an invalid format")
                }
                // Orion keeps whole seconds.
                expires = .some(seconds.rounded(.down))
            }
        }
        if let text = try reader.string(json["status"], "status") {
            guard let status = Subscription.Status(rawValue: text) else {
                throw bad("status is not valid: it has to be either active, inactive or oneshot")
            }
            self.status = status
        }
        throttling = try reader.integer(json["throttling"], "throttling")
    }

    /// A new subscription from a creation payload.
    package func subscription(id: String, tenant: String, servicePath: String) -> Subscription? {
        guard let subject, let notification else { return nil }
        return Subscription(
            id: id, tenant: tenant, servicePath: servicePath, description: description ?? "", subject: subject,
            notification: notification, expires: expires ?? nil, status: status ?? .active,
            throttling: throttling ?? 0)
    }

    /// Applies an update payload: the fields it gives replace the stored ones; the counters stay.
    package func apply(to subscription: inout Subscription) {
        if let description { subscription.description = description }
        if let subject { subscription.subject = subject }
        if let notification { subscription.notification = notification }
        if let expires { subscription.expires = expires }
        if let status { subscription.status = status }
        if let throttling { subscription.throttling = throttling }
    }
}

private func bad(_ text: String) -> NGSIError { NGSIError(.badRequest, text) }

/// Reads the members of a subscription payload, in the order Orion checks them.
struct SubscriptionFieldReader {
    /// The largest `timeout`, in milliseconds (`MAX_HTTP_TIMEOUT` in Orion).
    static let maximumTimeout = 1_800_000

    // MARK: - Scalars, with the texts of Orion's typed getters

    func string(_ value: JSONValue?, _ name: String) throws(NGSIError) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else { throw bad("\(name) is not a string") }
        return text
    }

    func requiredString(_ value: JSONValue?, _ name: String) throws(NGSIError) -> String {
        guard let text = try string(value, name) else { throw bad("\(name) is missing") }
        return text
    }

    func bool(_ value: JSONValue?, _ name: String) throws(NGSIError) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value else { throw bad("\(name) is not a bool") }
        return flag
    }

    /// An integer: a JSON number without a fraction, within 64 bits.
    func integer(_ value: JSONValue?, _ name: String) throws(NGSIError) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.rounded() == number, number.magnitude < 9.2e18 else {
            throw bad("\(name) is not an int")
        }
        return Int(number)
    }

    /// A list of strings, duplicates dropped (Orion's string vectors).
    func strings(_ value: JSONValue, _ name: String) throws(NGSIError) -> [String] {
        guard case .array(let elements) = value else { throw bad("the field /\(name)/ must be a JSON array") }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                throw bad("only JSON Strings allowed in string vector /\(name)/")
            }
            if text.isEmpty { throw bad("empty string found in string vector /\(name)/") }
            if !result.contains(text) { result.append(text) }
        }
        return result
    }

    // MARK: - subject

    func subject(_ value: JSONValue) throws(NGSIError) -> SubscriptionSubject {
        guard case .object = value else { throw bad("subject is not an object") }
        guard let entitiesValue = value["entities"] else { throw bad("no subject entities specified") }
        let entities = try self.entities(entitiesValue)
        if entities.isEmpty { throw bad("subject entities is empty") }
        var subject = SubscriptionSubject(entities: entities)
        if let condition = value["condition"] {
            guard case .object(let members) = condition else { throw bad("condition is not an object") }
            if members.isEmpty { throw bad("condition is empty") }
            subject.condition = try self.condition(condition)
        }
        return subject
    }

    func entities(_ value: JSONValue) throws(NGSIError) -> [EntityQuery.Selector] {
        guard case .array(let items) = value else { throw bad("/entities/ is not an array") }
        var result: [EntityQuery.Selector] = []
        for item in items {
            guard case .object = item else { throw bad("/entities/ vector item is not an object") }
            if item["id"] == nil, item["idPattern"] == nil {
                throw bad("/entities/ vector item does not have /id/ nor /idPattern/")
            }
            if item["id"] != nil, item["idPattern"] != nil {
                throw bad("/entities/ vector item has both /id/ and /idPattern/")
            }
            if item["type"] != nil, item["typePattern"] != nil {
                throw bad("/entities/ element has both /type/ and /typePattern/")
            }
            var selector = EntityQuery.Selector()
            if let id = try string(item["id"], "/entities/ vector item /id/") {
                if id.isEmpty { throw bad("/entities/ element id is empty") }
                if !Validation.isValidIdentifier(id) {
                    throw bad("forbidden characters in /entities/ vector item /id/")
                }
                if id.utf8.count > Validation.maximumIdentifierLength {
                    throw bad("max id length exceeded in /entities/ vector item /id/")
                }
                selector.id = id
            }
            if let pattern = try string(item["idPattern"], "/entities/ vector item /idPattern/") {
                if pattern.isEmpty { throw bad("/entities/ vector item /idPattern/ is empty") }
                if !RegexCache.shared.isValid(pattern) { throw NGSIError.invalidIdPattern }
                selector.idPattern = pattern
            }
            if let type = try string(item["type"], "/entities/ vector item type") {
                if !type.isEmpty, !Validation.isValidIdentifier(type) {
                    throw bad("forbidden characters in /entities/ vector item /type/")
                }
                if type.utf8.count > Validation.maximumIdentifierLength {
                    throw bad("max type length exceeded in /entities/ vector item /type/")
                }
                if type.isEmpty { throw bad("entity type length: 0, min length supported: 1") }
                selector.type = type
            }
            if let pattern = try string(item["typePattern"], "/entities/ vector item /typePattern/") {
                if pattern.isEmpty { throw bad("/entities/ vector item /typePattern/ is empty") }
                if !RegexCache.shared.isValid(pattern) { throw NGSIError.invalidTypePattern }
                selector.typePattern = pattern
            }
            if !result.contains(selector) { result.append(selector) }
        }
        return result
    }

    func condition(_ value: JSONValue) throws(NGSIError) -> SubscriptionCondition {
        var condition = SubscriptionCondition()
        if let attrs = value["attrs"] { condition.attributes = try strings(attrs, "attrs") }
        if let expression = value["expression"] { condition.expression = try self.expression(expression) }
        if let types = value["alterationTypes"] {
            for name in try strings(types, "alterationTypes") {
                guard let kind = ChangeEvent.Kind(rawValue: name) else {
                    throw bad("unknown subscription alterationType: \(name)")
                }
                condition.alterationTypes.append(kind)
            }
        }
        if let flag = try bool(value["notifyOnMetadataChange"], "notifyOnMetadataChange") {
            condition.notifyOnMetadataChange = flag
        }
        return condition
    }

    func expression(_ value: JSONValue) throws(NGSIError) -> SubscriptionExpression {
        guard case .object(let members) = value else { throw bad("expression is not an object") }
        if members.isEmpty { throw bad("expression is empty") }
        var expression = SubscriptionExpression()
        if let q = value["q"] {
            guard case .string(let text) = q else { throw bad("q is not a string") }
            if text.isEmpty { throw bad("q is empty") }
            expression.q = text
            expression.query = try SimpleQuery(text)
        }
        if let mq = value["mq"] {
            guard case .string(let text) = mq else { throw bad("mq is not a string") }
            if text.isEmpty { throw bad("mq is empty") }
            expression.mq = text
            expression.metadataQuery = try SimpleQuery(text, metadata: true)
        }
        let geoFields: [(String, WritableKeyPath<SubscriptionExpression, String>)] = [
            ("geometry", \.geometry), ("coords", \.coords), ("georel", \.georel),
        ]
        for (name, keyPath) in geoFields {
            if let text = try string(value[name], name) {
                if text.isEmpty { throw bad("\(name) is empty") }
                expression[keyPath: keyPath] = text
            }
        }
        let given = [expression.georel, expression.geometry, expression.coords].filter { !$0.isEmpty }.count
        if given > 0, given < 3 {
            throw bad("partial geo expression: geometry, georel and coords have to be provided together")
        }
        if given == 3 {
            do {
                expression.geoQuery = try GeoQuery(
                    georel: expression.georel, geometry: expression.geometry, coords: expression.coords)
            } catch {
                var reason = error.description
                if reason.hasPrefix("Invalid query: ") { reason.removeFirst("Invalid query: ".count) }
                throw bad("error parsing geo-query fields: " + reason)
            }
        }
        return expression
    }

    // MARK: - notification

    func notification(_ value: JSONValue) throws(NGSIError) -> SubscriptionNotification {
        guard case .object = value else { throw bad("notification is not an object") }
        let blocks = ["http", "httpCustom", "mqtt", "mqttCustom", "kafka", "kafkaCustom"].filter { value[$0] != nil }
        if blocks.count > 1 {
            throw bad("only one of http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is allowed")
        }
        guard let block = blocks.first else {
            throw bad("http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is missing")
        }
        let destination: NotificationDestination
        switch block {
        case "http": destination = .http(try http(value["http"] ?? .null))
        case "httpCustom": destination = .http(try httpCustom(value["httpCustom"] ?? .null))
        case "mqtt": destination = .mqtt(try mqtt(value["mqtt"] ?? .null, custom: false))
        case "mqttCustom": destination = .mqtt(try mqtt(value["mqttCustom"] ?? .null, custom: true))
        default: throw NGSIError(.notImplemented, "kafka notifications are not supported")
        }
        var notification = SubscriptionNotification(destination: destination)
        if value["attrs"] != nil, value["exceptAttrs"] != nil {
            throw bad("http notification has attrs and exceptAttrs")
        }
        if let attrs = value["attrs"] {
            notification.attributes = try strings(attrs, "attrs")
        } else if let except = value["exceptAttrs"] {
            notification.attributes = try strings(except, "exceptAttrs")
            if notification.attributes.isEmpty { throw bad("http notification has exceptAttrs is empty") }
            notification.excludesAttributes = true
        }
        if let flag = try bool(value["onlyChangedAttrs"], "onlyChangedAttrs") {
            notification.onlyChangedAttributes = flag
        }
        if let flag = try bool(value["covered"], "covered") {
            notification.covered = flag
            if flag, notification.attributes.isEmpty {
                throw bad("covered true cannot be used if notification attributes list is empty")
            }
        }
        if let metadata = value["metadata"] { notification.metadata = try strings(metadata, "metadata") }
        if let text = try string(value["attrsFormat"], "attrsFormat") {
            guard let format = NotificationFormat(rawValue: text) else {
                throw bad(
                    "invalid attrsFormat, accepted values: normalized, simplifiedNormalized, keyValues, "
                        + "simplifiedKeyValues, values")
            }
            notification.format = format
        }
        if let limit = try integer(value["maxFailsLimit"], "maxFailsLimit") {
            if limit <= 0 { throw bad("maxFailsLimit must be greater than zero") }
            notification.maxFailsLimit = limit
        }
        return notification
    }

    func timeout(_ block: JSONValue) throws(NGSIError) -> Int {
        guard let timeout = try integer(block["timeout"], "timeout") else { return 0 }
        if timeout < 0 || timeout > Self.maximumTimeout {
            throw bad("timeout field must be an integer between 0 and \(Self.maximumTimeout)")
        }
        return timeout
    }

    func http(_ value: JSONValue) throws(NGSIError) -> HTTPDestination {
        guard case .object = value else { throw bad("http notification is not an object") }
        let url = try requiredString(value["url"], "url http notification")
        if Validation.hasForbiddenCharacters(url) { throw bad("forbidden characters in http field /url/") }
        let timeout = try self.timeout(value)
        switch NotificationURL.scheme(url) {
        case nil: throw bad("Invalid URL parsing notification url")
        case "mqtt"?: throw bad("mqtt URL cannot be used in http notifications")
        default: break
        }
        return HTTPDestination(url: url, timeout: timeout)
    }

    func httpCustom(_ value: JSONValue) throws(NGSIError) -> HTTPDestination {
        guard case .object = value else { throw bad("httpCustom notification is not an object") }
        let url = try requiredString(value["url"], "url httpCustom notification")
        if Validation.hasForbiddenCharacters(url) { throw bad("forbidden characters in custom /url/") }
        // A URL with macros can only be checked once they are expanded.
        if !url.contains("${") {
            switch NotificationURL.scheme(url) {
            case nil: throw bad("invalid custom /url/")
            case "mqtt"?: throw bad("mqtt URL cannot be used in http notifications")
            default: break
            }
        }
        var custom = HTTPCustomization()
        if let method = try string(value["method"], "method httpCustom notification") {
            guard NotificationURL.methods.contains(method) else { throw bad("unknown method httpCustom notification") }
            custom.method = method
        }
        custom.payload = try payload(value)
        if let qs = value["qs"] { custom.query = try dictionary(qs, "notification httpCustom qs") }
        if let headers = value["headers"] {
            custom.headers = try dictionary(headers, "notification httpCustom headers", allowingQuotes: true)
        }
        let timeout = try self.timeout(value)
        return HTTPDestination(url: url, timeout: timeout, custom: custom)
    }

    func mqtt(_ value: JSONValue, custom: Bool) throws(NGSIError) -> MQTTDestination {
        guard case .object = value else {
            throw bad(custom ? "mqttCustom notification is not an object" : "mqtt notification is not an object")
        }
        let url = try requiredString(value["url"], "url mqtt notification")
        if Validation.hasForbiddenCharacters(url) { throw bad("forbidden characters in mqtt field /url/") }
        guard let scheme = NotificationURL.scheme(url) else { throw bad("invalid mqtt /url/") }
        if scheme != "mqtt" { throw bad("http or https URL cannot be used in mqtt notifications") }
        if NotificationURL.hasPath(url) { throw bad("path cannot be used in mqtt url, use topic instead") }
        let user = try string(value["user"], "user mqtt notification")
        if let user, Validation.hasForbiddenCharacters(user) { throw bad("forbidden characters in mqtt /user/") }
        let password = try string(value["passwd"], "passwd mqtt notification")
        if (user == nil) != (password == nil) { throw bad("you must use user and passwd fields simultaneously") }
        let qos = try integer(value["qos"], "qos") ?? 0
        if qos < 0 || qos > 2 { throw bad("mqtt qos field must be an integer in the 0 to 2 range") }
        let retain = try bool(value["retain"], "retain") ?? false
        guard let topic = try string(value["topic"], "topic mqtt notification") else {
            throw bad("mandatory mqtt field /topic/")
        }
        if topic.isEmpty { throw bad("empty mqtt field /topic/") }
        if topic.contains("+") || topic.contains("#") { throw bad("+ and # are not allowed in mqtt field /topic/") }
        if Validation.hasForbiddenCharacters(topic) { throw bad("forbidden characters in mqtt field /topic/") }
        return MQTTDestination(
            url: url, topic: topic, qos: qos, retain: retain, user: user, password: password,
            custom: custom ? try payload(value) : nil)
    }

    /// `payload`, `json` or `ngsi` of a custom block.
    func payload(_ block: JSONValue) throws(NGSIError) -> CustomPayload {
        let given = ["payload", "json", "ngsi"].filter { block[$0] != nil }
        if given.count > 1 {
            throw bad("only one of payload, json or ngsi fields accepted at the same time in httpCustom or mqttCustom")
        }
        if let payload = block["payload"] {
            if payload == .null { return .empty }
            let text = try requiredString(payload, "payload custom notification")
            if Validation.hasForbiddenCharacters(text) { throw bad("forbidden characters in custom /payload/") }
            return text.isEmpty ? .standard : .text(text)
        }
        if let json = block["json"] {
            switch json {
            case .object, .array: return .json(json)
            default: throw bad("json fields in httpCustom or mqttCustom must be object or array")
            }
        }
        if let ngsi = block["ngsi"] { return .ngsi(try self.ngsi(ngsi)) }
        return .standard
    }

    /// The `ngsi` patch, normalized as Orion renders it: `id` and `type` as strings, each attribute as
    /// `{type, value}`, with `metadata` when given. Forbidden characters are allowed in values, which hold macros.
    func ngsi(_ value: JSONValue) throws(NGSIError) -> JSONValue {
        guard case .object(let members) = value else { throw bad("ngsi field must be a JSON object") }
        var identity: [(String, JSONValue)] = []
        var attributes: [(String, JSONValue)] = []
        for (name, member) in members {
            switch name {
            case "id":
                guard case .string = member else { throw bad("Invalid JSON type for entity id") }
                identity.insert((name, member), at: 0)
            case "type":
                guard case .string = member else { throw bad("Invalid JSON type for entity type") }
                identity.append((name, member))
            default:
                try Validation.checkIdentifier(name, "attribute name")
                guard case .object = member else {
                    throw bad("attribute must be a JSON object, unless keyValues option is used")
                }
                let attributeValue = member["value"] ?? .null
                var type = attributeValue.defaultNGSIType
                if let given = member["type"] {
                    guard case .string(let text) = given else { throw bad("invalid JSON type for attribute type") }
                    try Validation.checkIdentifier(text, "attribute type")
                    type = text
                }
                var metadata: [(String, JSONValue)]?
                if let given = member["metadata"] {
                    metadata = []
                    guard case .object(let items) = given else { throw bad("metadata must be a JSON object") }
                    for (metadataName, item) in items {
                        guard metadataName == "evalPriority" else {
                            throw bad("only evalPriority metadata is allowed in ngsi field in custom notifications")
                        }
                        guard case .number = item["value"] ?? .null else {
                            throw bad("evalPriority metadata must be a number")
                        }
                        metadata?.append(
                            (metadataName, .object([("type", .string("Number")), ("value", item["value"] ?? .null)])))
                    }
                }
                // As Orion renders it: `metadata` only when the subscription gave it.
                var fields: [(String, JSONValue)] = [("type", .string(type)), ("value", attributeValue)]
                if let metadata { fields.append(("metadata", .object(metadata))) }
                attributes.append((name, .object(fields)))
            }
        }
        return .object(identity + attributes)
    }

    /// `qs` or `headers`: a non-empty object of strings, sorted by name as Orion keeps them.
    func dictionary(_ value: JSONValue, _ name: String, allowingQuotes: Bool = false) throws(NGSIError)
        -> [(String, String)]
    {
        guard case .object(let members) = value else { throw bad("\(name) is not an object") }
        if members.isEmpty { throw bad("\(name) is empty") }
        var result: [(String, String)] = []
        for (key, member) in members {
            guard case .string(let text) = member else { throw bad("\(name) element is not a string") }
            let checked = allowingQuotes ? text.filter { $0 != "\"" && $0 != "'" } : text
            if Validation.hasForbiddenCharacters(checked) || Validation.hasForbiddenCharacters(key) {
                throw bad("forbidden characters in custom \(name)")
            }
            result.removeAll { $0.0 == key }
            result.append((key, text))
        }
        return result.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
    }
}
