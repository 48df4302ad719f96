"""User-defined attachments: PUT, GET items, DELETE, verify-md5, compress and uncompress, with Orthanc's status
codes, headers and bodies (checked against Orthanc 1.10.1), stored in the storage area like DICOM files."""

import hashlib
import struct
import zlib

import pytest
import requests

from conftest import AtriumServer, derived_file

OPERATIONS = ["compress", "compressed-data", "compressed-md5", "compressed-size", "data", "info", "is-compressed",
              "md5", "size", "uncompress", "verify-md5", "uuid"]


@pytest.fixture(scope="module")
def server():
    atrium = AtriumServer({"UserContentType": {"report": [1030, "application/pdf"], "notes": 1031}})
    answer = requests.post(atrium.url + "/instances", data=derived_file(
        "1.2.826.0.1.3680043.10.6", "1.2.826.0.1.3680043.10.6.1", "1.2.826.0.1.3680043.10.6.1.1", "CT")).json()
    yield atrium, answer
    atrium.stop()


def etag(revision, content):
    return '"%d-%s"' % (revision, hashlib.md5(content).hexdigest())


def test_put_get_and_delete(server):
    atrium, answer = server
    base = f"{atrium.url}/instances/{answer['ID']}/attachments"
    files_before = len(atrium.stored_files())

    created = requests.put(base + "/1025", data=b"hello world")
    assert created.status_code == 200
    assert created.headers["Content-Type"] == "application/json"
    assert created.headers["ETag"] == etag(0, b"hello world")
    assert created.text == "{}"
    assert len(atrium.stored_files()) == files_before + 1

    assert requests.get(base).json() == ["dicom", "1025"]
    assert requests.get(base + "?full").json() == {"dicom": 1, "1025": 1025}
    operations = requests.get(base + "/1025")
    assert operations.json() == OPERATIONS
    assert operations.headers["ETag"] == etag(0, b"hello world")

    data = requests.get(base + "/1025/data")
    assert data.content == b"hello world"
    assert data.headers["Content-Type"] == "application/octet-stream"
    info = requests.get(base + "/1025/info").json()
    md5 = hashlib.md5(b"hello world").hexdigest()
    assert info == {"CompressedMD5": md5, "CompressedSize": 11, "ContentType": 1025, "UncompressedMD5": md5,
                    "UncompressedSize": 11, "Uuid": info["Uuid"]}
    assert data.headers["Content-Disposition"] == f'filename="{info["Uuid"]}"'
    for item, expected in (("size", "11"), ("compressed-size", "11"), ("md5", md5), ("compressed-md5", md5),
                           ("is-compressed", "0")):
        response = requests.get(f"{base}/1025/{item}")
        assert response.text == expected, item
        assert response.headers["Content-Type"] == "text/plain"
        assert response.headers["ETag"] == etag(0, b"hello world")
    assert requests.get(base + "/1025/compressed-data").content == b"hello world"

    replaced = requests.put(base + "/1025", data=b"second")
    assert replaced.headers["ETag"] == etag(1, b"second")
    assert requests.get(base + "/1025/data").content == b"second"
    assert len(atrium.stored_files()) == files_before + 1

    deleted = requests.delete(base + "/1025")
    assert deleted.status_code == 200 and deleted.text == ""
    assert len(atrium.stored_files()) == files_before
    missing = requests.delete(base + "/1025")
    assert missing.status_code == 404
    assert missing.json()["OrthancStatus"] == 17
    assert requests.get(base + "/1025/data").status_code == 404


def test_refusals(server):
    atrium, answer = server
    base = f"{atrium.url}/instances/{answer['ID']}/attachments"
    for name in ("dicom", "1", "1023", "65536"):
        for method in ("PUT", "DELETE"):
            response = requests.request(method, f"{base}/{name}", data=b"x")
            assert (response.status_code, response.content) == (403, b""), (method, name)
    unknown = requests.put(base + "/foo", data=b"x")
    assert unknown.status_code == 404
    assert unknown.json()["OrthancStatus"] == 7
    assert requests.put(f"{atrium.url}/instances/nope/attachments/1025", data=b"x").status_code == 404
    assert requests.get(base + "/1026").json()["OrthancStatus"] == 17
    assert requests.get(base + "/dicom/nothing").json()["OrthancStatus"] == 17
    assert requests.get(base + "/dicom/verify-md5").status_code == 405


