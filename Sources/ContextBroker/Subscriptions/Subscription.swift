/// An NGSIv2 subscription with every field of Orion 4.x (orion-api.md, "Subscription payload datamodel").
///
/// The value is what `POST /v2/subscriptions` stores and `GET` renders; the notification side reads it to build
/// payloads. Times are seconds since 1970 (UTC), as entity timestamps are.
package struct Subscription: Sendable, Equatable {
    /// The id: 24 lowercase hexadecimal characters, like a MongoDB ObjectId (orion-ngsiv2-facts §1.9).
    package var id: String
    /// The tenant (`Fiware-Service`), empty for the default one.
    package var tenant: String
    /// The service path scope given at creation (`Fiware-ServicePath`, `/#` when missing): which entities the
    /// subscription sees, and what `GET /v2/subscriptions` filters on, exactly.
    package var servicePath: String
    /// `description` (at most 1024 characters), empty when not given.
    package var description: String
    /// `subject`.
    package var subject: SubscriptionSubject
    /// `notification`.
    package var notification: SubscriptionNotification
    /// `expires`, whole seconds as Orion keeps them; `nil` for a permanent subscription.
    package var expires: Double?
    /// `status` as stored: active, inactive or oneshot (expired is computed, see ``effectiveStatus(at:)``).
    package var status: Status
    /// `throttling`, in seconds; 0 for none.
    package var throttling: Int
    /// The read-only counters, kept by the notification side.
    package var counters: SubscriptionCounters

    /// The stored `status` values.
    package enum Status: String, Sendable, Equatable {
        case active
        case inactive
        case oneshot
    }

    package init(
        id: String, tenant: String, servicePath: String, description: String = "", subject: SubscriptionSubject,
        notification: SubscriptionNotification, expires: Double? = nil, status: Status = .active, throttling: Int = 0,
        counters: SubscriptionCounters = SubscriptionCounters()
    ) {
        self.id = id
        self.tenant = tenant
        self.servicePath = servicePath
        self.description = description
        self.subject = subject
        self.notification = notification
        self.expires = expires
        self.status = status
        self.throttling = throttling
        self.counters = counters
    }

    /// The status `GET` renders: `expired` once `expires` has passed, the stored status otherwise.
    package func effectiveStatus(at now: Double) -> String {
        if let expires, expires <= now { return "expired" }
        return status.rawValue
    }

    /// Whether the subscription may notify at `now`: active or oneshot, and not expired.
    package func isLive(at now: Double) -> Bool {
        status != .inactive && !(expires.map { $0 <= now } ?? false)
    }
}

/// `subject`: which entities, and which of their changes, the subscription watches.
package struct SubscriptionSubject: Sendable, Equatable {
    /// `entities`: each with `id` or `idPattern`, and optionally `type` or `typePattern`; OR-ed.
    package var entities: [EntityQuery.Selector]
    /// `condition`.
    package var condition: SubscriptionCondition

    package init(entities: [EntityQuery.Selector], condition: SubscriptionCondition = SubscriptionCondition()) {
        self.entities = entities
        self.condition = condition
    }
}

/// `subject.condition` (orion-api.md, "subscription.subject.condition").
package struct SubscriptionCondition: Sendable, Equatable {
    /// `attrs`: the attributes whose change triggers; empty means any.
    package var attributes: [String] = []
    /// `expression`.
    package var expression = SubscriptionExpression()
    /// `alterationTypes` as given; empty means Orion's default, `entityCreate` and `entityChange`.
    package var alterationTypes: [ChangeEvent.Kind] = []
    /// `notifyOnMetadataChange` (default true): whether a change of metadata alone counts as a change.
    package var notifyOnMetadataChange = true

    package init(
        attributes: [String] = [], expression: SubscriptionExpression = SubscriptionExpression(),
        alterationTypes: [ChangeEvent.Kind] = [], notifyOnMetadataChange: Bool = true
    ) {
        self.attributes = attributes
        self.expression = expression
        self.alterationTypes = alterationTypes
        self.notifyOnMetadataChange = notifyOnMetadataChange
    }

    /// The alteration types that trigger: the given ones, or Orion's default (orion-api.md, "Subscriptions based
    /// in alteration type").
    package var effectiveAlterationTypes: [ChangeEvent.Kind] {
        alterationTypes.isEmpty ? [.entityCreate, .entityChange] : alterationTypes
    }
}

/// `subject.condition.expression`: the texts as given, and their parsed forms for matching.
package struct SubscriptionExpression: Sendable, Equatable {
    /// `q`, empty when not given.
    package var q = ""
    /// `mq`, empty when not given.
    package var mq = ""
    /// `georel`, empty when not given.
    package var georel = ""
    /// `geometry`, empty when not given.
    package var geometry = ""
    /// `coords`, empty when not given.
    package var coords = ""
    /// The parsed `q`.
    package var query: SimpleQuery?
    /// The parsed `mq`.
    package var metadataQuery: SimpleQuery?
    /// The parsed geo-query (all three geo fields given).
    var geoQuery: GeoQuery?

    package init() {}

    /// Whether no member was given.
    package var isEmpty: Bool { q.isEmpty && mq.isEmpty && georel.isEmpty && geometry.isEmpty && coords.isEmpty }
}

