"""`/v2/subscriptions` end to end: Orion's bodies, statuses, headers and error texts, storage across restarts,
tenants and service paths."""

import json
import re

import pytest
import requests

SUBSCRIPTION = {
    "description": "A subscription to get info about Room1",
    "subject": {"entities": [{"id": "Room1", "type": "Room"}], "condition": {"attrs": ["pressure"]}},
    "notification": {"http": {"url": "http://localhost:1028/notify"}, "attrs": ["temperature"]},
    "expires": "2040-01-01T14:00:00.00Z",
    "throttling": 5,
}


def create(url, payload=SUBSCRIPTION, headers=None):
    response = requests.post(url + "/v2/subscriptions", json=payload, headers=headers or {})
    assert response.status_code == 201, response.text
    location = response.headers["Location"]
    assert re.fullmatch(r"/v2/subscriptions/[0-9a-f]{24}", location)
    return location.rsplit("/", 1)[1]


def expected(subscription_id):
    return (
        '{"id":"' + subscription_id + '","description":"A subscription to get info about Room1",'
        '"expires":"2040-01-01T14:00:00.000Z","status":"active","subject":{"entities":[{"id":"Room1","type":"Room"}],'
        '"condition":{"attrs":["pressure"],"notifyOnMetadataChange":true}},"notification":{"attrs":["temperature"],'
        '"onlyChangedAttrs":false,"attrsFormat":"normalized","http":{"url":"http://localhost:1028/notify"},'
        '"covered":false},"throttling":5}'
    )


def test_create_retrieve_patch_delete(broker):
    response = requests.post(broker.url + "/v2/subscriptions", json=SUBSCRIPTION)
    assert response.status_code == 201
    assert response.text == ""
    assert response.headers["Content-Length"] == "0"
    assert list(response.headers)[:3] == ["Date", "Fiware-Correlator", "Location"]
    subscription_id = response.headers["Location"].rsplit("/", 1)[1]

    got = requests.get(broker.url + "/v2/subscriptions/" + subscription_id)
    assert got.status_code == 200
    assert got.headers["Content-Type"] == "application/json"
    assert got.text == expected(subscription_id)

    patched = requests.patch(
        broker.url + "/v2/subscriptions/" + subscription_id, json={"status": "inactive", "throttling": 0}
    )
    assert patched.status_code == 204
    assert patched.text == ""
    body = requests.get(broker.url + "/v2/subscriptions/" + subscription_id).text
    assert body == expected(subscription_id).replace('"active"', '"inactive"').replace(',"throttling":5', "")

    listed = requests.get(broker.url + "/v2/subscriptions")
    assert listed.status_code == 200
    assert listed.text == "[" + body + "]"

    deleted = requests.delete(broker.url + "/v2/subscriptions/" + subscription_id)
    assert deleted.status_code == 204
    assert requests.get(broker.url + "/v2/subscriptions").text == "[]"


