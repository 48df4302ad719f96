"""The broker driven by filip, the FIWARE Python library, as an Orion user would."""

import pytest

filip = pytest.importorskip("filip")

from filip.clients.ngsi_v2 import ContextBrokerClient  # noqa: E402
from filip.models.base import FiwareHeader  # noqa: E402
from filip.models.ngsi_v2.base import NamedMetadata  # noqa: E402
from filip.models.ngsi_v2.context import ActionType, ContextEntity, NamedContextAttribute, Query  # noqa: E402
from filip.models.ngsi_v2.base import EntityPattern  # noqa: E402


@pytest.fixture
def client(broker):
    header = FiwareHeader(service="", service_path="/")
    with ContextBrokerClient(url=broker.url, fiware_header=header) as client:
        yield client


def room(number, temperature):
    return ContextEntity(
        id=f"urn:ngsi-ld:Room:{number}",
        type="Room",
        temperature={"type": "Number", "value": temperature, "metadata": {"source": {"type": "Text", "value": "CEL"}}},
        name={"type": "Text", "value": f"Room {number}"},
    )


def test_version(client):
    assert client.get_version()["orion"]["version"] == "4.7.0"


def test_entity_lifecycle(client):
    client.post_entity(room(1, 21.5))
    entity = client.get_entity("urn:ngsi-ld:Room:1")
    assert entity.type == "Room"
    assert entity.get_attribute("temperature").value == 21.5
    assert entity.get_attribute("temperature").metadata["source"].value == "CEL"

    client.update_attribute_value(entity_id="urn:ngsi-ld:Room:1", attr_name="temperature", value=23)
    assert client.get_attribute_value("urn:ngsi-ld:Room:1", "temperature") == 23

    client.update_or_append_entity_attributes(
        "urn:ngsi-ld:Room:1",
        [NamedContextAttribute(name="humidity", type="Number", value=40,
                               metadata=[NamedMetadata(name="source", type="Text", value="P1")])],
    )
    attributes = client.get_entity_attributes("urn:ngsi-ld:Room:1")
    assert sorted(attributes) == ["humidity", "name", "temperature"]

    client.delete_entity_attribute("urn:ngsi-ld:Room:1", "humidity")
    assert "humidity" not in client.get_entity_attributes("urn:ngsi-ld:Room:1")

    client.delete_entity("urn:ngsi-ld:Room:1", "Room")
    assert client.get_entity_list() == []


def test_queries(client):
    for number in range(1, 6):
        client.post_entity(room(number, number * 5))
    found = client.get_entity_list(entity_types=["Room"], q="temperature>12", order_by="!temperature")
    assert [entity.id for entity in found] == ["urn:ngsi-ld:Room:5", "urn:ngsi-ld:Room:4", "urn:ngsi-ld:Room:3"]
    found = client.get_entity_list(id_pattern=".*:[12]$", response_format="keyValues")
    assert sorted(entity.temperature for entity in found) == [5, 10]
    found = client.get_entity_list(mq="temperature.source==CEL", limit=2)
    assert len(found) == 2


def test_batch_operations(client):
    client.update(entities=[room(1, 10), room(2, 20)], action_type=ActionType.APPEND)
    assert len(client.get_entity_list()) == 2
    client.update(entities=[room(1, 11)], action_type=ActionType.UPDATE)
    assert client.get_attribute_value("urn:ngsi-ld:Room:1", "temperature") == 11
    result = client.query(query=Query(entities=[EntityPattern(idPattern=".*", type="Room")]))
    assert len(result) == 2
    # With attributes, a batch delete removes those attributes; without, the entities themselves.
    client.update(entities=[room(1, 11)], action_type=ActionType.DELETE)
    assert client.get_entity_attributes("urn:ngsi-ld:Room:1") == {}
    bare = [ContextEntity(id=f"urn:ngsi-ld:Room:{number}", type="Room") for number in (1, 2)]
    client.update(entities=bare, action_type=ActionType.DELETE)
    assert client.get_entity_list() == []


def test_types(client):
    client.post_entity(room(1, 10))
    types = client.get_entity_types()
    assert types == [{"type": "Room", "attrs": {"name": {"types": ["Text"]}, "temperature": {"types": ["Number"]}}, "count": 1}]
