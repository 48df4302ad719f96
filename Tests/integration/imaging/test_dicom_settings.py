"""DICOM settings changed at run time (/tools/accepted-transfer-syntaxes, /tools/unknown-sop-class-accepted), store
jobs and /store-straight toward a pynetdicom SCP, and modalities kept in the index (DicomModalitiesInDatabase);
answers and error bodies as a real Orthanc 1.10.1 gives them."""

import io
import json
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pydicom
import pytest
import requests
from pynetdicom import AE, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import CTImageStorage, Verification

from conftest import AtriumServer, derived_file, finished_job, free_port

STUDY = "1.2.826.0.1.3680043.8.498.7600"
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


class Peer:
    """A pynetdicom storage SCP that records what it receives, answers a chosen status, and may be slow."""

    def __init__(self, title, status=0x0000, delay=0.0):
        self.title = title
        self.status = status
        self.delay = delay
        self.received = []
        ae = AE(ae_title=title)
        ae.supported_contexts = AllStoragePresentationContexts
        self.port = free_port()
        self.server = ae.start_server(("127.0.0.1", self.port), block=False,
                                      evt_handlers=[(evt.EVT_C_STORE, self.on_store)])

    def on_store(self, event):
        if self.delay:
            time.sleep(self.delay)
        request = event.request
        self.received.append({
            "calling": event.assoc.requestor.ae_title, "sop": event.dataset.SOPInstanceUID,
            "originator": request.MoveOriginatorApplicationEntityTitle,
            "originator_id": request.MoveOriginatorMessageID, "syntax": event.context.transfer_syntax})
        return self.status

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def peers():
    made = {"ok": Peer("PYSCP"), "failing": Peer("FAILSCP", status=0xA700), "slow": Peer("SLOWSCP", delay=0.1)}
    yield made
    for peer in made.values():
        peer.close()


@pytest.fixture(scope="module")
def atrium(peers):
    server = AtriumServer({"DicomAet": "ATRIUM",
                           "DicomModalities": {
                               "pyscp": ["PYSCP", "127.0.0.1", peers["ok"].port],
                               "failing": ["FAILSCP", "127.0.0.1", peers["failing"].port],
                               "slow": ["SLOWSCP", "127.0.0.1", peers["slow"].port],
                               "closed": ["CLOSED", "127.0.0.1", free_port()],
                           }})
    for index in range(3):
        data = derived_file(STUDY, STUDY + ".1", f"{STUDY}.1.{index}", "CT", patient="SETTINGS1")
        assert requests.post(server.url + "/instances", data=data).ok
    yield server
    server.stop()


def study_id(atrium, uid=STUDY):
    return requests.post(atrium.url + "/tools/lookup", data=uid).json()[0]["ID"]


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


def test_an_established_association_keeps_what_it_negotiated(atrium):
    url = atrium.url + "/tools/accepted-transfer-syntaxes"
    ae = AE(ae_title="EARLY")
    ae.add_requested_context(CTImageStorage, EXPLICIT)
    assoc = ae.associate("127.0.0.1", atrium.dicom_port, ae_title="ATRIUM")
    assert assoc.is_established
    try:
        assert requests.put(url, data="[]").json() == []
        dataset = pydicom.dcmread(io.BytesIO(
            derived_file(NEGOTIATED, NEGOTIATED + ".3", NEGOTIATED + ".3.1", "CT", patient="SETTINGS1")))
        assert assoc.send_c_store(dataset).Status == 0x0000
        assoc.release()
        # The next association negotiates with the new, empty list: only verification is accepted.
        ae.add_requested_context(Verification)
        late = ae.associate("127.0.0.1", atrium.dicom_port, ae_title="ATRIUM")
        assert late.is_established
        assert [context.abstract_syntax for context in late.accepted_contexts] == [Verification]
        late.release()
    finally:
        requests.put(url, data='"*"')
    assert instance_exists(atrium, NEGOTIATED + ".3.1")


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


# MARK: - Store jobs and store-straight


