"""Payloads that carry very many attributes, within the 1 MB default limit: they are handled in linear time (a scan
per key made a 40,000-attribute entity cost seconds of CPU inside the write transaction, stalling other writes)."""

import json

import requests

JSON = {"Content-Type": "application/json"}
COUNT = 40_000


def attributes(start, value):
    return {f"a{n:05d}": {"value": value(n)} for n in range(start, start + COUNT)}


def test_an_entity_of_forty_thousand_attributes_is_created_updated_and_read(broker):
    entity = {"id": "Big", "type": "T", **attributes(0, lambda n: n)}
    body = json.dumps(entity, separators=(",", ":"))
    assert len(body) < 1_048_576
    created = requests.post(broker.url + "/v2/entities", data=body, headers=JSON, timeout=60)
    assert created.status_code == 201, created.text

    # A PATCH of every attribute, one of them given twice: the later value wins, as Orion's parser keeps it.
    update = json.dumps(attributes(0, lambda n: n + 1), separators=(",", ":"))
    update = update[:-1] + ',"a00007":{"value":-7}}'
    patched = requests.patch(broker.url + "/v2/entities/Big/attrs", data=update, headers=JSON, timeout=60)
    assert patched.status_code == 204, patched.text

    # appendStrict through a batch: every attribute exists, so each one is refused by name.
    batch = {"actionType": "appendStrict", "entities": [{"id": "Big", "type": "T", "a00001": {"value": 0}}]}
    refused = requests.post(broker.url + "/v2/op/update", json=batch, timeout=60)
    assert refused.status_code == 422
    assert refused.json()["error"] == "Unprocessable"
    assert "[ a00001 ]" in refused.json()["description"]

    read = requests.get(broker.url + "/v2/entities/Big?options=keyValues", timeout=60).json()
    assert len(read) == COUNT + 2
    assert read["a00000"] == 1 and read["a00007"] == -7 and read["a39999"] == 40_000
    assert list(read)[2:5] == ["a00000", "a00001", "a00002"]