/// `notification` (orion-api.md, "subscription.notification").
package struct SubscriptionNotification: Sendable, Equatable {
    /// The delivery block.
    package var destination: NotificationDestination
    /// `attrs` (or `exceptAttrs` when ``excludesAttributes``); empty means every attribute.
    package var attributes: [String] = []
    /// Whether ``attributes`` is an `exceptAttrs` list.
    package var excludesAttributes = false
    /// `metadata`.
    package var metadata: [String] = []
    /// `attrsFormat`.
    package var format: NotificationFormat = .normalized
    /// `onlyChangedAttrs`.
    package var onlyChangedAttributes = false
    /// `covered`.
    package var covered = false
    /// `maxFailsLimit`; 0 for none.
    package var maxFailsLimit = 0

    package init(
        destination: NotificationDestination, attributes: [String] = [], excludesAttributes: Bool = false,
        metadata: [String] = [], format: NotificationFormat = .normalized, onlyChangedAttributes: Bool = false,
        covered: Bool = false, maxFailsLimit: Int = 0
    ) {
        self.destination = destination
        self.attributes = attributes
        self.excludesAttributes = excludesAttributes
        self.metadata = metadata
        self.format = format
        self.onlyChangedAttributes = onlyChangedAttributes
        self.covered = covered
        self.maxFailsLimit = maxFailsLimit
    }
}

/// `notification.attrsFormat`.
package enum NotificationFormat: String, Sendable, Equatable, CaseIterable {
    case normalized
    case simplifiedNormalized
    case keyValues
    case simplifiedKeyValues
    case values
}

/// Where and how a notification goes: exactly one of `http`, `httpCustom`, `mqtt`, `mqttCustom`.
package enum NotificationDestination: Sendable, Equatable {
    case http(HTTPDestination)
    case mqtt(MQTTDestination)

    /// Whether notifications go over HTTP (`http` or `httpCustom`).
    package var isHTTP: Bool {
        if case .http = self { return true }
        return false
    }

    /// The member name the block is rendered under.
    package var memberName: String {
        switch self {
        case .http(let http): return http.custom == nil ? "http" : "httpCustom"
        case .mqtt(let mqtt): return mqtt.custom == nil ? "mqtt" : "mqttCustom"
        }
    }
}

/// `http` and `httpCustom`.
package struct HTTPDestination: Sendable, Equatable {
    /// `url`.
    package var url: String
    /// `timeout` in milliseconds (0 to 1,800,000); 0 means `-httpTimeout`.
    package var timeout = 0
    /// The `httpCustom` members; `nil` for plain `http`.
    package var custom: HTTPCustomization?

    package init(url: String, timeout: Int = 0, custom: HTTPCustomization? = nil) {
        self.url = url
        self.timeout = timeout
        self.custom = custom
    }
}

/// The members only `httpCustom` has.
package struct HTTPCustomization: Sendable, Equatable {
    /// `headers`, sorted by name as Orion renders them.
    package var headers: [(String, String)] = []
    /// `qs`, sorted by name.
    package var query: [(String, String)] = []
    /// `method`; `nil` for the default POST.
    package var method: String?
    /// `payload`, `json` or `ngsi`.
    package var payload: CustomPayload = .standard

    package init(
        headers: [(String, String)] = [], query: [(String, String)] = [], method: String? = nil,
        payload: CustomPayload = .standard
    ) {
        self.headers = headers
        self.query = query
        self.method = method
        self.payload = payload
    }

    package static func == (lhs: HTTPCustomization, rhs: HTTPCustomization) -> Bool {
        lhs.method == rhs.method && lhs.payload == rhs.payload
            && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 })
            && lhs.query.elementsEqual(rhs.query, by: { $0 == $1 })
    }
}

/// `mqtt` and `mqttCustom`.
package struct MQTTDestination: Sendable, Equatable {
    /// `url`: `mqtt://host:port`, without a path.
    package var url: String
    /// `topic`.
    package var topic: String
    /// `qos`, 0 to 2.
    package var qos = 0
    /// `retain`.
    package var retain = false
    /// `user` and `passwd`, given together or not at all.
    package var user: String?
    package var password: String?
    /// The payload of `mqttCustom`; `nil` for plain `mqtt`.
    package var custom: CustomPayload?

    package init(
        url: String, topic: String, qos: Int = 0, retain: Bool = false, user: String? = nil, password: String? = nil,
        custom: CustomPayload? = nil
    ) {
        self.url = url
        self.topic = topic
        self.qos = qos
        self.retain = retain
        self.user = user
        self.password = password
        self.custom = custom
    }
}

/// The body of a custom notification (orion-api.md, "Custom Notifications").
package enum CustomPayload: Sendable, Equatable {
    /// No `payload`, `json` or `ngsi` (or `payload: ""`): the default body.
    case standard
    /// `payload: null`: no body at all.
    case empty
    /// `payload`: a text body, macros expanded at send time.
    case text(String)
    /// `json`: an object or array, macros expanded in its strings.
    case json(JSONValue)
    /// `ngsi`: attributes that patch the notified entity, as given (id and type included when present).
    case ngsi(JSONValue)
}

/// The read-only counters of a subscription (orion-ngsiv2-facts §2.3), rendered only when set.
package struct SubscriptionCounters: Sendable, Equatable {
    /// `timesSent`.
    package var timesSent = 0
    /// `lastNotification`.
    package var lastNotification: Double?
    /// `lastSuccess`.
    package var lastSuccess: Double?
    /// `lastSuccessCode` (HTTP only).
    package var lastSuccessCode: Int?
    /// `lastFailure`.
    package var lastFailure: Double?
    /// `lastFailureReason` (HTTP only).
    package var lastFailureReason: String?
    /// `failsCounter`: consecutive failures.
    package var failsCounter = 0

    package init() {}
}