def test_store_job_content(atrium, peers):
    peer = peers["ok"]
    peer.received.clear()
    study = study_id(atrium)
    submitted = requests.post(atrium.url + "/modalities/pyscp/store",
                              json={"Resources": [study], "Synchronous": False})
    assert submitted.status_code == 200
    answer = submitted.json()
    assert set(answer) == {"ID", "Path"} and answer["Path"] == "/jobs/" + answer["ID"]
    job = finished_job(atrium.url, answer["ID"])
    assert job["Type"] == "DicomModalityStore"
    assert (job["State"], job["Progress"], job["ErrorCode"], job["ErrorDescription"], job["ErrorDetails"]) == (
        "Success", 100, 0, "Success", "")
    assert job["Content"] == {"Description": "REST API", "FailedInstancesCount": 0, "InstancesCount": 3,
                              "LocalAet": "ATRIUM", "ParentResources": [study], "RemoteAet": "PYSCP"}
    assert sorted(item["sop"] for item in peer.received) == [f"{STUDY}.1.{index}" for index in range(3)]
    assert answer["ID"] in requests.get(atrium.url + "/jobs").json()


def test_store_job_options(atrium, peers):
    peer = peers["ok"]
    peer.received.clear()
    study = study_id(atrium)
    instance = requests.post(atrium.url + "/tools/lookup", data=f"{STUDY}.1.0").json()[0]["ID"]
    answer = requests.post(atrium.url + "/modalities/pyscp/store", json={
        "Resources": [study, instance], "Asynchronous": True, "LocalAet": "OTHER", "MoveOriginatorAet": "MOVER",
        "MoveOriginatorID": 7, "Priority": 3}).json()
    job = finished_job(atrium.url, answer["ID"])
    assert (job["State"], job["Priority"]) == ("Success", 3)
    # As in Orthanc, the instance under both resources counts, and is sent, twice.
    assert job["Content"] == {"Description": "REST API", "FailedInstancesCount": 0, "InstancesCount": 4,
                              "LocalAet": "OTHER", "MoveOriginatorAET": "MOVER", "MoveOriginatorID": 7,
                              "ParentResources": sorted([study, instance]), "RemoteAet": "PYSCP"}
    assert [(item["calling"], item["originator"], item["originator_id"]) for item in peer.received] == [
        ("OTHER", "MOVER", 7)] * 4
    # Without MoveOriginatorAet, the store's own AE title stands for it; without an ID, there is no originator.
    peer.received.clear()
    answer = requests.post(atrium.url + "/modalities/pyscp/store", json={
        "Resources": [instance], "MoveOriginatorID": 5}).json()
    assert (answer["MoveOriginatorAET"], answer["MoveOriginatorID"]) == ("ATRIUM", 5)
    assert [(item["originator"], item["originator_id"]) for item in peer.received] == [("ATRIUM", 5)]
    answer = requests.post(atrium.url + "/modalities/pyscp/store", json={
        "Resources": [instance], "MoveOriginatorAet": "MOVER"}).json()
    assert "MoveOriginatorAET" not in answer
    empty = finished_job(atrium.url, requests.post(atrium.url + "/modalities/pyscp/store",
                                                   json={"Resources": [], "Synchronous": False}).json()["ID"])
    assert empty["State"] == "Success"
    assert empty["Content"] == {"Description": "REST API", "FailedInstancesCount": 0, "InstancesCount": 0,
                                "LocalAet": "ATRIUM", "RemoteAet": "PYSCP"}


