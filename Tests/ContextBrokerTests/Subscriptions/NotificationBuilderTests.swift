import Foundation
import NIOCore
import Notifications
import Testing

@testable import ContextBroker

/// The notifications Orion sends for a triggered subscription: bodies in every format, custom payloads with
/// macros, and the headers.
@Suite struct NotificationBuilderTests {
    static let subscriptionID = "5f0c4e7d8a9b0c1d2e3f4a5b"

    static func subscription(_ notification: String, tenant: String = "") throws -> Subscription {
        try #require(
            try SubscriptionPayload(
                JSONParser.parse(#"{"subject":{"entities":[{"idPattern":".*"}]},"notification":\#(notification)}"#),
                update: false
            ).subscription(id: subscriptionID, tenant: tenant, servicePath: "/#"))
    }

    static let room = Entity(
        id: "Room1", type: "Room", servicePath: "/floor1", created: 1_700_000_000, modified: 1_700_000_060,
        attributes: [
            Attribute(
                name: "temperature", type: "Number", value: .number(23.5),
                metadata: [
                    Metadata(name: "accuracy", type: "Number", value: .number(0.1)),
                    Metadata(name: "unit", type: "Text", value: .string("CEL")),
                ]),
            Attribute(name: "name", type: "Text", value: .string("Kitchen")),
        ])

    static func event(_ kind: ChangeEvent.Kind = .entityChange, tenant: String = "", token: String? = nil)
        -> ChangeEvent
    {
        ChangeEvent(
            kind: kind, tenant: tenant, previous: room, current: room, changedAttributes: ["temperature"],
            origin: ChangeOrigin(
                requestCorrelator: "c0ffee00-1111-2222-3333-444455556666", authToken: token, flowControl: false))
    }

