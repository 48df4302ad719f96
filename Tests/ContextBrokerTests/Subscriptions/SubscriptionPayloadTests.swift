import Testing

@testable import ContextBroker

/// Each refusal of a subscription payload, with Orion's text.
@Suite struct SubscriptionPayloadTests {
    static let http = #""notification":{"http":{"url":"http://localhost:1028/notify"}}"#
    static let subject = #""subject":{"entities":[{"id":"Room1","type":"Room"}]}"#

    static func refusal(_ payload: String, update: Bool = false) -> String? {
        guard let json = try? JSONParser.parse(payload) else { return "unparsable" }
        do {
            _ = try SubscriptionPayload(json, update: update)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("{}", "empty payload"),
        (#"{\#(http)}"#, "no subject for subscription specified"),
        (#"{\#(subject)}"#, "no notification for subscription specified"),
        (#"{"description":3,\#(subject),\#(http)}"#, "description is not a string"),
        (
            #"{"description":"\#(String(repeating: "x", count: 1025))",\#(subject),\#(http)}"#,
            "max description length exceeded"
        ),
        (#"{"description":"a<b",\#(subject),\#(http)}"#, "forbidden characters in description"),
        (#"{"subject":[],\#(http)}"#, "subject is not an object"),
        (#"{"subject":{},\#(http)}"#, "no subject entities specified"),
        (#"{"subject":{"entities":{}},\#(http)}"#, "/entities/ is not an array"),
        (#"{"subject":{"entities":[]},\#(http)}"#, "subject entities is empty"),
        (#"{"subject":{"entities":[3]},\#(http)}"#, "/entities/ vector item is not an object"),
        (
            #"{"subject":{"entities":[{"type":"T"}]},\#(http)}"#,
            "/entities/ vector item does not have /id/ nor /idPattern/"
        ),
        (
            #"{"subject":{"entities":[{"id":"a","idPattern":"b"}]},\#(http)}"#,
            "/entities/ vector item has both /id/ and /idPattern/"
        ),
        (
            #"{"subject":{"entities":[{"id":"a","type":"T","typePattern":"b"}]},\#(http)}"#,
            "/entities/ element has both /type/ and /typePattern/"
        ),
        (#"{"subject":{"entities":[{"id":""}]},\#(http)}"#, "/entities/ element id is empty"),
        (#"{"subject":{"entities":[{"id":3}]},\#(http)}"#, "/entities/ vector item /id/ is not a string"),
        (#"{"subject":{"entities":[{"id":"a b"}]},\#(http)}"#, "forbidden characters in /entities/ vector item /id/"),
        (#"{"subject":{"entities":[{"idPattern":"("}]},\#(http)}"#, "Invalid regex for entity idPattern"),
        (
            #"{"subject":{"entities":[{"id":"a","type":""}]},\#(http)}"#,
            "entity type length: 0, min length supported: 1"
        ),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":{}},\#(http)}"#, "condition is empty"),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":[]},\#(http)}"#, "condition is not an object"),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"attrs":"x"}},\#(http)}"#,
            "the field /attrs/ must be a JSON array"
        ),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"attrs":[1]}},\#(http)}"#,
            "only JSON Strings allowed in string vector /attrs/"
        ),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"attrs":[""]}},\#(http)}"#,
            "empty string found in string vector /attrs/"
        ),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{}}},\#(http)}"#, "expression is empty"),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"q":""}}},\#(http)}"#, "q is empty"),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"q":1}}},\#(http)}"#, "q is not a string"),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"q":"a;;b"}}},\#(http)}"#, "empty q-item"),
        (#"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"mq":""}}},\#(http)}"#, "mq is empty"),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"georel":"near;maxDistance:5"}}},\#(http)}"#,
            "partial geo expression: geometry, georel and coords have to be provided together"
        ),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"expression":{"georel":"near","geometry":"point","coords":"1,2"}}},\#(http)}"#,
            "error parsing geo-query fields: georel /near/ without either minDistance nor maxDistance"
        ),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"alterationTypes":["entityMoved"]}},\#(http)}"#,
            "unknown subscription alterationType: entityMoved"
        ),
        (
            #"{"subject":{"entities":[{"id":"a"}],"condition":{"notifyOnMetadataChange":"no"}},\#(http)}"#,
            "notifyOnMetadataChange is not a bool"
        ),
        (#"{\#(subject),"notification":[]}"#, "notification is not an object"),
        (#"{\#(subject),"notification":{}}"#, "http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is missing"),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"httpCustom":{"url":"http://a"}}}"#,
            "only one of http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is allowed"
        ),
        (#"{\#(subject),"notification":{"http":{}}}"#, "url http notification is missing"),
        (#"{\#(subject),"notification":{"http":3}}"#, "http notification is not an object"),
        (#"{\#(subject),"notification":{"http":{"url":"nowhere"}}}"#, "Invalid URL parsing notification url"),
        (#"{\#(subject),"notification":{"http":{"url":"http://a:0/n"}}}"#, "Invalid URL parsing notification url"),
        (
            #"{\#(subject),"notification":{"http":{"url":"mqtt://a:1883"}}}"#,
            "mqtt URL cannot be used in http notifications"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a","timeout":-1}}}"#,
            "timeout field must be an integer between 0 and 1800000"
        ),
        (#"{\#(subject),"notification":{"http":{"url":"http://a","timeout":"1"}}}"#, "timeout is not an int"),
        (#"{\#(subject),"notification":{"httpCustom":{"url":"x"}}}"#, "invalid custom /url/"),
        (
            #"{\#(subject),"notification":{"httpCustom":{"url":"http://a","method":"FETCH"}}}"#,
            "unknown method httpCustom notification"
        ),
        (
            #"{\#(subject),"notification":{"httpCustom":{"url":"http://a","qs":{}}}}"#,
            "notification httpCustom qs is empty"
        ),
        (
            #"{\#(subject),"notification":{"httpCustom":{"url":"http://a","headers":{"a":1}}}}"#,
            "notification httpCustom headers element is not a string"
        ),
        (
            #"{\#(subject),"notification":{"httpCustom":{"url":"http://a","payload":"x","json":{}}}}"#,
            "only one of payload, json or ngsi fields accepted at the same time in httpCustom or mqttCustom"
        ),
        (
            #"{\#(subject),"notification":{"httpCustom":{"url":"http://a","json":3}}}"#,
            "json fields in httpCustom or mqttCustom must be object or array"
        ),
        (
            #"{\#(subject),"notification":{"httpCustom":{"url":"http://a","payload":"a(b)"}}}"#,
            "forbidden characters in custom /payload/"
        ),
        (
            #"{\#(subject),"notification":{"mqtt":{"url":"http://a","topic":"t"}}}"#,
            "http or https URL cannot be used in mqtt notifications"
        ),
        (
            #"{\#(subject),"notification":{"mqtt":{"url":"mqtt://a:1883/x","topic":"t"}}}"#,
            "path cannot be used in mqtt url, use topic instead"
        ),
        (#"{\#(subject),"notification":{"mqtt":{"url":"mqtt://a:1883"}}}"#, "mandatory mqtt field /topic/"),
        (
            #"{\#(subject),"notification":{"mqtt":{"url":"mqtt://a:1883","topic":"a/#"}}}"#,
            "+ and # are not allowed in mqtt field /topic/"
        ),
        (
            #"{\#(subject),"notification":{"mqtt":{"url":"mqtt://a:1883","topic":"t","qos":3}}}"#,
            "mqtt qos field must be an integer in the 0 to 2 range"
        ),
        (
            #"{\#(subject),"notification":{"mqtt":{"url":"mqtt://a:1883","topic":"t","user":"u"}}}"#,
            "you must use user and passwd fields simultaneously"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"attrs":[],"exceptAttrs":["b"]}}"#,
            "http notification has attrs and exceptAttrs"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"exceptAttrs":[]}}"#,
            "http notification has exceptAttrs is empty"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"covered":true}}"#,
            "covered true cannot be used if notification attributes list is empty"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"onlyChangedAttrs":1}}"#,
            "onlyChangedAttrs is not a bool"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"attrsFormat":"unique"}}"#,
            "invalid attrsFormat, accepted values: normalized, simplifiedNormalized, keyValues, simplifiedKeyValues, values"
        ),
        (
            #"{\#(subject),"notification":{"http":{"url":"http://a"},"maxFailsLimit":0}}"#,
            "maxFailsLimit must be greater than zero"
        ),
        (#"{\#(subject),\#(http),"expires":"tomorrow"}"#, "expires has an invalid format"),
        (#"{\#(subject),\#(http),"expires":1}"#, "expires is not a string"),
        (
            #"{\#(subject),\#(http),"status":"failed"}"#,
            "status is not valid: it has to be either active, inactive or oneshot"
        ),
        (#"{\#(subject),\#(http),"throttling":"5"}"#, "throttling is not an int"),
        (#"{\#(subject),\#(http),"throttling":1.5}"#, "throttling is not an int"),
    ])
    func refusesWithOrionsText(payload: String, text: String) {
        #expect(Self.refusal(payload) == text)
    }

    @Test func aParseErrorForAnythingButAnObject() {
        #expect(Self.refusal("[]") == "Errors found in incoming JSON buffer")
    }

    @Test func anUpdateNeedsNeitherSubjectNorNotification() throws {
        #expect(Self.refusal(#"{"status":"inactive"}"#, update: true) == nil)
        #expect(Self.refusal("{}", update: true) == "empty payload")
        let payload = try SubscriptionPayload(JSONParser.parse(#"{"throttling":5,"expires":""}"#), update: true)
        var subscription = try #require(
            try SubscriptionPayload(
                JSONParser.parse(#"{\#(Self.subject),\#(Self.http),"expires":"2040-01-01T14:00:00.5Z"}"#), update: false
            )
            .subscription(id: "5fa7988a627088ba9b91b1c1", tenant: "", servicePath: "/#"))
        #expect(subscription.expires == DateTimeFormat.parse("2040-01-01T14:00:00Z"))
        payload.apply(to: &subscription)
        #expect(subscription.throttling == 5)
        #expect(subscription.expires == nil)
    }

    @Test func ignoresUnknownMembersAsOrionDoes() {
        #expect(Self.refusal(#"{\#(Self.subject),\#(Self.http),"colour":"blue"}"#) == nil)
    }
}