def test_not_found_and_wrong_methods(broker):
    not_found = '{"error":"NotFound","description":"The requested subscription has not been found. Check id"}'
    for method in ("GET", "DELETE"):
        response = requests.request(method, broker.url + "/v2/subscriptions/5fa7988a627088ba9b91b1c1")
        assert (response.status_code, response.text) == (404, not_found)
    response = requests.patch(broker.url + "/v2/subscriptions/5fa7988a627088ba9b91b1c1", json={"status": "active"})
    assert (response.status_code, response.text) == (404, not_found)
    response = requests.get(broker.url + "/v2/subscriptions/not-an-id")
    assert (response.status_code, response.text) == (404, not_found)

    response = requests.put(broker.url + "/v2/subscriptions/5fa7988a627088ba9b91b1c1", json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PATCH, DELETE"
    assert response.text == '{"error":"MethodNotAllowed","description":"method not allowed"}'
    response = requests.delete(broker.url + "/v2/subscriptions")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"


def test_paging_with_count(broker):
    ids = [create(broker.url) for _ in range(5)]
    response = requests.get(broker.url + "/v2/subscriptions", params={"limit": "2", "offset": "1", "options": "count"})
    assert response.status_code == 200
    assert response.headers["Fiware-Total-Count"] == "5"
    assert [item["id"] for item in response.json()] == ids[1:3]
    assert "Fiware-Total-Count" not in requests.get(broker.url + "/v2/subscriptions").headers
    assert requests.get(broker.url + "/v2/subscriptions", params={"offset": "9"}).text == "[]"
    response = requests.get(broker.url + "/v2/subscriptions", params={"limit": "x"})
    assert response.status_code == 400
    assert response.json() == {"error": "BadRequest", "description": "Bad pagination limit: /x/ [must be a decimal number]"}


ENTITIES = {"entities": [{"id": "E"}]}
HTTP = {"http": {"url": "http://localhost:1028"}}


@pytest.mark.parametrize(
    "payload, description",
    [
        ({}, "empty payload"),
        ({"notification": HTTP}, "no subject for subscription specified"),
        ({"subject": ENTITIES}, "no notification for subscription specified"),
        ({"subject": ENTITIES, "notification": {"http": HTTP["http"], "httpCustom": HTTP["http"]}},
         "only one of http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is allowed"),
        ({"subject": ENTITIES, "notification": {"attrs": []}},
         "http, httpCustom, mqtt, mqttCustom, kafka or kafkaCustom is missing"),
        ({"subject": ENTITIES, "notification": {**HTTP, "attrsFormat": "legacy"}},
         "invalid attrsFormat, accepted values: normalized, simplifiedNormalized, keyValues, simplifiedKeyValues, values"),
        ({"subject": ENTITIES, "notification": {**HTTP, "attrs": ["a"], "exceptAttrs": ["b"]}},
         "http notification has attrs and exceptAttrs"),
        ({"subject": ENTITIES, "notification": HTTP, "expires": "soon"}, "expires has an invalid format"),
        ({"subject": ENTITIES, "notification": HTTP, "throttling": "5"}, "throttling is not an int"),
        ({"subject": {**ENTITIES, "condition": {"expression": {"q": "a;;b"}}}, "notification": HTTP}, "empty q-item"),
        ({"subject": {"entities": [{"id": "x" * 257}]}, "notification": HTTP},
         "max id length exceeded in /entities/ vector item /id/"),
        ({"subject": {**ENTITIES, "condition": {}}, "notification": HTTP}, "condition is empty"),
        ({"subject": ENTITIES, "notification": {**HTTP, "covered": True}},
         "covered true cannot be used if notification attributes list is empty"),
        ({"subject": ENTITIES, "notification": HTTP, "status": "failed"},
         "status is not valid: it has to be either active, inactive or oneshot"),
    ],
)
def test_each_validation_error(broker, payload, description):
    response = requests.post(broker.url + "/v2/subscriptions", json=payload)
    assert response.status_code == 400
    assert response.text == json.dumps({"error": "BadRequest", "description": description}, separators=(",", ":"))
    # Nothing is stored.
    assert requests.get(broker.url + "/v2/subscriptions").text == "[]"


def test_invalid_json_and_patch_errors(broker):
    response = requests.post(
        broker.url + "/v2/subscriptions", data="{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "ParseError", "description": "Errors found in incoming JSON buffer"}
    subscription_id = create(broker.url)
    response = requests.patch(broker.url + "/v2/subscriptions/" + subscription_id, json={"throttling": "x"})
    assert response.status_code == 400
    assert response.json() == {"error": "BadRequest", "description": "throttling is not an int"}
    assert requests.get(broker.url + "/v2/subscriptions/" + subscription_id).text == expected(subscription_id)


def test_subscriptions_survive_a_restart(broker_with_flags):
    first = broker_with_flags()
    subscription_id = create(first.url)
    requests.patch(first.url + "/v2/subscriptions/" + subscription_id, json={"description": "patched"})
    first.stop()
    second = broker_with_flags()
    body = requests.get(second.url + "/v2/subscriptions/" + subscription_id).text
    assert body == expected(subscription_id).replace("A subscription to get info about Room1", "patched")
    assert requests.get(second.url + "/v2/subscriptions").text == "[" + body + "]"


def test_tenants_and_service_paths(multiservice_broker):
    url = multiservice_broker.url
    in_a = create(url, headers={"Fiware-Service": "tenant_a", "Fiware-ServicePath": "/building"})
    in_a_root = create(url, headers={"Fiware-Service": "tenant_a"})
    in_b = create(url, headers={"Fiware-Service": "tenant_b", "Fiware-ServicePath": "/building/#"})

    def ids(service, path=None):
        headers = {"Fiware-Service": service}
        if path:
            headers["Fiware-ServicePath"] = path
        return [item["id"] for item in requests.get(url + "/v2/subscriptions", headers=headers).json()]

    assert ids("tenant_a", "/building") == [in_a]
    assert ids("tenant_a") == [in_a_root]
    assert ids("tenant_a", "/other") == []
    assert ids("tenant_b", "/building/#") == [in_b]
    assert ids("tenant_b") == []
    assert requests.get(url + "/v2/subscriptions").text == "[]"
    # GET by id ignores the service path, not the tenant.
    assert requests.get(url + f"/v2/subscriptions/{in_a}", headers={"Fiware-Service": "tenant_a"}).status_code == 200
    assert requests.get(url + f"/v2/subscriptions/{in_a}", headers={"Fiware-Service": "tenant_b"}).status_code == 404
    response = requests.post(
        url + "/v2/subscriptions", json=SUBSCRIPTION, headers={"Fiware-ServicePath": "building"}
    )
    assert response.status_code == 400
    assert response.json()["description"] == "Only /absolute/ Service Paths allowed [a service path must begin with /]"


def test_filip_subscription_calls(broker):
    filip = pytest.importorskip("filip")  # noqa: F841
    from filip.clients.ngsi_v2 import ContextBrokerClient
    from filip.models.base import FiwareHeader
    from filip.models.ngsi_v2.subscriptions import Subscription

    header = FiwareHeader(service="", service_path="/")
    with ContextBrokerClient(url=broker.url, fiware_header=header) as client:
        subscription = Subscription(**SUBSCRIPTION)
        subscription_id = client.post_subscription(subscription)
        assert re.fullmatch(r"[0-9a-f]{24}", subscription_id)
        listed = client.get_subscription_list()
        assert [item.id for item in listed] == [subscription_id]
        assert listed[0].description == SUBSCRIPTION["description"]
        assert listed[0].throttling == 5
        changed = listed[0].model_copy(update={"description": "changed by filip"})
        client.update_subscription(changed)
        assert client.get_subscription(subscription_id).description == "changed by filip"
        client.delete_subscription(subscription_id)
        assert client.get_subscription_list() == []


def test_tenant_subscriptions_survive_a_restart(broker_with_flags):
    first = broker_with_flags("-multiservice")
    headers = {"Fiware-Service": "tenant_a", "Fiware-ServicePath": "/building"}
    subscription_id = create(first.url, headers=headers)
    first.stop()
    second = broker_with_flags("-multiservice")
    listed = requests.get(second.url + "/v2/subscriptions", headers=headers)
    assert listed.text == "[" + expected(subscription_id) + "]"
    assert requests.get(second.url + "/v2/subscriptions").text == "[]"


def test_cache_statistics_count_the_cache_operations(broker):
    first = create(broker.url)
    second = create(broker.url)
    assert requests.patch(broker.url + "/v2/subscriptions/" + first, json={"throttling": 1}).status_code == 204
    assert requests.delete(broker.url + "/v2/subscriptions/" + second).status_code == 204
    response = requests.get(broker.url + "/cache/statistics")
    assert response.status_code == 200
    statistics = response.json()
    assert list(statistics) == ["ids", "refreshs", "inserts", "removes", "updates", "items"]
    assert (statistics["ids"], statistics["inserts"], statistics["removes"], statistics["updates"],
            statistics["items"]) == (first, 2, 1, 1, 1)
    response = requests.delete(broker.url + "/cache/statistics")
    assert response.text == '{"message":"All statistics counter reset"}'
    statistics = requests.get(broker.url + "/cache/statistics").json()
    assert (statistics["inserts"], statistics["removes"], statistics["updates"], statistics["items"]) == (0, 0, 0, 1)
