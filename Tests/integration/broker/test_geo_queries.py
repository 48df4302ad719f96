"""Geo-queries over raw HTTP: Orion's georel, geometry and coords on every location type."""

import json

import requests

from test_wire_format import JSON, error, raw


def create(broker, entity):
    status, _, _, payload = raw(broker, "POST", "/v2/entities", json.dumps(entity), JSON)
    assert status == 201, payload


def ids(broker, query):
    status, _, _, payload = raw(broker, "GET", "/v2/entities?options=keyValues&attrs=none&" + query)
    assert status == 200, payload
    return [entity["id"] for entity in json.loads(payload)]


def populate(broker):
    # Madrid, Barcelona and Seville as points in three notations, a line across Madrid, and a box and a polygon.
    create(broker, {"id": "Madrid", "type": "City", "location": {"type": "geo:point", "value": "40.4168, -3.7038"}})
    create(broker, {"id": "Barcelona", "type": "City", "location": {
        "type": "geo:json", "value": {"type": "Point", "coordinates": [2.1734, 41.3851]}}})
    create(broker, {"id": "Seville", "type": "City", "location": {"type": "geo:json", "value": {
        "type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-5.9845, 37.3891]}}}})
    create(broker, {"id": "Road", "type": "Road", "location": {"type": "geo:line", "value": ["40.0, -4.0", "41.0, -3.0"]}})
    create(broker, {"id": "Park", "type": "Area", "location": {"type": "geo:box", "value": ["40.40, -3.72", "40.43, -3.69"]}})
    create(broker, {"id": "North", "type": "Area", "location": {"type": "geo:json", "value": {"type": "Polygon",
        "coordinates": [[[-10, 42], [4, 42], [4, 44], [-10, 44], [-10, 42]]]}}})
    create(broker, {"id": "Nowhere", "type": "Thing", "temperature": {"value": 20}})


def test_geo_relations(broker):
    populate(broker)
    # Within 10 km of Madrid's centre: Madrid, the road through it and the park.
    assert ids(broker, "georel=near;maxDistance:10000&geometry=point&coords=40.4168,-3.7038") == ["Madrid", "Road", "Park"]
    # Between 400 and 600 km: Barcelona (505 km) and Seville (390 km) is too close.
    assert ids(broker, "georel=near;minDistance:400000;maxDistance:600000&geometry=point&coords=40.4168,-3.7038") == [
        "Barcelona"]
    assert ids(broker, "georel=near;maxDistance:600000&geometry=point&coords=40.4168,-3.7038&orderBy=geo:distance") == [
        "Madrid", "Park", "Road", "North", "Seville", "Barcelona"]
    # The Iberian box covers the cities, the road and the park, not the northern strip.
    iberia = "geometry=box&coords=36,-10;42,4"
    assert ids(broker, "georel=coveredBy&" + iberia) == ["Madrid", "Barcelona", "Seville", "Road", "Park"]
    assert ids(broker, "georel=intersects&" + iberia) == ["Madrid", "Barcelona", "Seville", "Road", "Park", "North"]
    assert ids(broker, "georel=disjoint&geometry=polygon&coords=36,-10;36,4;41,4;41,-10;36,-10") == [
        "Barcelona", "North"]
    assert ids(broker, "georel=intersects&geometry=line&coords=40.5,-3.8;40.5,-3.2") == ["Road"]
    assert ids(broker, "georel=equals&geometry=box&coords=40.43,-3.69;40.40,-3.72") == ["Park"]
    assert ids(broker, "georel=equals&geometry=point&coords=41.3851,2.1734") == ["Barcelona"]
    # Geometry and coords without georel are checked but filter nothing.
    assert len(ids(broker, "geometry=point&coords=0,0")) == 7
    # With other filters and the count.
    response = requests.get(broker.url + "/v2/entities", params={
        "type": "City", "georel": "coveredBy", "geometry": "polygon", "coords": "36,-10;36,0;42,0;42,-10;36,-10",
        "options": "count,keyValues", "attrs": "none"})
    assert response.text == '[{"id":"Madrid","type":"City"},{"id":"Seville","type":"City"}]'
    assert response.headers["Fiware-Total-Count"] == "2"
    response = requests.post(broker.url + "/v2/op/query?options=keyValues&attrs=none", json={
        "entities": [{"idPattern": ".*"}],
        "expression": {"georel": "near;maxDistance:1000", "geometry": "point", "coords": "41.3851,2.1734"}})
    assert response.text == '[{"id":"Barcelona","type":"City"}]'


def test_locations_follow_updates(broker):
    create(broker, {"id": "Car", "type": "Car", "position": {"type": "geo:point", "value": "0, 0"}})
    near_zero = "georel=near;maxDistance:1000&geometry=point&coords=0,0"
    assert ids(broker, near_zero) == ["Car"]
    status, _, _, _ = raw(broker, "PATCH", "/v2/entities/Car/attrs", '{"position":{"type":"geo:point","value":"10, 10"}}', JSON)
    assert status == 204
    assert ids(broker, near_zero) == []
    assert ids(broker, "georel=near;maxDistance:1000&geometry=point&coords=10,10") == ["Car"]
    # A second location attribute written later becomes the location.
    status, _, _, _ = raw(broker, "POST", "/v2/entities/Car/attrs", '{"parking":{"type":"geo:point","value":"0, 0"}}', JSON)
    assert status == 204
    assert ids(broker, near_zero) == ["Car"]
    status, _, _, _ = raw(broker, "DELETE", "/v2/entities/Car/attrs/parking")
    assert ids(broker, near_zero) == []


def test_geo_errors(broker):
    cases = [
        ("georel=near;maxDistance:1&geometry=box&coords=0,0;1,1",
         "Invalid query: georel /near/ used with geometry different than point"),
        ("georel=near&geometry=point&coords=0,0", "Invalid query: georel /near/ without either minDistance nor maxDistance"),
        ("geometry=point", "Invalid query: URI param /geometry/ used without /coords/"),
        ("coords=0,0", "Invalid query: URI param /coords/ used without /geometry/"),
        ("georel=intersects", "Invalid query: URI param /georel/ used without /geometry/"),
        ("georel=intersects&geometry=polygon&coords=0,0;0,1;1,1", "Invalid query: Too few coordinates for polygon"),
        ("georel=intersects&geometry=circle&coords=0,0",
         "Invalid query: error parsing geometry: Invalid selector in geometry specification"),
    ]
    for query, description in cases:
        status, _, _, payload = raw(broker, "GET", "/v2/entities?" + query)
        assert (status, payload) == (400, error("BadRequest", description)), query
    response = requests.post(broker.url + "/v2/op/query", json={"expression": {"georel": "intersects", "geometry": "point"}})
    assert (response.status_code, response.text) == (400, error(
        "BadRequest", "partial geo expression: geometry, georel and coords have to be provided together"))
    status, reason, _, payload = raw(broker, "POST", "/v2/entities", json.dumps({"id": "Two", "a": {
        "type": "geo:point", "value": "1, 1"}, "b": {"type": "geo:point", "value": "2, 2"}}), JSON)
    assert (status, reason, payload) == (413, "Content Too Large", error(
        "NoResourcesAvailable", "You cannot use more than one geo location attribute when creating an entity. "
        "Use ignoreType metadata if you want to add additional informative locations."))
    status, _, _, payload = raw(broker, "POST", "/v2/entities", json.dumps({"id": "Two", "a": {
        "type": "geo:point", "value": "1, 1"}, "b": {"type": "geo:point", "value": "2, 2",
        "metadata": {"ignoreType": {"type": "Boolean", "value": True}}}}), JSON)
    assert status == 201, payload
    status, _, _, payload = raw(broker, "POST", "/v2/entities", json.dumps(
        {"id": "Bad", "a": {"type": "geo:point", "value": "north"}}), JSON)
    assert (status, payload) == (400, error("BadRequest", "geo coordinates format error [see Orion user manual]: north"))
