"""DICOM settings changed at run time (/tools/accepted-transfer-syntaxes, /tools/unknown-sop-class-accepted): their
answers and error bodies as a real Orthanc 1.10.1 gives them, and what they change in the negotiation of dcmtk's
storescu and pynetdicom."""

import os
import subprocess

import pytest
import requests
from pynetdicom import AE
from pynetdicom.sop_class import CTImageStorage

from conftest import AtriumServer, derived_file

NEGOTIATED = "1.2.826.0.1.3680043.8.498.7602"
IMPLICIT = "1.2.840.10008.1.2"
EXPLICIT = "1.2.840.10008.1.2.1"

# What Orthanc 1.10.1 answers to GET /tools/accepted-transfer-syntaxes with its default configuration.
ORTHANC_KNOWN_SYNTAXES = [
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
    *[f"1.2.840.10008.1.2.4.{n}" for n in range(50, 67)], "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81", *[f"1.2.840.10008.1.2.4.{n}" for n in range(90, 96)],
    *[f"1.2.840.10008.1.2.4.{n}" for n in range(100, 109)], "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.6.1",
    "1.2.840.10008.1.2.6.2",
]


@pytest.fixture(scope="module")
def atrium():
    server = AtriumServer({"DicomAet": "ATRIUM"})
    yield server
    server.stop()


def bad_file_format(response, uri, method="PUT", details=None):
    body = {"HttpError": "Bad Request", "HttpStatus": 400, "Message": "Bad file format", "Method": method,
            "OrthancError": "Bad file format", "OrthancStatus": 15, "Uri": uri}
    if details is not None:
        body["Details"] = details
    return response.status_code == 400 and response.json() == body


# MARK: - /tools/accepted-transfer-syntaxes and /tools/unknown-sop-class-accepted


def test_accepted_transfer_syntaxes_route(atrium):
    url = atrium.url + "/tools/accepted-transfer-syntaxes"
    try:
        assert requests.get(url).json() == ORTHANC_KNOWN_SYNTAXES
        # A JSON string, a JSON list (with wildcards), a bare pattern; unknown UIDs are left out.
        assert requests.put(url, data='"1.2.840.10008.1.2"').json() == [IMPLICIT]
        assert requests.put(url, data='["1.2.840.10008.1.2", "1.2.840.10008.1.2.?", "1.2.3"]').json() == [
            IMPLICIT, EXPLICIT, "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5"]
        assert requests.get(url).json() == [IMPLICIT, EXPLICIT, "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5"]
        assert requests.put(url, data="foo").json() == []
        assert requests.put(url, data="").json() == []
        assert requests.put(url, data="*").json() == ORTHANC_KNOWN_SYNTAXES
        # A bare UID reads as a JSON number, which Orthanc refuses; so are other JSON values. Nothing changes.
        for body in ["1.2.840.10008.1.2.1", "[1]", '{"a": 1}', "true"]:
            assert bad_file_format(requests.put(url, data=body), "/tools/accepted-transfer-syntaxes"), body
        assert requests.get(url).json() == ORTHANC_KNOWN_SYNTAXES
        refused = requests.post(url, data="")
        assert refused.status_code == 405 and refused.headers["Allow"] == "GET,PUT"
    finally:
        requests.put(url, data='"*"')


def test_unknown_sop_class_accepted_route(atrium):
    url = atrium.url + "/tools/unknown-sop-class-accepted"
    try:
        answer = requests.get(url)
        assert answer.status_code == 200 and answer.text == "0"
        assert answer.headers["Content-Type"].startswith("text/plain")
        for body, expected in [("1", "1"), ("0", "0"), ("true", "1"), ("false", "0"), (" true \n", "1")]:
            changed = requests.put(url, data=body)
            assert changed.status_code == 200 and changed.text == "", body
            assert requests.get(url).text == expected, body
        for body in ["TRUE", "yes", "", '"1"', "2"]:
            refused = requests.put(url, data=body)
            assert bad_file_format(refused, "/tools/unknown-sop-class-accepted", details="Boolean value expected")
            assert requests.get(url).text == "1"
    finally:
        requests.put(url, data="0")


def storescu(atrium, path, *options):
    return subprocess.run(["/usr/bin/storescu", *options, "-aec", "ATRIUM", "127.0.0.1", str(atrium.dicom_port),
                           str(path)], capture_output=True, text=True, timeout=60, env={**os.environ, "TCP_NODELAY": "1"})


def instance_exists(atrium, sop):
    return bool(requests.post(atrium.url + "/tools/lookup", data=sop).json())


def test_accepted_transfer_syntaxes_change_negotiation(atrium, tmp_path):
    url = atrium.url + "/tools/accepted-transfer-syntaxes"
    try:
        # Explicit VR only: storescu proposing Implicit VR alone gets its context refused, stores nothing.
        assert requests.put(url, data=f'"{EXPLICIT}"').json() == [EXPLICIT]
        first = tmp_path / "first.dcm"
        first.write_bytes(derived_file(NEGOTIATED, NEGOTIATED + ".2", NEGOTIATED + ".2.1", "CT", patient="SETTINGS1"))
        refused = storescu(atrium, first, "-xi")
        assert refused.returncode != 0
        assert not instance_exists(atrium, NEGOTIATED + ".2.1")
        # The same request, once Implicit VR is accepted, stores the instance on the next association.
        assert requests.put(url, data=f'["{IMPLICIT}"]').json() == [IMPLICIT]
        accepted = storescu(atrium, first, "-xi")
        assert accepted.returncode == 0, accepted.stderr
        assert instance_exists(atrium, NEGOTIATED + ".2.1")
        stored = requests.get(atrium.url + "/instances/" + requests.post(
            atrium.url + "/tools/lookup", data=NEGOTIATED + ".2.1").json()[0]["ID"] + "/metadata/TransferSyntax")
        assert stored.text == IMPLICIT
        # Now Explicit VR is refused: storescu proposing Explicit VR Little Endian first still gets Implicit.
        second = tmp_path / "second.dcm"
        second.write_bytes(derived_file(NEGOTIATED, NEGOTIATED + ".2", NEGOTIATED + ".2.2", "CT", patient="SETTINGS1"))
        assert storescu(atrium, second, "-xe").returncode == 0
        lookup = requests.post(atrium.url + "/tools/lookup", data=NEGOTIATED + ".2.2").json()[0]["ID"]
        assert requests.get(f"{atrium.url}/instances/{lookup}/metadata/TransferSyntax").text == IMPLICIT
    finally:
        requests.put(url, data='"*"')


def test_unknown_sop_class_accepted_changes_negotiation(atrium):
    private_class = "1.2.826.0.1.3680043.8.498.99.1"
    url = atrium.url + "/tools/unknown-sop-class-accepted"

    def accepted():
        ae = AE(ae_title="UNKNOWNSOP")
        ae.add_requested_context(private_class, EXPLICIT)
        ae.add_requested_context(CTImageStorage, EXPLICIT)
        assoc = ae.associate("127.0.0.1", atrium.dicom_port, ae_title="ATRIUM")
        assert assoc.is_established
        classes = {context.abstract_syntax for context in assoc.accepted_contexts}
        assoc.release()
        return classes

    try:
        assert accepted() == {CTImageStorage}
        assert requests.put(url, data="1").status_code == 200
        assert accepted() == {CTImageStorage, private_class}
        assert requests.put(url, data="false").status_code == 200
        assert accepted() == {CTImageStorage}
    finally:
        requests.put(url, data="0")
