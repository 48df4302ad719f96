"""Orthanc configuration keys: authentication, recycling, overwrite, compression, keep-alive, unknown keys."""

import hashlib

import requests

from conftest import AtriumServer


def test_authentication_with_plain_and_hashed_passwords():
    hashed = "sha256:" + hashlib.sha256(b"s3cret").hexdigest()
    server = AtriumServer({"AuthenticationEnabled": True, "RegisteredUsers": {"alice": "wonder", "bob": hashed}})
    try:
        response = requests.get(server.url + "/system")
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        assert response.json()["OrthancStatus"] == 29
        assert requests.get(server.url + "/system", auth=("alice", "wonder")).status_code == 200
        assert requests.get(server.url + "/system", auth=("bob", "s3cret")).status_code == 200
        assert requests.get(server.url + "/system", auth=("bob", "wrong")).status_code == 401
        assert requests.get(server.url + "/system", auth=("carol", "wonder")).status_code == 401
    finally:
        server.stop()


def test_recycling_keeps_the_newest_patients(sample_files):
    server = AtriumServer({"MaximumPatientCount": 1})
    try:
        first = requests.post(server.url + "/instances", data=sample_files[0].read_bytes()).json()
        second = requests.post(server.url + "/instances", data=sample_files[1].read_bytes()).json()
        assert requests.get(server.url + "/patients").json() == [second["ParentPatient"]]
        assert requests.get(server.url + "/instances/" + first["ID"]).status_code == 404
        assert len(server.stored_files()) == 1
    finally:
        server.stop()


def test_reject_mode_refuses_when_full(sample_files):
    server = AtriumServer({"MaximumPatientCount": 1, "MaximumStorageMode": "Reject"})
    try:
        assert requests.post(server.url + "/instances", data=sample_files[0].read_bytes()).status_code == 200
        response = requests.post(server.url + "/instances", data=sample_files[1].read_bytes())
        assert response.status_code == 507
        assert response.json()["OrthancStatus"] == 19
        assert len(server.stored_files()) == 1
        assert requests.get(server.url + "/statistics").json()["CountPatients"] == 1
    finally:
        server.stop()


def test_overwrite_and_compression(sample_files):
    server = AtriumServer({"OverwriteInstances": True, "StorageCompression": True})
    try:
        data = sample_files[0].read_bytes()
        first = requests.post(server.url + "/instances", data=data).json()
        again = requests.post(server.url + "/instances", data=data).json()
        assert again["Status"] == "Success"
        assert len(server.stored_files()) == 1
        stored = (server.storage / server.stored_files()[0]).read_bytes()
        assert int.from_bytes(stored[:8], "little") == len(data)
        assert stored[8] == 0x78
        assert requests.get(server.url + "/instances/" + first["ID"] + "/file").content == data
        system = requests.get(server.url + "/system").json()
        assert system["StorageCompression"] is True and system["OverwriteInstances"] is True
        statistics = requests.get(server.url + "/statistics").json()
        assert int(statistics["TotalDiskSize"]) < int(statistics["TotalUncompressedSize"])
    finally:
        server.stop()


def test_keep_alive_off_and_unknown_keys_reported_once():
    server = AtriumServer({"KeepAlive": False, "DicomModalities": {}, "SomethingElse": 1})
    try:
        response = requests.get(server.url + "/system")
        assert response.headers.get("Connection", "").lower() == "close"
        log = (server.folder / "atrium.log").read_text()
        # DicomModalities is read by the DICOM server; only the key Atrium does not know is reported, once.
        lines = [line for line in log.splitlines() if "SomethingElse" in line]
        assert len(lines) == 1 and "DicomModalities" not in lines[0]
    finally:
        server.stop()