def test_store_failures_as_orthanc(atrium, peers):
    study = study_id(atrium)
    details = 'C-STORE SCU to AET "FAILSCP" has failed with DIMSE status 0xA700'
    job = finished_job(atrium.url, requests.post(atrium.url + "/modalities/failing/store",
                                                 json={"Resources": [study], "Synchronous": False}).json()["ID"])
    assert (job["State"], job["ErrorCode"], job["ErrorDescription"], job["ErrorDetails"]) == (
        "Failure", 9, "Error in the network protocol", details)
    assert job["Content"]["FailedInstancesCount"] == 0 and job["Content"]["InstancesCount"] == 3
    # Permissive: the failures are skipped and the job succeeds (Orthanc 1.10.1 does not count them).
    permissive = finished_job(atrium.url, requests.post(atrium.url + "/modalities/failing/store", json={
        "Resources": [study], "Synchronous": False, "Permissive": True}).json()["ID"])
    assert (permissive["State"], permissive["Content"]["FailedInstancesCount"]) == ("Success", 0)
    # Synchronously, the job's error is the answer.
    synchronous = requests.post(atrium.url + "/modalities/failing/store", data=f'"{study}"')
    assert synchronous.status_code == 500
    assert synchronous.json() == {
        "Details": details, "HttpError": "Internal Server Error", "HttpStatus": 500,
        "Message": "Error in the network protocol", "Method": "POST", "OrthancError": "Error in the network protocol",
        "OrthancStatus": 9, "Uri": "/modalities/failing/store"}
    unreachable = finished_job(atrium.url, requests.post(atrium.url + "/modalities/closed/store", json={
        "Resources": [study], "Synchronous": False}).json()["ID"])
    assert (unreachable["State"], unreachable["ErrorCode"]) == ("Failure", 9)
    assert unreachable["ErrorDetails"].startswith('DicomAssociation - connecting to AET "CLOSED"')
    # Errors found before any job is submitted.
    bad = requests.post(atrium.url + "/modalities/pyscp/store", json={"Resources": ["abc"], "Synchronous": False})
    assert bad_file_format(bad, "/modalities/pyscp/store", "POST", "This string is not a valid Orthanc identifier: abc")
    unknown = requests.post(atrium.url + "/modalities/pyscp/store", json={
        "Resources": ["00000000-00000000-00000000-00000000-00000000"], "Synchronous": False})
    assert unknown.status_code == 404 and unknown.json() == {
        "HttpError": "Not Found", "HttpStatus": 404, "Message": "Unknown resource", "Method": "POST",
        "OrthancError": "Unknown resource", "OrthancStatus": 17, "Uri": "/modalities/pyscp/store"}
    for body, details in [({"Resources": [study], "Permissive": 1}, "Boolean value expected in field: Permissive"),
                          ({}, 'Missing field in JSON: "Resources"'),
                          ([42], "Resources to be exported must be specified as a JSON array of strings")]:
        assert bad_file_format(requests.post(atrium.url + "/modalities/pyscp/store", json=body),
                               "/modalities/pyscp/store", "POST", details), body
    missing = requests.post(atrium.url + "/modalities/nope/store", json={"Resources": [], "Synchronous": False})
    assert missing.status_code == 404 and missing.json()["Details"] == "No modality with symbolic name: nope"


def test_a_cancelled_store_job_stops_between_instances(atrium, peers):
    peer = peers["slow"]
    peer.received.clear()
    study = study_id(atrium)
    resources = [study] * 20  # sent 60 times, each C-STORE answered after 0.1 s
    job_id = requests.post(atrium.url + "/modalities/slow/store",
                           json={"Resources": resources, "Synchronous": False}).json()["ID"]
    deadline = time.time() + 30
    while not peer.received and time.time() < deadline:
        time.sleep(0.02)
    assert requests.post(f"{atrium.url}/jobs/{job_id}/cancel", json={}).json() == {}
    job = finished_job(atrium.url, job_id)
    assert (job["State"], job["ErrorCode"], job["ErrorDescription"]) == ("Failure", 37, "This job was canceled")
    assert job["Content"]["InstancesCount"] == 60
    sent = len(peer.received)
    time.sleep(0.3)
    assert 1 <= len(peer.received) == sent < 60


def test_store_with_bare_identifier(atrium, peers):
    peer = peers["ok"]
    peer.received.clear()
    study = study_id(atrium)
    answer = requests.post(atrium.url + "/modalities/pyscp/store", data=f" {study}\n")
    assert answer.status_code == 200 and answer.json()["InstancesCount"] == 3
    assert len(peer.received) == 3