    /// The notification for `notification` over Room1, with every attribute the matcher would select.
    static func build(
        _ notification: String, attributes: [String]? = nil, event: ChangeEvent = event(), ordinal: Int = 1,
        builder: NotificationBuilder = NotificationBuilder()
    ) throws -> OutboundNotification {
        let subscription = try subscription(notification, tenant: event.tenant)
        let names =
            attributes
            ?? SubscriptionMatcher.notifiedAttributes(
                subscription.notification, entity: room, touched: event.changedAttributes)
        return try #require(
            builder.notification(
                SubscriptionMatch(subscription: subscription, attributes: names), event: event, ordinal: ordinal))
    }

    static func body(_ notification: OutboundNotification) -> String { String(buffer: notification.body) }

    static func http(_ notification: OutboundNotification) throws -> HTTPTarget {
        guard case .http(let target) = notification.destination else {
            Issue.record("not an HTTP notification")
            throw CancellationError()
        }
        return target
    }

    static func headers(_ target: HTTPTarget) -> [String] { target.headers.map { "\($0.name): \($0.value)" } }

    @Test("normalized: the subscription id and the entity with its attributes and metadata; Orion's headers")
    func normalized() throws {
        let notification = try Self.build(#"{"http":{"url":"http://localhost:1028/notify"}}"#)
        #expect(
            Self.body(notification)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{"accuracy":{"type":"Number","value":0.1},"unit":{"type":"Text","value":"CEL"}}},"name":{"type":"Text","value":"Kitchen","metadata":{}}}]}"#
        )
        let target = try Self.http(notification)
        #expect(target.url == "http://localhost:1028/notify")
        #expect(target.method == "POST")
        #expect(
            Self.headers(target) == [
                "Content-Type: application/json; charset=utf-8", "Accept: application/json",
                "Fiware-ServicePath: /floor1", "User-Agent: orion/4.7.0 atrium",
                "Fiware-Correlator: c0ffee00-1111-2222-3333-444455556666; cbnotif=1",
                "Ngsiv2-AttrsFormat: normalized",
            ])
        #expect(notification.queue == "")
        #expect(notification.timeout == nil)
    }

    @Test("the tenant, the auth token and the ordinal of the notification in its request reach the headers")
    func tenantTokenAndOrdinal() throws {
        let notification = try Self.build(
            #"{"http":{"url":"http://r/n","timeout":250}}"#, event: Self.event(tenant: "smart", token: "tok3n"),
            ordinal: 3)
        let target = try Self.http(notification)
        #expect(
            Self.headers(target) == [
                "Content-Type: application/json; charset=utf-8", "Accept: application/json",
                "Fiware-Service: smart", "Fiware-ServicePath: /floor1", "X-Auth-Token: tok3n",
                "User-Agent: orion/4.7.0 atrium",
                "Fiware-Correlator: c0ffee00-1111-2222-3333-444455556666; cbnotif=3",
                "Ngsiv2-AttrsFormat: normalized",
            ])
        #expect(notification.queue == "smart")
        #expect(notification.timeout == .milliseconds(250))
    }

    @Test("a request that came from a notification keeps the root of its correlator")
    func correlatorRoot() {
        let origin = ChangeOrigin(requestCorrelator: "abc-123; cbnotif=2", authToken: nil, flowControl: false)
        #expect(origin.correlator == "abc-123")
        #expect(origin.fromNotification)
        #expect(!ChangeOrigin(requestCorrelator: "abc-123", authToken: nil, flowControl: false).fromNotification)
    }

    @Test("keyValues, values and the simplified formats")
    func formats() throws {
        let url = #""http":{"url":"http://r/n"}"#
        #expect(
            Self.body(try Self.build(#"{\#(url),"attrsFormat":"keyValues"}"#))
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":23.5,"name":"Kitchen"}]}"#
        )
        #expect(
            Self.body(try Self.build(#"{\#(url),"attrsFormat":"values","attrs":["name","temperature"]}"#))
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[["Kitchen",23.5]]}"#)
        #expect(
            Self.body(try Self.build(#"{\#(url),"attrsFormat":"simplifiedKeyValues"}"#))
                == #"{"id":"Room1","type":"Room","temperature":23.5,"name":"Kitchen"}"#)
        let simplified = try Self.build(#"{\#(url),"attrsFormat":"simplifiedNormalized","attrs":["name"]}"#)
        #expect(
            Self.body(simplified)
                == #"{"id":"Room1","type":"Room","name":{"type":"Text","value":"Kitchen","metadata":{}}}"#)
        #expect(try Self.headers(Self.http(simplified)).last == "Ngsiv2-AttrsFormat: simplifiedNormalized")
    }

    @Test("attrs in the entity's order, builtins after, covered attributes as None, metadata filtered")
    func attributeSelection() throws {
        let notification = try Self.build(
            #"{"http":{"url":"http://r/n"},"attrs":["alterationType","name","dateModified","temperature","missing"],"covered":true,"metadata":["unit"]}"#
        )
        #expect(
            Self.body(notification)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{"unit":{"type":"Text","value":"CEL"}}},"name":{"type":"Text","value":"Kitchen","metadata":{}},"alterationType":{"type":"Text","value":"entityChange","metadata":{}},"dateModified":{"type":"DateTime","value":"2023-11-14T22:14:20.000Z","metadata":{}},"missing":{"type":"None","value":null,"metadata":{}}}]}"#
        )
    }

    @Test("httpCustom: macros in url, headers, qs and a text payload; percent escapes decoded; method")
    func customText() throws {
        let notification = try Self.build(
            #"{"httpCustom":{"url":"http://r/${type}/${id}","method":"PUT","headers":{"X-Room":"${name}","Accept":"","Content-Type":"text/csv"},"qs":{"t":"${temperature}","s":"${service}"},"payload":"%22${id}%22 is ${temperature} in ${servicePath}, ${nothing}"}}"#
        )
        let target = try Self.http(notification)
        #expect(target.url == "http://r/Room/Room1?s=&t=23.5")
        #expect(target.method == "PUT")
        #expect(Self.body(notification) == #""Room1" is 23.5 in /floor1, null"#)
        #expect(
            Self.headers(target) == [
                "Fiware-ServicePath: /floor1", "User-Agent: orion/4.7.0 atrium", "Content-Type: text/csv",
                "X-Room: Kitchen", "Fiware-Correlator: c0ffee00-1111-2222-3333-444455556666; cbnotif=1",
                "Ngsiv2-AttrsFormat: custom",
            ])
    }

    @Test("httpCustom json: a string that is one macro keeps the value's JSON type")
    func customJSON() throws {
        let notification = try Self.build(
            #"{"httpCustom":{"url":"http://r/n","json":{"t":"${temperature}","label":"T=${temperature}","list":["${id}",1,null],"none":"${nothing}"}}}"#
        )
        #expect(Self.body(notification) == #"{"t":23.5,"label":"T=23.5","list":["Room1",1,null],"none":null}"#)
        #expect(try Self.headers(Self.http(notification)).first == "Content-Type: application/json; charset=utf-8")
    }

    @Test("httpCustom payload null: no body and no Content-Type")
    func customEmpty() throws {
        let notification = try Self.build(#"{"httpCustom":{"url":"http://r/n","payload":null}}"#)
        #expect(notification.body.readableBytes == 0)
        #expect(try !Self.headers(Self.http(notification)).contains { $0.hasPrefix("Content-Type") })
    }

    @Test("httpCustom ngsi: the entity patched, rendered in the subscription's format")
    func customNGSI() throws {
        let notification = try Self.build(
            #"{"httpCustom":{"url":"http://r/n","ngsi":{"id":"${id}-copy","name":{"value":"${name} copy"},"extra":{"value":"${temperature}","type":"Number"}}},"attrs":[]}"#,
            attributes: ["temperature", "name", "extra"])
        #expect(
            Self.body(notification)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1-copy","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{"accuracy":{"type":"Number","value":0.1},"unit":{"type":"Text","value":"CEL"}}},"name":{"type":"Text","value":"Kitchen copy","metadata":{}},"extra":{"type":"Number","value":23.5,"metadata":{}}}]}"#
        )
        #expect(try Self.headers(Self.http(notification)).last == "Ngsiv2-AttrsFormat: normalized")
    }

    @Test("-disableCustomNotifications: httpCustom is sent as http")
    func customDisabled() throws {
        let notification = try Self.build(
            #"{"httpCustom":{"url":"http://r/${id}","payload":"x","headers":{"X-A":"b"}}}"#,
            builder: NotificationBuilder(disablesCustomNotifications: true))
        let target = try Self.http(notification)
        #expect(target.url == "http://r/${id}")
        #expect(!Self.headers(target).contains("X-A: b"))
        #expect(Self.body(notification).hasPrefix(#"{"subscriptionId":"#))
    }

    @Test("mqtt: host, port, topic, qos, retain and credentials; mqttCustom expands the topic")
    func mqtt() throws {
        let plain = try Self.build(
            #"{"mqtt":{"url":"mqtt://broker.local:1884","topic":"rooms/${id}","qos":1,"retain":true,"user":"u","passwd":"p"},"attrsFormat":"keyValues"}"#
        )
        #expect(
            plain.destination
                == .mqtt(
                    MQTTTarget(
                        host: "broker.local", port: 1884, topic: "rooms/${id}", qos: 1, retain: true, user: "u",
                        password: "p")))
        #expect(
            Self.body(plain)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":23.5,"name":"Kitchen"}]}"#
        )
        let custom = try Self.build(
            #"{"mqttCustom":{"url":"mqtt://[::1]","topic":"rooms/${id}","payload":"${temperature}"}}"#)
        #expect(custom.destination == .mqtt(MQTTTarget(host: "::1", port: 1883, topic: "rooms/Room1")))
        #expect(Self.body(custom) == "23.5")
    }

    @Test("subscriptions of the same shape share one rendering of the entity; their bodies keep their own ids")
    func sharedRendering() throws {
        let builder = NotificationBuilder()
        var renderings = NotificationBuilder.Renderings()
        var first = try Self.subscription(#"{"http":{"url":"http://r/1"},"attrs":["temperature"]}"#)
        var second = first
        second.id = "000000000000000000000002"
        first.id = "000000000000000000000001"
        let other = try Self.subscription(#"{"http":{"url":"http://r/3"},"attrs":["name"]}"#)
        let event = Self.event()
        var bodies: [String] = []
        for subscription in [first, second, other] {
            let names = SubscriptionMatcher.notifiedAttributes(
                subscription.notification, entity: Self.room, touched: event.changedAttributes)
            let notification = try #require(
                builder.notification(
                    SubscriptionMatch(subscription: subscription, attributes: names), event: event, ordinal: 1,
                    renderings: &renderings))
            bodies.append(Self.body(notification))
        }
        #expect(renderings.entities.count == 2)
        #expect(bodies[0].hasPrefix(#"{"subscriptionId":"000000000000000000000001","data":[{"id":"Room1""#))
        #expect(bodies[1] == bodies[0].replacingOccurrences(of: "0001", with: "0002"))
        #expect(bodies[2].contains(#""name":{"type":"Text","value":"Kitchen","metadata":{}}"#))
        #expect(!bodies[2].contains("temperature"))
    }

    @Test("ngsi adds the attributes it names, and a macro over a missing attribute keeps the entity's id and type")
    func ngsiAddsAttributesAndFailsSafe() throws {
        let notification = try Self.build(
            #"{"httpCustom":{"url":"http://r/n","ngsi":{"id":"${nothing}","type":"${nothing}","A":{"value":"foo","type":"Text"}}},"attrs":[]}"#
        )
        #expect(
            Self.body(notification)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{"accuracy":{"type":"Number","value":0.1},"unit":{"type":"Text","value":"CEL"}}},"name":{"type":"Text","value":"Kitchen","metadata":{}},"A":{"type":"Text","value":"foo","metadata":{}}}]}"#
        )
    }

    @Test("attrs with * and a builtin: every attribute and the builtin")
    func starWithBuiltin() throws {
        let notification = try Self.build(
            #"{"http":{"url":"http://r/n"},"attrs":["alterationType","*"],"attrsFormat":"keyValues"}"#)
        #expect(
            Self.body(notification)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":23.5,"name":"Kitchen","alterationType":"entityChange"}]}"#
        )
    }

    @Test("attrs with * over an entity of 40,000 attributes: each once, in the entity's order, then the others named")
    func starOverAWideEntity() throws {
        var wide = Self.room
        wide.attributes = (0..<40_000).map { Attribute(name: "a\($0)", type: "Number", value: .number(Double($0))) }
        let subscription = try Self.subscription(
            #"{"http":{"url":"http://r/n"},"attrs":["a7","*","a3","dateModified"]}"#)
        let names = SubscriptionMatcher.notifiedAttributes(subscription.notification, entity: wide, touched: [])
        #expect(names.count == 40_001)
        #expect(Array(names.prefix(3)) == ["a7", "a0", "a1"])
        #expect(names.last == "dateModified")
        #expect(Set(names).count == names.count)
    }

    @Test("previousValue and actionType metadata of the touched attributes")
    func builtinMetadata() throws {
        var before = Self.room
        before.attributes[0].value = .number(20)
        before.attributes[0].type = "Integer"
        let event = ChangeEvent(
            kind: .entityChange, tenant: "", previous: before, current: Self.room, changedAttributes: ["temperature"],
            origin: ChangeOrigin(correlator: "c"))
        let notification = try Self.build(
            #"{"http":{"url":"http://r/n"},"attrs":["temperature","name"],"metadata":["previousValue","actionType"]}"#,
            event: event)
        #expect(
            Self.body(notification)
                == #"{"subscriptionId":"5f0c4e7d8a9b0c1d2e3f4a5b","data":[{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23.5,"metadata":{"previousValue":{"type":"Integer","value":20},"actionType":{"type":"Text","value":"update"}}},"name":{"type":"Text","value":"Kitchen","metadata":{}}}]}"#
        )
    }
}
