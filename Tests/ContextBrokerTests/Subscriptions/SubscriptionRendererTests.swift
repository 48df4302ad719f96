import Testing

@testable import ContextBroker

/// The exact JSON of `GET /v2/subscriptions/{id}`: Orion's member order and defaults.
@Suite struct SubscriptionRendererTests {
    static let id = "5fa7988a627088ba9b91b1c1"

    static func rendered(_ payload: String, now: Double = 0, configure: (inout Subscription) -> Void = { _ in })
        throws -> String
    {
        var subscription = try #require(
            try SubscriptionPayload(JSONParser.parse(payload), update: false)
                .subscription(id: id, tenant: "", servicePath: "/#"))
        configure(&subscription)
        return SubscriptionRenderer.render(subscription, now: now).serialized
    }

    @Test func aMinimalSubscriptionWithOrionsDefaults() throws {
        let text = try Self.rendered(
            #"{"subject":{"entities":[{"id":"Room1","type":"Room"}]},"notification":{"http":{"url":"http://localhost:1028/notify"}}}"#
        )
        #expect(
            text
                == #"{"id":"5fa7988a627088ba9b91b1c1","status":"active","subject":{"entities":[{"id":"Room1","type":"Room"}],"#
                + #""condition":{"attrs":[],"notifyOnMetadataChange":true}},"notification":{"attrs":[],"onlyChangedAttrs":false,"#
                + #""attrsFormat":"normalized","http":{"url":"http://localhost:1028/notify"},"covered":false}}"#)
    }

    @Test func everyFieldInOrionsOrder() throws {
        let payload = """
            {"description":"One","subject":{"entities":[{"idPattern":".*","typePattern":"R.*"}],
            "condition":{"attrs":["temperature"],"expression":{"georel":"near;maxDistance:100","coords":"40,-3",
            "geometry":"point","mq":"temperature.accuracy>1","q":"temperature>40"},
            "alterationTypes":["entityUpdate","entityDelete"],"notifyOnMetadataChange":false}},
            "notification":{"httpCustom":{"url":"http://h:1/x","headers":{"b":"2","a":"1"},"qs":{"k":"v"},
            "method":"PUT","json":{"t":"${temperature}"},"timeout":500},"exceptAttrs":["pressure"],
            "metadata":["accuracy"],"attrsFormat":"keyValues","onlyChangedAttrs":true,"maxFailsLimit":3},
            "expires":"2040-01-01T14:00:00.00Z","throttling":5}
            """
        let text = try Self.rendered(payload) { subscription in
            subscription.counters.timesSent = 3
            subscription.counters.lastNotification = 10
            subscription.counters.lastSuccess = 10
            subscription.counters.lastSuccessCode = 200
            subscription.counters.lastFailure = 5
            subscription.counters.lastFailureReason = "Timeout was reached"
            subscription.counters.failsCounter = 1
        }
        let expected =
            #"{"id":"5fa7988a627088ba9b91b1c1","description":"One","expires":"2040-01-01T14:00:00.000Z","status":"active","#
            + #""subject":{"entities":[{"idPattern":".*","typePattern":"R.*"}],"condition":{"attrs":["temperature"],"#
            + #""expression":{"q":"temperature>40","mq":"temperature.accuracy>1","geometry":"point","coords":"40,-3","#
            + #""georel":"near;maxDistance:100"},"alterationTypes":["entityUpdate","entityDelete"],"#
            + #""notifyOnMetadataChange":false}},"notification":{"timesSent":3,"lastNotification":"1970-01-01T00:00:10.000Z","#
            + #""exceptAttrs":["pressure"],"onlyChangedAttrs":true,"attrsFormat":"keyValues","#
            + #""httpCustom":{"url":"http://h:1/x","timeout":500,"json":{"t":"${temperature}"},"method":"PUT","#
            + #""qs":{"k":"v"},"headers":{"a":"1","b":"2"}},"metadata":["accuracy"],"#
            + #""lastFailure":"1970-01-01T00:00:05.000Z","lastFailureReason":"Timeout was reached","#
            + #""lastSuccess":"1970-01-01T00:00:10.000Z","lastSuccessCode":200,"maxFailsLimit":3,"failsCounter":1,"#
            + #""covered":false},"throttling":5}"#
        #expect(text == expected)
    }

    @Test func anExpiredSubscriptionSaysSo() throws {
        let text = try Self.rendered(
            #"{"subject":{"entities":[{"id":"E"}]},"notification":{"http":{"url":"http://a"}},"expires":"2000-01-01T00:00:00Z"}"#,
            now: 1e9)
        #expect(text.contains(#""expires":"2000-01-01T00:00:00.000Z","status":"expired","#))
    }

    @Test func mqttPasswordsAreHiddenButStored() throws {
        let payload =
            #"{"subject":{"entities":[{"id":"E"}]},"notification":{"mqttCustom":{"url":"mqtt://b:1883","topic":"t","#
            + #""qos":1,"retain":true,"user":"u","passwd":"secret","payload":null}}}"#
        let text = try Self.rendered(payload)
        #expect(
            text.contains(
                #""mqttCustom":{"url":"mqtt://b:1883","topic":"t","qos":1,"retain":true,"user":"u","passwd":"*****","payload":null}"#
            ))
        let subscription = try #require(
            try SubscriptionPayload(JSONParser.parse(payload), update: false)
                .subscription(id: Self.id, tenant: "", servicePath: "/#"))
        #expect(SubscriptionStore.document(subscription).contains(#""passwd":"secret""#))
    }

    @Test func ngsiPatchesAreNormalized() throws {
        let text = try Self.rendered(
            #"{"subject":{"entities":[{"id":"E"}]},"notification":{"httpCustom":{"url":"http://a","ngsi":{"t":{"value":"${a}"},"type":"X"}}}}"#
        )
        // `metadata` only when given, as Orion renders it.
        #expect(
            text.contains(#""httpCustom":{"url":"http://a","ngsi":{"type":"X","t":{"type":"Text","value":"${a}"}}}"#))
        let withMetadata = try Self.rendered(
            #"{"subject":{"entities":[{"id":"E"}]},"notification":{"httpCustom":{"url":"http://a","ngsi":{"t":{"value":1,"metadata":{"evalPriority":{"value":1}}}}}}}"#
        )
        #expect(
            withMetadata.contains(
                #""ngsi":{"t":{"type":"Number","value":1,"metadata":{"evalPriority":{"type":"Number","value":1}}}}"#))
    }

    @Test func theStoredDocumentReadsBackWithItsCounters() throws {
        var subscription = try #require(
            try SubscriptionPayload(
                JSONParser.parse(
                    #"{"subject":{"entities":[{"id":"E"}]},"notification":{"http":{"url":"http://a"}},"status":"oneshot"}"#
                ),
                update: false
            ).subscription(id: Self.id, tenant: "t", servicePath: "/a"))
        subscription.counters.timesSent = 7
        subscription.counters.lastSuccess = 12
        subscription.counters.lastSuccessCode = 204
        let json = try JSONParser.parse(SubscriptionStore.document(subscription))
        var back = try #require(
            try SubscriptionPayload(json, update: false).subscription(id: Self.id, tenant: "t", servicePath: "/a"))
        back.counters = SubscriptionCounters(stored: json["notification"] ?? .null)
        #expect(back == subscription)
    }
}