def test_store_straight(atrium, peers):
    peer = peers["ok"]
    peer.received.clear()
    count = len(requests.get(atrium.url + "/instances").json())
    data = derived_file(STUDY, STUDY + ".9", STUDY + ".9.1", "CT", patient="STRAIGHT")
    answer = requests.post(atrium.url + "/modalities/pyscp/store-straight", data=data)
    assert answer.status_code == 200
    assert answer.json() == {"SOPClassUID": CTImageStorage, "SOPInstanceUID": STUDY + ".9.1"}
    assert [(item["calling"], item["sop"], item["syntax"]) for item in peer.received] == [
        ("ATRIUM", STUDY + ".9.1", EXPLICIT)]
    # Sent as it is, and not stored.
    assert len(requests.get(atrium.url + "/instances").json()) == count
    failing = requests.post(atrium.url + "/modalities/failing/store-straight", data=data)
    assert failing.status_code == 500
    assert failing.json()["Details"] == 'C-STORE SCU to AET "FAILSCP" has failed with DIMSE status 0xA700'
    garbage = requests.post(atrium.url + "/modalities/pyscp/store-straight", data="garbage")
    assert bad_file_format(garbage, "/modalities/pyscp/store-straight", "POST",
                           "Cannot parse an invalid DICOM file (size: 7 bytes)")
    unknown = requests.post(atrium.url + "/modalities/nope/store-straight", data=data)
    assert unknown.status_code == 404 and unknown.json()["Details"] == "No modality with symbolic name: nope"
    refused = requests.get(atrium.url + "/modalities/pyscp/store-straight")
    assert refused.status_code == 405 and refused.headers["Allow"] == "POST"


# MARK: - DicomModalitiesInDatabase


def start_atrium(folder, config):
    """An Atrium on a data folder that outlives it (AtriumServer removes its own)."""
    binary = os.environ.get("ATRIUM_BIN") or str(pathlib.Path(__file__).resolve().parents[3] / ".build/debug/atrium")
    port = free_port()
    path = folder / "config.json"
    path.write_text(json.dumps({"HttpPort": port, "DicomPort": free_port(), "StorageDirectory": str(folder / "storage"),
                                "ContextBroker": {"Enabled": False}, **config}))
    log = open(folder / "atrium.log", "a")
    process = subprocess.Popen([binary, "--config", str(path)], stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if requests.get(url + "/system", timeout=1).ok:
                return process, log, url
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("atrium did not start: " + (folder / "atrium.log").read_text())


def stop_atrium(process, log):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    log.close()


@pytest.mark.parametrize("in_database", [True, False])
def test_modalities_in_database_survive_restart(in_database):
    folder = pathlib.Path(tempfile.mkdtemp(prefix="atrium-modalities-"))
    config = {"DicomModalitiesInDatabase": in_database, "DicomModalities": {"fromfile": ["FILE", "127.0.0.1", 104]}}
    full = {"AET": "FULL", "Host": "localhost", "Port": 11112, "Manufacturer": "GE", "AllowFind": False,
            "LocalAet": "ME", "Timeout": 3}
    process, log, url = start_atrium(folder, config)
    try:
        # In the database, the modalities of the configuration file are not read, as in Orthanc.
        assert requests.get(url + "/modalities").json() == ([] if in_database else ["fromfile"])
        assert requests.put(url + "/modalities/full", json=full).status_code == 200
        assert requests.put(url + "/modalities/short", json=["SHORT", "127.0.0.1", 4243]).status_code == 200
        assert requests.put(url + "/modalities/gone", json=["GONE", "127.0.0.1", 4244]).status_code == 200
        assert requests.delete(url + "/modalities/gone").status_code == 200
        missing = requests.delete(url + "/modalities/gone")
        assert missing.status_code == 404
        assert missing.json()["Details"] == "Unknown DICOM modality with symbolic name: gone"
        before = requests.get(url + "/modalities?expand").json()
    finally:
        stop_atrium(process, log)
    process, log, url = start_atrium(folder, config)
    try:
        if in_database:
            assert requests.get(url + "/modalities?expand").json() == before
            assert sorted(before) == ["full", "short"]
            assert before["full"]["Manufacturer"] == "GE" and before["full"]["AllowFind"] is False
        else:
            assert requests.get(url + "/modalities").json() == ["fromfile"]
    finally:
        stop_atrium(process, log)
        shutil.rmtree(folder, ignore_errors=True)
