"""Raw-HTTP checks of the broker's bodies, status codes and headers against Orion's."""

import http.client
import json
import re

import requests

JSON = {"Content-Type": "application/json"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def raw(broker, method, path, body=None, headers=None):
    """Sends a request with exactly the given headers and returns (status, reason, header list, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", broker.port, timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if body is not None:
        data = body.encode()
        if "Content-Length" not in (headers or {}):
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
    else:
        connection.endheaders()
    response = connection.getresponse()
    payload = response.read().decode()
    connection.close()
    return response.status, response.reason, response.getheaders(), payload


def error(code, description):
    return json.dumps({"error": code, "description": description}, separators=(",", ":"))


def create(broker, entity, headers=None):
    response = requests.post(broker.url + "/v2/entities", json=entity, headers=headers)
    assert response.status_code == 201, response.text


def test_version_has_orions_shape(broker):
    response = requests.get(broker.url + "/version")
    assert response.status_code == 200
    assert set(response.json()["orion"]) == {
        "version", "uptime", "git_hash", "compile_time", "compiled_by", "compiled_in", "release_date", "machine", "doc",
    }


def test_entry_points(broker):
    assert requests.get(broker.url + "/v2").text == (
        '{"entities_url":"/v2/entities","types_url":"/v2/types",'
        '"subscriptions_url":"/v2/subscriptions","registrations_url":"/v2/registrations"}'
    )


def test_create_answers_201_with_headers_in_orions_order(broker):
    body = '{"id":"Room1","type":"Room","temperature":{"value":23.5,"type":"Number"}}'
    status, reason, headers, payload = raw(broker, "POST", "/v2/entities", body, JSON)
    assert (status, reason, payload) == (201, "Created", "")
    names = [name for name, _ in headers]
    assert names == ["Date", "Fiware-Correlator", "Location", "Content-Length"]
    values = dict(headers)
    assert values["Location"] == "/v2/entities/Room1?type=Room"
    assert values["Content-Length"] == "0"
    assert UUID.match(values["Fiware-Correlator"])


def test_get_echoes_the_correlator_and_renders_compact_json(broker):
    create(broker, {"id": "E1", "type": "T", "n": {"value": 1}, "s": {"value": "x", "metadata": {"m": {"value": True}}}})
    status, _, headers, payload = raw(broker, "GET", "/v2/entities/E1", headers={"Fiware-Correlator": "abc-123"})
    assert status == 200
    assert [name for name, _ in headers] == ["Date", "Fiware-Correlator", "Content-Type", "Content-Length"]
    values = dict(headers)
    assert values["Fiware-Correlator"] == "abc-123"
    assert values["Content-Type"] == "application/json"
    expected = (
        '{"id":"E1","type":"T","n":{"type":"Number","value":1,"metadata":{}},'
        '"s":{"type":"Text","value":"x","metadata":{"m":{"type":"Boolean","value":true}}}}'
    )
    assert payload == expected
    assert values["Content-Length"] == str(len(expected))


def test_no_content_carries_only_date_and_correlator(broker):
    create(broker, {"id": "E1", "type": "T", "n": {"value": 1}})
    status, reason, headers, payload = raw(broker, "PATCH", "/v2/entities/E1/attrs", '{"n":{"value":2}}', JSON)
    assert (status, reason, payload) == (204, "No Content", "")
    assert [name for name, _ in headers] == ["Date", "Fiware-Correlator"]


def test_unknown_path_and_wrong_method(broker):
    status, _, _, payload = raw(broker, "GET", "/v2/nothing")
    assert (status, payload) == (400, error("BadRequest", "Service not found. Check your URL as probably it is wrong."))
    status, _, headers, payload = raw(broker, "PUT", "/v2/entities", "{}", JSON)
    assert (status, payload) == (405, error("MethodNotAllowed", "method not allowed"))
    assert dict(headers)["Allow"] == "GET, POST"
    assert [name for name, _ in headers] == ["Date", "Fiware-Correlator", "Allow", "Content-Type", "Content-Length"]


def test_validation_errors(broker):
    cases = [
        ('{"id":"a b"}', error("BadRequest", "Invalid characters in entity id")),
        ('{"id":"E","type":"T<"}', error("BadRequest", "Invalid characters in entity type")),
        ('{"id":"' + "x" * 257 + '"}', error("BadRequest", "entity id length: 257, max length supported: 256")),
        ('{"type":"T"}', error("BadRequest", "entity id length: 0, min length supported: 1")),
        ('{"id":"E","a(":{"value":1}}', error("BadRequest", "Invalid characters in attribute name")),
        ('{"id":"E","a":{"value":"x;y"}}', error("BadRequest", "Invalid characters in attribute value")),
        ('{"id":"E","a":{"value":1,"type":"T="}}', error("BadRequest", "Invalid characters in attribute type")),
        ('{"id":"E","a":5}', error("BadRequest", "attribute must be a JSON object, unless keyValues option is used")),
        ('{"id":"E",', error("ParseError", "Errors found in incoming JSON buffer")),
        ("[" * 51 + "]" * 51, error("ParseError", "Errors found in incoming JSON buffer")),
    ]
    for body, expected in cases:
        status, _, _, payload = raw(broker, "POST", "/v2/entities", body, JSON)
        assert (status, payload) == (400, expected), body
    assert requests.get(broker.url + "/v2/entities").text == "[]"


def test_content_length_type_and_accept(broker):
    status, reason, _, payload = raw(
        broker, "POST", "/v2/entities", "", {"Content-Type": "application/json", "Content-Length": "0"})
    assert (status, payload) == (411, error("ContentLengthRequired", "Zero/No Content-Length in PUT/POST/PATCH request"))
    status, _, _, payload = raw(broker, "POST", "/v2/entities", '{"id":"E"}', {"Content-Type": "text/xml"})
    assert (status, payload) == (415, error("UnsupportedMediaType", "not supported content type: text/xml"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities", headers={"Accept": "text/xml"})
    assert (status, payload) == (406, error("NotAcceptable", "acceptable MIME types: application/json"))


def test_payload_limit(multiservice_broker):
    body = '{"id":"E","a":{"value":"' + "x" * 3000 + '"}}'
    status, reason, _, payload = raw(multiservice_broker, "POST", "/v2/entities", body, JSON)
    # Orion's RFC 9110 phrase, not SwiftNIO's "Payload Too Large".
    assert (status, reason) == (413, "Content Too Large")
    assert payload == error("RequestEntityTooLarge", f"payload size: {len(body)}, max size supported: 2000")


def test_not_found_conflict_and_unprocessable(broker):
    status, _, _, payload = raw(broker, "GET", "/v2/entities/none")
    assert (status, payload) == (404, error("NotFound", "The requested entity has not been found. Check type and id"))
    create(broker, {"id": "E", "type": "A"})
    create(broker, {"id": "E", "type": "B"})
    status, _, _, payload = raw(broker, "GET", "/v2/entities/E")
    assert (status, payload) == (409, error("TooManyResults", "More than one matching entity. Please refine your query"))
    status, reason, _, payload = raw(broker, "POST", "/v2/entities", '{"id":"E","type":"A"}', JSON)
    assert (status, reason, payload) == (422, "Unprocessable Content", error("Unprocessable", "Already Exists"))


def test_attribute_value_as_text_and_json(broker):
    create(broker, {"id": "E", "type": "T", "n": {"value": 21.5}, "s": {"value": "hi"}, "o": {"value": {"a": [1]}}})
    response = requests.get(broker.url + "/v2/entities/E/attrs/n/value")
    assert (response.text, response.headers["Content-Type"]) == ("21.5", "text/plain")
    assert requests.get(broker.url + "/v2/entities/E/attrs/o/value").text == '{"a":[1]}'
    response = requests.put(
        broker.url + "/v2/entities/E/attrs/n/value", data="30", headers={"Content-Type": "text/plain"})
    assert response.status_code == 204
    assert requests.get(broker.url + "/v2/entities/E?options=keyValues&attrs=n").text == '{"id":"E","type":"T","n":30}'


def test_queries_and_count_header(broker):
    for index in range(5):
        create(broker, {"id": f"R{index}", "type": "Room", "t": {"value": index * 10}, "c": {"value": "red" if index % 2 else "blue"}})
    response = requests.get(broker.url + "/v2/entities", params={"q": "t>10;c==red", "options": "count,keyValues", "attrs": "t"})
    assert response.text == '[{"id":"R3","type":"Room","t":30}]'
    assert response.headers["Fiware-Total-Count"] == "1"
    response = requests.get(broker.url + "/v2/entities", params={"orderBy": "!t", "limit": "2", "options": "values", "attrs": "t"})
    assert response.text == "[[40],[30]]"
    status, _, _, payload = raw(broker, "GET", "/v2/entities?limit=1001")
    assert (status, payload) == (400, error("BadRequest", "Bad pagination limit: /1001/ [max: 1000]"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities?q=t%3D%3D")
    assert (status, payload) == (400, error("BadRequest", "empty right-hand-side in q-item"))


def test_types(broker):
    create(broker, {"id": "A", "type": "Room", "t": {"value": 1}})
    create(broker, {"id": "B", "type": "Car", "speed": {"value": 1, "type": "Float"}})
    assert requests.get(broker.url + "/v2/types").text == (
        '[{"type":"Car","attrs":{"speed":{"types":["Float"]}},"count":1},'
        '{"type":"Room","attrs":{"t":{"types":["Number"]}},"count":1}]'
    )
    assert requests.get(broker.url + "/v2/types?options=values").text == '["Car","Room"]'
    assert requests.get(broker.url + "/v2/types/Room").text == '{"attrs":{"t":{"types":["Number"]}},"count":1}'


def test_batch_update_and_query(broker):
    response = requests.post(broker.url + "/v2/op/update", json={
        "actionType": "append",
        "entities": [{"id": "A", "type": "T", "x": {"value": 1}}, {"id": "B", "type": "T", "x": {"value": 2}}],
    })
    assert response.status_code == 204
    response = requests.post(broker.url + "/v2/op/query?options=keyValues", json={
        "entities": [{"idPattern": "^[AB]$", "type": "T"}], "expression": {"q": "x>1"}})
    assert response.text == '[{"id":"B","type":"T","x":2}]'
    response = requests.post(broker.url + "/v2/op/update", json={"actionType": "delete", "entities": [{"id": "A", "type": "T"}]})
    assert response.status_code == 204
    assert requests.get(broker.url + "/v2/entities/A").status_code == 404


def test_tenants_are_separate_databases(multiservice_broker):
    url = multiservice_broker.url
    requests.post(url + "/v2/entities", json={"id": "E", "type": "T"}, headers={"Fiware-Service": "alpha"})
    assert requests.get(url + "/v2/entities", headers={"Fiware-Service": "alpha"}).text == '[{"id":"E","type":"T"}]'
    assert requests.get(url + "/v2/entities", headers={"Fiware-Service": "beta"}).text == "[]"
    assert requests.get(url + "/v2/entities").text == "[]"
    status, _, _, payload = raw(multiservice_broker, "GET", "/v2/entities", headers={"Fiware-Service": "a-b"})
    assert status == 400


def test_service_path_rules(broker):
    create(broker, {"id": "E", "type": "T"}, headers={"Fiware-ServicePath": "/park/north"})
    assert requests.get(broker.url + "/v2/entities", headers={"Fiware-ServicePath": "/park/#"}).json() == [{"id": "E", "type": "T"}]
    assert requests.get(broker.url + "/v2/entities", headers={"Fiware-ServicePath": "/park"}).json() == []
    status, _, _, payload = raw(broker, "GET", "/v2/entities", headers={"Fiware-ServicePath": "park"})
    assert (status, payload) == (
        400, error("BadRequest", "Only /absolute/ Service Paths allowed [a service path must begin with /]"))


def test_admin_log_and_statistics(broker):
    assert requests.get(broker.url + "/admin/log").json() == {
        "infoPayloadMaxSize": 5120, "level": "WARN", "lineMaxSize": 32768, "deprecate": False}
    assert requests.put(broker.url + "/admin/log?level=DEBUG").status_code == 200
    assert requests.get(broker.url + "/admin/log").json()["level"] == "DEBUG"
    statistics = requests.get(broker.url + "/statistics").json()
    assert set(statistics) == {"uptime_in_secs", "measuring_interval_in_secs"}
    assert requests.delete(broker.url + "/statistics").text == '{"message":"All statistics counter reset"}'


def test_empty_and_invalid_uri_parameters(broker):
    status, _, _, payload = raw(broker, "GET", "/v2/entities?type=")
    assert (status, payload) == (400, error("BadRequest", "Empty right-hand-side for URI param /type/"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities?type=a%3Cb")
    assert (status, payload) == (400, error("BadRequest", "invalid character in URI parameter"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities?options=bogus")
    assert (status, payload) == (400, error("BadRequest", "Invalid value for URI param /options/"))


def test_string_filter_forbidden_characters(broker):
    create(broker, {"id": "E", "type": "T", "t": {"value": 1, "metadata": {"m": {"value": "x"}}}})
    forbidden = error("BadRequest", "forbidden characters in String Filter")
    for parameter, value in [
        ("q", "t==x<y"), ("q", "t=='x(y'"), ("q", "t~=a)"), ("q", "t==a,b=c"), ("mq", "t.m==x;'y'z"), ("mq", "t.m!=x>")
    ]:
        response = requests.get(broker.url + "/v2/entities", params={parameter: value})
        assert (response.status_code, response.text) == (400, forbidden), value
    response = requests.get(broker.url + "/v2/entities", params={"q": "t(==1"})
    assert response.text == error("BadRequest", "invalid character found in URI param /q/")
    response = requests.get(broker.url + "/v2/entities", params={"mq": "t.m)==1"})
    assert response.text == error("BadRequest", "invalid character found in URI param /mq/")
    response = requests.post(broker.url + "/v2/op/query", json={"expression": {"q": "t=='<'"}})
    assert (response.status_code, response.text) == (400, forbidden)
    response = requests.get(broker.url + "/v2/entities", params={"q": "t==1", "mq": "t.m=='x'", "attrs": "t",
                                                                 "options": "keyValues"})
    assert response.text == '[{"id":"E","type":"T","t":1}]'


def test_transport_error_texts(broker):
    status, _, _, payload = raw(broker, "POST", "/v2/entities", '{"id":"E"}', {})
    assert (status, payload) == (415, error(
        "UnsupportedMediaType", "Content-Type header not used, default application/octet-stream is not supported"))
    status, _, _, payload = raw(
        broker, "POST", "/v2/entities", '{"id":"E"}', {"Content-Type": "text/xml; charset=utf-8"})
    assert (status, payload) == (415, error("UnsupportedMediaType", "not supported content type: text/xml"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities?idPattern=%5B")
    assert (status, payload) == (400, error("BadRequest", "Invalid regex for entity idPattern"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities?typePattern=%5B")
    assert (status, payload) == (400, error("BadRequest", "Invalid regex for entity typePattern"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities?typePattern=a(b)")
    assert (status, payload) == (400, error("BadRequest", "invalid character in URI parameter"))
    status, _, _, payload = raw(broker, "GET", "/v2/entities/E%3C1")
    assert (status, payload) == (400, error("BadRequest", "invalid character in URI"))
    create(broker, {"id": "E", "type": "T", "s": {"value": "hi"}})
    status, _, _, payload = raw(broker, "GET", "/v2/entities/E/attrs/s/value", headers={"Accept": "application/json"})
    assert (status, payload) == (406, error("NotAcceptable", "accepted MIME types: text/plain"))


def test_a_compound_attribute_value_asked_for_as_text_is_its_json_as_text_plain(broker):
    assert requests.post(broker.url + "/v2/entities?options=keyValues",
                         json={"id": "E1", "A1": {"a": "1", "b": 2}, "A2": ["a", "b", "c"], "A3": "x"}).status_code == 201
    for name, text in (("A1", '{"a":"1","b":2}'), ("A2", '["a","b","c"]')):
        answer = requests.get(f"{broker.url}/v2/entities/E1/attrs/{name}/value", headers={"Accept": "text/plain"})
        assert (answer.status_code, answer.headers["Content-Type"], answer.text) == (200, "text/plain", text)
        answer = requests.get(f"{broker.url}/v2/entities/E1/attrs/{name}/value", headers={"Accept": "application/json"})
        assert (answer.status_code, answer.headers["Content-Type"], answer.text) == (200, "application/json", text)
    # A text value is never JSON on this resource.
    answer = requests.get(f"{broker.url}/v2/entities/E1/attrs/A3/value", headers={"Accept": "application/json"})
    assert answer.status_code == 406


def test_text_plain_attribute_values_are_read_as_orion_reads_them(broker):
    create(broker, {"id": "E", "type": "T", "n": {"value": 1}})
    for text, value in (("TRUE", True), ("True", True), ("false", False), ("FALSE", False), ("Null", None),
                        ("3.2e2", 320), ("-12.1", -12.1), ('"STRING"', "STRING")):
        response = requests.put(broker.url + "/v2/entities/E/attrs/n/value", data=text,
                                headers={"Content-Type": "text/plain"})
        assert response.status_code == 204, text
        assert requests.get(broker.url + "/v2/entities/E?options=keyValues").json()["n"] == value, text
    response = requests.put(broker.url + "/v2/entities/E/attrs/n/value", data="a.14",
                            headers={"Content-Type": "text/plain"})
    assert (response.status_code, response.text) == (400, error("BadRequest", "attribute value type not recognized"))
    assert requests.get(broker.url + "/v2/entities/E?options=keyValues").json()["n"] == "STRING"


def test_version_takes_lib_versions_and_ignores_other_options(broker):
    plain = requests.get(broker.url + "/version?options=noSuchOption")
    assert plain.status_code == 200 and "libversions" not in plain.json()["orion"]
    libraries = requests.get(broker.url + "/version?options=libVersions")
    assert libraries.status_code == 200
    assert re.fullmatch(r"\d+\.\d+\.\d+", libraries.json()["orion"]["libversions"]["sqlite"])
