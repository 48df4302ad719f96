"""Revisions of metadata and attachments: `ETag` on reads and writes, `If-Match` on changes, 409 on a mismatch,
and `CheckRevisions` making `If-Match` mandatory for changes to existing items (Orthanc 1.9.2 and later)."""

import hashlib

import pytest
import requests

from conftest import AtriumServer, derived_file


def etag(revision, content):
    return '"%d-%s"' % (revision, hashlib.md5(content).hexdigest())


def start(config):
    atrium = AtriumServer(config)
    answer = requests.post(atrium.url + "/instances", data=derived_file(
        "1.2.826.0.1.3680043.10.8", "1.2.826.0.1.3680043.10.8.1", "1.2.826.0.1.3680043.10.8.1.1", "CT")).json()
    return atrium, f"{atrium.url}/instances/{answer['ID']}"


@pytest.fixture(scope="module")
def checked():
    atrium, base = start({"CheckRevisions": True})
    yield atrium, base
    atrium.stop()


@pytest.fixture(scope="module")
def unchecked():
    atrium, base = start({})
    yield atrium, base
    atrium.stop()


def test_metadata_etags(unchecked):
    atrium, base = unchecked
    created = requests.put(base + "/metadata/1030", data="v")
    assert (created.status_code, created.headers["Content-Type"], created.text) == (200, "text/plain", "")
    assert created.headers["ETag"] == etag(0, b"v")
    read = requests.get(base + "/metadata/1030")
    assert read.headers["ETag"] == etag(0, b"v")
    assert requests.put(base + "/metadata/1030", data="v2").headers["ETag"] == etag(1, b"v2")
    conflict = requests.put(base + "/metadata/1030", data="v3", headers={"If-Match": etag(0, b"v")})
    assert conflict.status_code == 409
    assert conflict.json()["OrthancStatus"] == 43
    assert requests.get(base + "/metadata/1030").text == "v2"
    malformed = requests.delete(base + "/metadata/1030", headers={"If-Match": "1"})
    assert malformed.status_code == 400
    deleted = requests.delete(base + "/metadata/1030", headers={"If-Match": etag(1, b"v2")})
    assert (deleted.status_code, deleted.text) == (200, "")
    assert requests.get(atrium.url + "/system").json()["CheckRevisions"] is False


def test_check_revisions_requires_if_match(checked):
    atrium, base = checked
    assert requests.get(atrium.url + "/system").json()["CheckRevisions"] is True
    for path, first, second in (("/metadata/1030", b"a", b"b"), ("/attachments/1030", b"a", b"b")):
        assert requests.put(base + path, data=first).status_code == 200, path
        missing = requests.put(base + path, data=second)
        assert missing.status_code == 409, path
        assert missing.json()["OrthancStatus"] == 43
        assert "If-Match" in missing.json()["Details"]
        stale = requests.put(base + path, data=second, headers={"If-Match": etag(1, first)})
        assert stale.status_code == 409, path
        updated = requests.put(base + path, data=second, headers={"If-Match": etag(0, first)})
        assert updated.status_code == 200, path
        assert updated.headers["ETag"] == etag(1, second)
        assert requests.delete(base + path).status_code == 409, path
        assert requests.delete(base + path, headers={"If-Match": etag(1, second)}).status_code == 200, path