def test_named_types_and_mime(server):
    atrium, answer = server
    base = f"{atrium.url}/series/{answer['ParentSeries']}/attachments"
    assert requests.put(base + "/report", data=b"%PDF-1.4").status_code == 200
    assert requests.put(base + "/1031", data=b"notes").status_code == 200
    assert requests.get(base).json() == ["report", "notes"]
    assert requests.get(base + "?full").json() == {"report": 1030, "notes": 1031}
    assert requests.get(base + "/report/data").headers["Content-Type"] == "application/pdf"
    assert requests.get(base + "/notes/data").headers["Content-Type"] == "application/octet-stream"


def test_compress_uncompress_and_verify(server):
    atrium, answer = server
    base = f"{atrium.url}/instances/{answer['ID']}/attachments"
    payload = b"compress me " * 100
    requests.put(base + "/1040", data=payload)
    assert requests.post(base + "/1040/verify-md5").text == "{}"
    compressed = requests.post(base + "/1040/compress")
    assert (compressed.status_code, compressed.headers["Content-Type"], compressed.text) == (
        200, "application/json", "{}")
    assert requests.get(base + "/1040/is-compressed").text == "1"
    raw = requests.get(base + "/1040/compressed-data").content
    assert struct.unpack("<Q", raw[:8])[0] == len(payload)
    assert zlib.decompress(raw[8:]) == payload
    info = requests.get(base + "/1040/info").json()
    assert info["CompressedSize"] == len(raw)
    assert info["CompressedMD5"] == hashlib.md5(raw).hexdigest()
    assert requests.get(base + "/1040/data").content == payload
    assert requests.get(base + "/1040").headers["ETag"] == etag(0, payload)
    assert requests.post(base + "/1040/verify-md5").status_code == 200
    assert requests.post(base + "/1040/uncompress").text == "{}"
    assert requests.get(base + "/1040/is-compressed").text == "0"
    assert requests.get(base + "/1040/compressed-data").content == payload


def test_if_match(server):
    atrium, answer = server
    base = f"{atrium.url}/instances/{answer['ID']}/attachments"
    requests.put(base + "/1050", data=b"a")
    conflict = requests.put(base + "/1050", data=b"b", headers={"If-Match": '"7-x"'})
    assert conflict.status_code == 409
    assert conflict.json()["OrthancStatus"] == 43
    assert conflict.json()["Message"] == (
        "A bad revision number was provided, which might indicate conflict between multiple writers")
    malformed = requests.delete(base + "/1050", headers={"If-Match": "7"})
    assert malformed.status_code == 400
    assert malformed.json()["OrthancStatus"] == 3
    assert requests.put(base + "/1050", data=b"b", headers={"If-Match": etag(0, b"a")}).status_code == 200
    assert requests.delete(base + "/1050", headers={"If-Match": etag(1, b"b")}).status_code == 200


def test_compressed_storage_and_cascade():
    atrium = AtriumServer({"StorageCompression": True})
    try:
        answer = requests.post(atrium.url + "/instances", data=derived_file(
            "1.2.826.0.1.3680043.10.7", "1.2.826.0.1.3680043.10.7.1", "1.2.826.0.1.3680043.10.7.1.1", "CT")).json()
        base = f"{atrium.url}/studies/{answer['ParentStudy']}/attachments"
        payload = b"x" * 1000
        requests.put(base + "/1025", data=payload)
        assert requests.get(base + "/1025/is-compressed").text == "1"
        assert requests.get(base + "/1025/data").content == payload
        assert len(atrium.stored_files()) == 2
        assert requests.delete(f"{atrium.url}/studies/{answer['ParentStudy']}").status_code == 200
        assert atrium.stored_files() == []
    finally:
        atrium.stop()
