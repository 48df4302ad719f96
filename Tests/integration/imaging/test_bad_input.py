"""Bad uploads get Orthanc's error JSON and leave the index and the storage area unchanged."""

import io
import zipfile

import pytest
import requests

from conftest import AtriumServer


@pytest.fixture(scope="module")
def small_limit():
    server = AtriumServer({"MaximumRequestBodySizeMB": 1})
    yield server
    server.stop()


def assert_nothing_new(server, statistics_before, files_before):
    assert requests.get(server.url + "/statistics").json() == statistics_before
    assert server.stored_files() == files_before


def assert_error(response, status, method="POST", uri="/instances"):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["HttpStatus"] == status
    assert body["Method"] == method
    assert body["Uri"] == uri
    assert isinstance(body["OrthancStatus"], int)
    assert isinstance(body["OrthancError"], str) and body["Message"] == body["OrthancError"]
    return body


def test_non_dicom_upload(small_limit):
    before = requests.get(small_limit.url + "/statistics").json(), small_limit.stored_files()
    body = assert_error(requests.post(small_limit.url + "/instances", data=b"this is not DICOM" * 20), 400)
    assert body["OrthancStatus"] == 15
    assert_nothing_new(small_limit, *before)


def test_truncated_upload(small_limit, sample_files):
    before = requests.get(small_limit.url + "/statistics").json(), small_limit.stored_files()
    data = sample_files[0].read_bytes()
    for length in (10, 132, 300, len(data) // 3):
        response = requests.post(small_limit.url + "/instances", data=data[:length])
        assert response.status_code == 400, length
        assert response.json()["OrthancStatus"] == 15
    assert_nothing_new(small_limit, *before)


def test_zip_with_garbage(small_limit, sample_files):
    before = requests.get(small_limit.url + "/statistics").json(), small_limit.stored_files()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.dcm", sample_files[0].read_bytes())
        archive.writestr("bad.dcm", b"garbage" * 100)
    assert_error(requests.post(small_limit.url + "/instances", data=buffer.getvalue()), 400)
    assert_nothing_new(small_limit, *before)


def test_empty_body(small_limit):
    before = requests.get(small_limit.url + "/statistics").json(), small_limit.stored_files()
    assert_error(requests.post(small_limit.url + "/instances", data=b""), 400)
    assert_nothing_new(small_limit, *before)


def test_body_over_the_limit(small_limit):
    before = requests.get(small_limit.url + "/statistics").json(), small_limit.stored_files()
    response = requests.post(small_limit.url + "/instances", data=b"\0" * (2 * 1024 * 1024))
    assert_error(response, 413)
    assert_nothing_new(small_limit, *before)


def test_bad_gzip(small_limit):
    before = requests.get(small_limit.url + "/statistics").json(), small_limit.stored_files()
    response = requests.post(small_limit.url + "/instances", data=b"not gzip", headers={"Content-Encoding": "gzip"})
    assert_error(response, 400)
    assert_nothing_new(small_limit, *before)


def test_unknown_routes_and_methods(small_limit):
    assert_error(requests.get(small_limit.url + "/no/such/route"), 404, "GET", "/no/such/route")
    assert_error(requests.post(small_limit.url + "/tools/nothing", data="x"), 404, "POST", "/tools/nothing")
    response = requests.delete(small_limit.url + "/statistics")
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    response = requests.put(small_limit.url + "/instances")
    assert response.status_code == 405 and response.headers["Allow"] == "GET,POST"


def crafted_zip64():
    """82 bytes: an end of central directory claiming 0xFFFF entries after a ZIP64 locator whose offset is 2^64-1."""
    import struct
    body = struct.pack("<I", 0x04034B50) + bytes(36)
    body += struct.pack("<IIQI", 0x07064B50, 0, 0xFFFFFFFFFFFFFFFF, 1)
    body += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    assert len(body) == 82
    return body


def test_crafted_zip64_is_a_bad_request_and_the_server_stays_up(small_limit):
    response = requests.post(small_limit.url + "/instances", data=crafted_zip64())
    assert response.status_code == 400
    assert response.json()["OrthancError"] == "Bad file format"
    # As a multipart upload too.
    files = {"files[]": ("crafted.zip", crafted_zip64(), "application/zip")}
    assert requests.post(small_limit.url + "/instances", files=files).status_code == 400
    assert requests.get(small_limit.url + "/system").ok
    assert requests.get(small_limit.url + "/statistics").json()["CountInstances"] == 0
