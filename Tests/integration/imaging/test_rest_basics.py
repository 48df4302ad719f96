"""Routes that answer without stored data: shapes, value types and Orthanc's error bodies."""

import re

import requests


def test_system(atrium):
    system = requests.get(atrium.url + "/system").json()
    assert system["HttpPort"] == atrium.port
    assert system["DatabaseVersion"] == 6
    assert isinstance(system["ApiVersion"], int)
    assert isinstance(system["Version"], str)
    assert system["DatabaseBackendPlugin"] is None
    assert system["StorageAreaPlugin"] is None
    assert system["StorageCompression"] is False
    assert system["OverwriteInstances"] is False
    assert set(system["MainDicomTags"]) == {"Patient", "Study", "Series", "Instance"}


def test_statistics_of_an_empty_server(atrium):
    statistics = requests.get(atrium.url + "/statistics").json()
    assert statistics == {
        "CountInstances": 0, "CountPatients": 0, "CountSeries": 0, "CountStudies": 0,
        "TotalDiskSize": "0", "TotalDiskSizeMB": 0, "TotalUncompressedSize": "0", "TotalUncompressedSizeMB": 0,
    }


def test_empty_lists(atrium):
    for level in ("patients", "studies", "series", "instances"):
        response = requests.get(f"{atrium.url}/{level}")
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json() == []
        assert requests.get(f"{atrium.url}/{level}?expand").json() == []


def test_changes_of_an_empty_server(atrium):
    assert requests.get(atrium.url + "/changes").json() == {"Changes": [], "Done": True, "Last": 0}
    assert requests.get(atrium.url + "/changes?last").json() == {"Changes": [], "Done": True, "Last": 0}


def test_tools(atrium):
    now = requests.get(atrium.url + "/tools/now").text
    assert re.fullmatch(r"\d{8}T\d{6}", now)
    uid = requests.get(atrium.url + "/tools/generate-uid?level=series").text
    assert re.fullmatch(r"2\.25\.\d+", uid) and len(uid) <= 64
    assert requests.get(atrium.url + "/tools/generate-uid?level=nope").status_code == 400


def test_unknown_route(atrium):
    response = requests.get(atrium.url + "/nonexistent")
    assert response.status_code == 404
    assert response.json() == {
        "HttpError": "Not Found", "HttpStatus": 404, "Message": "Unknown resource", "Method": "GET",
        "OrthancError": "Unknown resource", "OrthancStatus": 17, "Uri": "/nonexistent",
    }


def test_wrong_method(atrium):
    response = requests.put(atrium.url + "/system")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.content == b""
    response = requests.delete(atrium.url + "/tools/find")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_unknown_resource(atrium):
    for level in ("patients", "studies", "series", "instances"):
        response = requests.get(f"{atrium.url}/{level}/0123")
        assert response.status_code == 404
        assert requests.delete(f"{atrium.url}/{level}/0123").status_code == 404


def test_find_with_bad_bodies(atrium):
    response = requests.post(atrium.url + "/tools/find", data="{not json")
    assert response.status_code == 400
    body = response.json()
    assert body["OrthancStatus"] == 8
    assert body["Method"] == "POST"
    assert body["Uri"] == "/tools/find"
    response = requests.post(atrium.url + "/tools/find", json={"Level": "Nope", "Query": {}})
    assert response.status_code == 400
    assert response.json()["OrthancError"] == "Parameter out of range"
    assert requests.post(atrium.url + "/tools/find", json={"Level": "Study", "Query": {}}).json() == []
