"""Atrium as query/retrieve SCU through Orthanc's REST routes: POST /modalities/{id}/query, the /queries tree,
retrieval by C-MOVE (/queries/{id}/retrieve, /modalities/{id}/move) and by C-GET (/modalities/{id}/get), against a
second Atrium, a pynetdicom query/retrieve SCP and dcmtk's dcmqrscp. Answers, jobs and error bodies are those a real
Orthanc 1.10.1 gives (checked side by side), with the job contents of later Orthanc versions (TargetAet)."""

import io
import subprocess
import time

import pydicom
import pytest
import requests
from pynetdicom import AE, evt
from pynetdicom.sop_class import (
    CTImageStorage, MRImageStorage, PatientRootQueryRetrieveInformationModelFind,
    PatientRootQueryRetrieveInformationModelGet, PatientRootQueryRetrieveInformationModelMove,
    StudyRootQueryRetrieveInformationModelFind, StudyRootQueryRetrieveInformationModelGet,
    StudyRootQueryRetrieveInformationModelMove)

from conftest import AtriumServer, derived_file, finished_job, free_port

REMOTE_STUDY = "1.2.826.0.1.3680043.8.498.7700"
REMOTE_MR_STUDY = "1.2.826.0.1.3680043.8.498.7701"
PYSCP_STUDY = "1.2.826.0.1.3680043.8.498.7702"
LOCAL_PORT = free_port()


def local_instances(server):
    return requests.get(server.url + "/instances").json()


def study_uids(server):
    return sorted(study["MainDicomTags"]["StudyInstanceUID"]
                  for study in requests.get(server.url + "/studies?expand").json())


def error_body(response, method, uri, status, orthanc_status, message, details=None):
    body = {"HttpError": {400: "Bad Request", 404: "Not Found", 422: "Unprocessable Entity",
                          500: "Internal Server Error"}[status],
            "HttpStatus": status, "Message": message, "Method": method, "OrthancError": message,
            "OrthancStatus": orthanc_status, "Uri": uri}
    if details is not None:
        body["Details"] = details
    assert response.status_code == status
    assert response.json() == body


@pytest.fixture(scope="module")
def remote():
    """A second Atrium, the remote modality, holding two studies; it knows the local Atrium as move destination."""
    server = AtriumServer({"DicomAet": "REMOTE", "DicomModalities": {"atrium": ["ATRIUM", "127.0.0.1", LOCAL_PORT]}})
    for index in range(3):
        data = derived_file(REMOTE_STUDY, REMOTE_STUDY + ".1", f"{REMOTE_STUDY}.1.{index}", "CT", patient="QR1",
                            PatientName="QR^ONE", AccessionNumber="ACC1", StudyDescription="three CT")
        assert requests.post(server.url + "/instances", data=data).ok
    for index in range(2):
        data = derived_file(REMOTE_MR_STUDY, REMOTE_MR_STUDY + ".1", f"{REMOTE_MR_STUDY}.1.{index}", "MR",
                            patient="QR2", PatientName="QR^TWO", AccessionNumber="ACC2")
        assert requests.post(server.url + "/instances", data=data).ok
    yield server
    server.stop()


class QueryRetrieveSCP:
    """A pynetdicom query/retrieve SCP that records the identifiers it receives and answers from fixed data."""

    def __init__(self):
        self.received = []
        self.destinations = {"ATRIUM": ("127.0.0.1", LOCAL_PORT)}
        self.datasets = [pydicom.dcmread(io.BytesIO(derived_file(
            PYSCP_STUDY, PYSCP_STUDY + ".1", f"{PYSCP_STUDY}.1.{index}", "CT", patient="PY1")))
            for index in range(2)]
        ae = AE(ae_title="PYQR")
        for context in (PatientRootQueryRetrieveInformationModelFind, StudyRootQueryRetrieveInformationModelFind,
                        PatientRootQueryRetrieveInformationModelMove, StudyRootQueryRetrieveInformationModelMove,
                        PatientRootQueryRetrieveInformationModelGet, StudyRootQueryRetrieveInformationModelGet):
            ae.add_supported_context(context)
        for storage in (CTImageStorage, MRImageStorage):
            ae.add_supported_context(storage, scu_role=False, scp_role=True)
            ae.add_requested_context(storage)
        self.port = free_port()
        self.server = ae.start_server(("127.0.0.1", self.port), block=False, evt_handlers=[
            (evt.EVT_C_FIND, self.on_find), (evt.EVT_C_MOVE, self.on_move), (evt.EVT_C_GET, self.on_get)])

    def record(self, kind, event):
        self.received.append((kind, event.assoc.requestor.ae_title, event.context.abstract_syntax,
                              [(element.keyword, element.value) for element in event.identifier]))

    def on_find(self, event):
        self.record("find", event)
        for index in range(2):
            answer = pydicom.Dataset()
            for element in event.identifier:
                answer.add_new(element.tag, element.VR, element.value)
            answer.PatientName = f"PY^{index}"
            answer.SpecificCharacterSet = "ISO_IR 100"
            if "StudyInstanceUID" in event.identifier:
                answer.StudyInstanceUID = f"{PYSCP_STUDY}.{index}"
            yield 0xFF00, answer

    def on_move(self, event):
        self.record("move", event)
        destination = event.move_destination
        if isinstance(destination, bytes):
            destination = destination.decode()
        yield self.destinations.get(destination.strip(), (None, None))
        if event.identifier.get("StudyInstanceUID") != PYSCP_STUDY:
            yield 1
            yield 0xC000, None
            return
        yield len(self.datasets)
        for dataset in self.datasets:
            yield 0xFF00, dataset

    def on_get(self, event):
        self.record("get", event)
        yield len(self.datasets)
        for dataset in self.datasets:
            yield 0xFF00, dataset


@pytest.fixture(scope="module")
def qr_scp():
    scp = QueryRetrieveSCP()
    yield scp
    scp.server.shutdown()


@pytest.fixture(scope="module")
def atrium(remote, qr_scp):
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomPort": LOCAL_PORT, "DicomModalities": {
        "remote": ["REMOTE", "127.0.0.1", remote.dicom_port],
        "pyqr": ["PYQR", "127.0.0.1", qr_scp.port],
        "closed": ["CLOSED", "127.0.0.1", free_port()],
    }})
    yield server
    server.stop()


def query(server, modality, body):
    response = requests.post(f"{server.url}/modalities/{modality}/query", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == ["ID", "Path"] and answer["Path"] == "/queries/" + answer["ID"]
    return answer["ID"]


def test_query_a_remote_atrium(atrium, remote):
    assert requests.get(atrium.url + "/modalities/remote").json() == [
        "configuration", "echo", "get", "move", "query", "storage-commitment", "store", "store-straight"]
    query_id = query(atrium, "remote", {"Level": "Study", "Query": {"PatientName": "QR*", "StudyDescription": ""}})
    assert query_id in requests.get(atrium.url + "/queries").json()
    base = f"{atrium.url}/queries/{query_id}"
    assert requests.get(base).json() == ["answers", "level", "modality", "query", "retrieve"]
    assert requests.get(base + "/answers").json() == ["0", "1"]
    answers = requests.get(base + "/answers?expand&short").json()
    assert sorted(answers, key=lambda answer: answer["0020,000d"]) == [
        {"0008,0005": "ISO_IR 192", "0008,0050": "ACC1", "0008,0052": "STUDY", "0008,1030": "three CT",
         "0010,0010": "QR^ONE", "0010,0020": "QR1", "0020,000d": REMOTE_STUDY},
        {"0008,0005": "ISO_IR 192", "0008,0050": "ACC2", "0008,0052": "STUDY", "0008,1030": "e+1",
         "0010,0010": "QR^TWO", "0010,0020": "QR2", "0020,000d": REMOTE_MR_STUDY},
    ]
    content = requests.get(base + "/answers/0/content").json()
    assert content["0008,0052"] == {"Name": "QueryRetrieveLevel", "Type": "String", "Value": "STUDY"}
    simplified = requests.get(base + "/answers/0/content?simplify").json()
    assert simplified["QueryRetrieveLevel"] == "STUDY" and "PatientName" in simplified
    assert requests.get(base + "/answers?expand&simplify").json()[0] == simplified
    assert requests.get(base + "/answers/0").json() == ["content", "retrieve", "query-series", "query-instances"]
    level = requests.get(base + "/level")
    assert level.text == "Study" and level.headers["Content-Type"].startswith("text/plain")
    assert requests.get(base + "/modality").text == "remote"
    assert requests.get(base + "/query").json() == {
        "0008,1030": {"Name": "StudyDescription", "Type": "String", "Value": ""},
        "0010,0010": {"Name": "PatientName", "Type": "String", "Value": "QR*"},
    }
    assert requests.get(base + "/query?simplify").json() == {"PatientName": "QR*", "StudyDescription": ""}
    assert requests.get(base + "/query?short").json() == {"0008,1030": "", "0010,0010": "QR*"}
    # Orthanc answers a DELETE with an empty body, also for a query it does not know.
    assert requests.delete(base).status_code == 200 and requests.delete(base).text == ""
    assert requests.get(base + "/level").status_code == 404


def test_retrieve_an_answer_brings_the_study_into_atrium(atrium, remote):
    query_id = query(atrium, "remote", {"Level": "Study", "Query": {"PatientID": "QR1"}})
    response = requests.post(f"{atrium.url}/queries/{query_id}/answers/0/retrieve", json={"Synchronous": True})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "Description": "REST API", "LocalAet": "ATRIUM",
        "Query": [{"0008,0050": "ACC1", "0008,0052": "STUDY", "0010,0020": "QR1", "0020,000d": REMOTE_STUDY}],
        "RemoteAet": "REMOTE", "TargetAet": "ATRIUM"}
    assert REMOTE_STUDY in study_uids(atrium)
    instances = requests.get(atrium.url + "/instances?expand").json()
    moved = [instance for instance in instances
             if instance["MainDicomTags"]["SOPInstanceUID"].startswith(REMOTE_STUDY + ".1.")]
    assert len(moved) == 3
    metadata = requests.get(f"{atrium.url}/instances/{moved[0]['ID']}/metadata?expand").json()
    assert (metadata["Origin"], metadata["RemoteAET"], metadata["CalledAET"]) == ("DicomProtocol", "REMOTE", "ATRIUM")
    # The synchronous retrieve ran as a job, listed in /jobs as Orthanc lists it.
    jobs = requests.get(atrium.url + "/jobs?expand").json()
    assert any(job["Type"] == "DicomMoveScu" and job["State"] == "Success" for job in jobs)


def test_asynchronous_move_of_a_series_is_a_job(atrium, remote):
    response = requests.post(atrium.url + "/modalities/remote/move", json={
        "Level": "Series", "Synchronous": False,
        "Resources": [{"StudyInstanceUID": REMOTE_MR_STUDY, "SeriesInstanceUID": REMOTE_MR_STUDY + ".1"}]})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == ["ID", "Path"] and answer["Path"] == "/jobs/" + answer["ID"]
    job = finished_job(atrium.url, answer["ID"])
    assert (job["Type"], job["State"], job["Progress"], job["ErrorCode"]) == ("DicomMoveScu", "Success", 100, 0)
    assert job["Content"] == {
        "Description": "REST API", "LocalAet": "ATRIUM",
        "Query": [{"0008,0052": "SERIES", "0020,000d": REMOTE_MR_STUDY, "0020,000e": REMOTE_MR_STUDY + ".1"}],
        "RemoteAet": "REMOTE", "TargetAet": "ATRIUM"}
    assert REMOTE_MR_STUDY in study_uids(atrium)


def test_child_query_and_get_from_a_remote_atrium(atrium, remote):
    parent = query(atrium, "remote", {"Level": "Study", "Query": {"PatientID": "QR2"}})
    response = requests.post(f"{atrium.url}/queries/{parent}/answers/0/query-instances",
                             json={"Query": {"InstanceNumber": ""}})
    assert response.status_code == 200, response.text
    child = response.json()["ID"]
    assert requests.get(f"{atrium.url}/queries/{child}/level").text == "Instance"
    assert requests.get(f"{atrium.url}/queries/{child}/query?short").json() == {
        "0020,0013": "", "0020,000d": REMOTE_MR_STUDY}
    answers = requests.get(f"{atrium.url}/queries/{child}/answers?expand&simplify").json()
    assert sorted(answer["SOPInstanceUID"] for answer in answers) == [
        f"{REMOTE_MR_STUDY}.1.{index}" for index in range(2)]
    assert requests.get(f"{atrium.url}/queries/{child}/answers/0").json() == ["content", "retrieve"]
    for instance in requests.get(atrium.url + "/instances?expand").json():
        if instance["MainDicomTags"]["SOPInstanceUID"].startswith(REMOTE_MR_STUDY):
            assert requests.delete(f"{atrium.url}/instances/{instance['ID']}").ok
    response = requests.post(atrium.url + "/modalities/remote/get", json={
        "Level": "Instance", "Resources": [{
            "StudyInstanceUID": REMOTE_MR_STUDY, "SeriesInstanceUID": REMOTE_MR_STUDY + ".1",
            "SOPInstanceUID": f"{REMOTE_MR_STUDY}.1.1"}]})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "Description": "REST API", "LocalAet": "ATRIUM",
        "Query": [{"0008,0018": f"{REMOTE_MR_STUDY}.1.1", "0008,0052": "IMAGE", "0020,000d": REMOTE_MR_STUDY,
                   "0020,000e": REMOTE_MR_STUDY + ".1"}],
        "RemoteAet": "REMOTE"}
    got = [instance for instance in requests.get(atrium.url + "/instances?expand").json()
           if instance["MainDicomTags"]["SOPInstanceUID"].startswith(REMOTE_MR_STUDY)]
    assert [instance["MainDicomTags"]["SOPInstanceUID"] for instance in got] == [f"{REMOTE_MR_STUDY}.1.1"]
    metadata = requests.get(f"{atrium.url}/instances/{got[0]['ID']}/metadata?expand").json()
    assert (metadata["Origin"], metadata["RemoteAET"], metadata["CalledAET"]) == ("DicomProtocol", "REMOTE", "ATRIUM")


def test_identifiers_sent_to_pynetdicom(atrium, qr_scp):
    qr_scp.received.clear()
    query(atrium, "pyqr", {"Level": "Patient", "Query": {"PatientName": "PY*"}})
    study_query = query(atrium, "pyqr", {"Level": "Study", "Query": {
        "PatientName": "PY*", "Modality": "CT", "ModalitiesInStudy": "CT", "StudyDescription": "a"}})
    query(atrium, "pyqr", {"Level": "Study", "Query": {"Modality": "CT"}, "Normalize": False, "LocalAet": "OTHER"})
    patient_root, study_root = "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.2.1"
    assert qr_scp.received == [
        ("find", "ATRIUM", patient_root, [("SpecificCharacterSet", "ISO_IR 100"), ("QueryRetrieveLevel", "PATIENT"),
                                          ("PatientName", "PY*"), ("PatientID", "")]),
        ("find", "ATRIUM", study_root, [
            ("SpecificCharacterSet", "ISO_IR 100"), ("AccessionNumber", ""), ("QueryRetrieveLevel", "STUDY"),
            ("ModalitiesInStudy", "CT"), ("StudyDescription", "a"), ("PatientName", "PY*"), ("PatientID", ""),
            ("StudyInstanceUID", "")]),
        ("find", "OTHER", study_root, [
            ("SpecificCharacterSet", "ISO_IR 100"), ("AccessionNumber", ""), ("QueryRetrieveLevel", "STUDY"),
            ("Modality", "CT"), ("PatientID", ""), ("StudyInstanceUID", "")]),
    ]
    answers = requests.get(f"{atrium.url}/queries/{study_query}/answers?expand&short").json()
    assert [answer["0010,0010"] for answer in answers] == ["PY^0", "PY^1"]
    # A patient answer lists `query-study` but answers at `query-studies`, as Orthanc 1.10.1 does.
    patient_query = requests.get(atrium.url + "/queries").json()
    patient_query = next(id for id in patient_query
                         if requests.get(f"{atrium.url}/queries/{id}/level").text == "Patient")
    assert requests.get(f"{atrium.url}/queries/{patient_query}/answers/0").json() == [
        "content", "retrieve", "query-study", "query-series", "query-instances"]
    qr_scp.received.clear()
    child = requests.post(f"{atrium.url}/queries/{patient_query}/answers/0/query-studies", json={})
    assert child.status_code == 200, child.text
    assert qr_scp.received[0][3] == [
        ("SpecificCharacterSet", "ISO_IR 100"), ("AccessionNumber", ""), ("QueryRetrieveLevel", "STUDY"),
        ("PatientID", ""), ("StudyInstanceUID", "")]
    assert requests.post(f"{atrium.url}/queries/{patient_query}/answers/0/query-study", json={}).status_code == 404
    assert answers[0]["0008,0005"] == "ISO_IR 100" and answers[0]["0008,0061"] == "CT"


def test_move_and_get_from_pynetdicom(atrium, qr_scp):
    qr_scp.received.clear()
    response = requests.post(atrium.url + "/modalities/pyqr/move",
                             json={"Level": "Study", "Resources": [{"StudyInstanceUID": PYSCP_STUDY, "PatientName": "X"}]})
    assert response.status_code == 200, response.text
    assert response.json()["Query"] == [{"0008,0052": "STUDY", "0010,0010": "X", "0020,000d": PYSCP_STUDY}]
    assert qr_scp.received == [("move", "ATRIUM", "1.2.840.10008.5.1.4.1.2.2.2", [
        ("SpecificCharacterSet", "ISO_IR 100"), ("QueryRetrieveLevel", "STUDY"), ("StudyInstanceUID", PYSCP_STUDY)])]
    moved = [uid for uid in study_uids(atrium) if uid == PYSCP_STUDY]
    assert moved == [PYSCP_STUDY]
    for study in requests.get(atrium.url + "/studies?expand").json():
        if study["MainDicomTags"]["StudyInstanceUID"] == PYSCP_STUDY:
            assert requests.delete(f"{atrium.url}/studies/{study['ID']}").ok
    qr_scp.received.clear()
    response = requests.post(atrium.url + "/modalities/pyqr/get",
                             json={"Level": "Patient", "Resources": [{"PatientID": "PY1"}], "Asynchronous": True})
    job = finished_job(atrium.url, response.json()["ID"])
    assert (job["Type"], job["State"]) == ("DicomGetScu", "Success")
    assert qr_scp.received[0][:3] == ("get", "ATRIUM", "1.2.840.10008.5.1.4.1.2.1.3")
    got = [instance for instance in requests.get(atrium.url + "/instances?expand").json()
           if instance["MainDicomTags"]["SOPInstanceUID"].startswith(PYSCP_STUDY)]
    assert len(got) == 2


def test_move_failures_and_bad_input(atrium, qr_scp):
    url = atrium.url
    failed = requests.post(url + "/modalities/pyqr/move", json={"Level": "Study", "Resources": [
        {"StudyInstanceUID": "1.2.3.4"}]})
    error_body(failed, "POST", "/modalities/pyqr/move", 422, 9, "Error in the network protocol",
               'C-MOVE SCU to AET "PYQR" has failed with DIMSE status 0xC000 (unable to process - resource not found ?)')
    # The same failure through /queries/{id}/retrieve is a 500, as in Orthanc 1.10.1.
    study_query = query(atrium, "pyqr", {"Level": "Study", "Query": {}})
    error_body(requests.post(f"{url}/queries/{study_query}/answers/0/retrieve", data=""),
               "POST", f"/queries/{study_query}/answers/0/retrieve", 500, 9, "Error in the network protocol",
               'C-MOVE SCU to AET "PYQR" has failed with DIMSE status 0xC000 (unable to process - resource not found ?)')
    asynchronous = requests.post(url + "/modalities/pyqr/move", json={
        "Level": "Study", "Resources": [{"StudyInstanceUID": "1.2.3.4"}], "Synchronous": False}).json()
    job = finished_job(url, asynchronous["ID"])
    assert (job["State"], job["ErrorCode"], job["ErrorDescription"]) == (
        "Failure", 9, "Error in the network protocol")
    closed = requests.post(url + "/modalities/closed/query", json={"Level": "Study", "Query": {}})
    assert closed.status_code == 500 and closed.json()["OrthancStatus"] == 9
    assert closed.json()["Details"].startswith('DicomAssociation - connecting to AET "CLOSED"')
    error_body(requests.post(url + "/modalities/pyqr/query", json={"Level": "Bad", "Query": {}}),
               "POST", "/modalities/pyqr/query", 400, 3, "Parameter out of range")
    error_body(requests.post(url + "/modalities/pyqr/query", json={"Query": {}}),
               "POST", "/modalities/pyqr/query", 400, 15, "Bad file format", "The JSON body must contain field Level")
    error_body(requests.post(url + "/modalities/pyqr/query", data="notjson"),
               "POST", "/modalities/pyqr/query", 400, 15, "Bad file format", "Must provide a JSON object")
    for bad in ({"Nonexistent": "1"}, {"PatientName": 3}):
        error_body(requests.post(url + "/modalities/pyqr/query", json={"Level": "Study", "Query": bad}),
                   "POST", "/modalities/pyqr/query", 400, 15, "Bad file format",
                   "Associative array of DICOM tags to strings expected in field: Query")
    for field, value, details in (("Normalize", "x", "The field Normalize must contain a Boolean"),
                                  ("Timeout", "x", "Integer value expected in field: Timeout"),
                                  ("LocalAet", 3, "The field LocalAet must contain a string")):
        error_body(requests.post(url + "/modalities/pyqr/query", json={"Level": "Study", field: value}),
                   "POST", "/modalities/pyqr/query", 400, 15, "Bad file format", details)
    error_body(requests.post(url + "/modalities/none/query", json={"Level": "Study"}),
               "POST", "/modalities/none/query", 404, 7, "Accessing an inexistent item",
               "No modality with symbolic name: none")
    error_body(requests.post(url + "/modalities/pyqr/move", json={"Level": "Study"}),
               "POST", "/modalities/pyqr/move", 400, 15, "Bad file format",
               "Must provide a JSON body containing fields Resources and Level")
    error_body(requests.post(url + "/modalities/pyqr/move", json={"Level": "Study", "Resources": ["x"]}),
               "POST", "/modalities/pyqr/move", 400, 15, "Bad file format")
    error_body(requests.post(url + "/modalities/pyqr/move", json={"Level": "Instance", "Resources": [
        {"SOPInstanceUID": "1"}]}), "POST", "/modalities/pyqr/move", 400, 8, "Bad request")
    error_body(requests.get(url + "/queries/nope"), "GET", "/queries/nope", 404, 17, "Unknown resource")
    error_body(requests.get(url + "/queries/nope/answers"), "GET", "/queries/nope/answers", 404, 17,
               "Unknown resource")
    query_id = query(atrium, "pyqr", {"Level": "Series", "Query": {}})
    error_body(requests.get(f"{url}/queries/{query_id}/answers/5/content"),
               "GET", f"/queries/{query_id}/answers/5/content", 400, 3, "Parameter out of range")
    error_body(requests.post(f"{url}/queries/{query_id}/answers/x/retrieve"),
               "POST", f"/queries/{query_id}/answers/x/retrieve", 400, 5, "Bad type for a parameter",
               "Syntax error in some user-supplied data")
    error_body(requests.post(f"{url}/queries/{query_id}/retrieve", json={"TargetAet": 3}),
               "POST", f"/queries/{query_id}/retrieve", 400, 5, "Bad type for a parameter")
    for field in ("Synchronous", "Asynchronous", "Full"):
        error_body(requests.post(f"{url}/queries/{query_id}/retrieve", json={field: "x"}),
                   "POST", f"/queries/{query_id}/retrieve", 400, 15, "Bad file format",
                   f"Boolean value expected in field: {field}")
    error_body(requests.post(f"{url}/queries/{query_id}/retrieve", json={"Priority": "x"}),
               "POST", f"/queries/{query_id}/retrieve", 400, 15, "Bad file format",
               "Integer value expected in field: Priority")
    error_body(requests.post(f"{url}/queries/{query_id}/answers/0/query-studies", json={}),
               "POST", f"/queries/{query_id}/answers/0/query-studies", 404, 17, "Unknown resource")
    error_body(requests.post(f"{url}/queries/{query_id}/answers/0/query-instances", data=""),
               "POST", f"/queries/{query_id}/answers/0/query-instances", 400, 15, "Bad file format",
               "Must provide a JSON object")
    not_allowed = requests.get(f"{url}/queries/{query_id}/answers/0/retrieve")
    assert not_allowed.status_code == 405 and not_allowed.headers["Allow"] == "POST"
    assert requests.put(url + "/queries").status_code == 405


def test_retrieve_from_dcmtk_dcmqrscp(atrium, tmp_path):
    """dcmqrscp as the remote archive: C-FIND answers from its database, C-MOVE back into Atrium."""
    storage = tmp_path / "archive"
    storage.mkdir()
    port = free_port()
    config = tmp_path / "dcmqrscp.cfg"
    config.write_text(f"""NetworkTCPPort = {port}
MaxPDUSize = 16384
MaxAssociations = 4
HostTable BEGIN
atrium = (ATRIUM, 127.0.0.1, {LOCAL_PORT})
HostTable END
VendorTable BEGIN
VendorTable END
AETable BEGIN
DCMQR {storage} RW (20, 1024mb) ANY
AETable END
""")
    process = subprocess.Popen(["/usr/bin/dcmqrscp", "-c", str(config), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        study = "1.2.826.0.1.3680043.8.498.7703"
        files = []
        for index in range(2):
            path = tmp_path / f"dcmtk{index}.dcm"
            path.write_bytes(derived_file(study, study + ".1", f"{study}.1.{index}", "CT", patient="DCMTK1"))
            files.append(str(path))
        deadline = time.time() + 10
        while subprocess.run(["/usr/bin/storescu", "-aec", "DCMQR", "127.0.0.1", str(port), *files],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            assert time.time() < deadline, "dcmqrscp did not start"
            time.sleep(0.2)
        assert requests.put(atrium.url + "/modalities/dcmqr",
                            json={"AET": "DCMQR", "Host": "127.0.0.1", "Port": port}).ok
        query_id = query(atrium, "dcmqr", {"Level": "Study", "Query": {"PatientID": "DCMTK1"}})
        answers = requests.get(f"{atrium.url}/queries/{query_id}/answers?expand&simplify").json()
        assert [answer["StudyInstanceUID"] for answer in answers] == [study]
        response = requests.post(f"{atrium.url}/queries/{query_id}/retrieve", data="ATRIUM")
        assert response.status_code == 200, response.text
        assert response.json()["TargetAet"] == "ATRIUM"
        assert study in study_uids(atrium)
        for stored in requests.get(atrium.url + "/studies?expand").json():
            if stored["MainDicomTags"]["StudyInstanceUID"] == study:
                assert requests.delete(f"{atrium.url}/studies/{stored['ID']}").ok
        response = requests.post(atrium.url + "/modalities/dcmqr/get",
                                 json={"Level": "Study", "Resources": [{"StudyInstanceUID": study}]})
        assert response.status_code == 200, response.text
        got = [instance["MainDicomTags"]["SOPInstanceUID"]
               for instance in requests.get(atrium.url + "/instances?expand").json()
               if instance["MainDicomTags"]["SOPInstanceUID"].startswith(study)]
        assert sorted(got) == [f"{study}.1.{index}" for index in range(2)]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_pyorthanc_modality_echo_find_move_get_and_store(atrium, remote):
    """The modality workflow of pyorthanc, Orthanc's Python client, unchanged: echo, find with its answers, a move
    of the answers back to Atrium, a C-GET, and a store."""
    from pyorthanc import Modality, Orthanc
    client = Orthanc(atrium.url)
    modality = Modality(client, "remote")
    assert modality.echo() is True
    assert Modality(client, "closed").echo() is False
    found = modality.find({"Level": "Study", "Query": {"PatientID": "QR2", "StudyInstanceUID": ""}})
    assert found["ID"] in requests.get(atrium.url + "/queries").json()
    assert found["answers"] == [{"AccessionNumber": "ACC2", "PatientID": "QR2", "QueryRetrieveLevel": "STUDY",
                                 "SpecificCharacterSet": "ISO_IR 192", "StudyInstanceUID": REMOTE_MR_STUDY}]
    moved = modality.move(found["ID"], {"TargetAet": "ATRIUM", "Synchronous": True})
    assert moved["RemoteAet"] == "REMOTE" and moved["TargetAet"] == "ATRIUM"
    assert REMOTE_MR_STUDY in study_uids(atrium)
    got = modality.get("Study", {"StudyInstanceUID": REMOTE_STUDY})
    assert got["RemoteAet"] == "REMOTE"
    assert REMOTE_STUDY in study_uids(atrium)
    # Store an instance that only Atrium has; the remote then holds it.
    data = derived_file(PYSCP_STUDY + ".9", PYSCP_STUDY + ".9.1", PYSCP_STUDY + ".9.1.1", "CT", patient="PYO")
    instance = requests.post(atrium.url + "/instances", data=data).json()["ID"]
    stored = modality.store(instance)
    assert stored["InstancesCount"] == 1 and stored["FailedInstancesCount"] == 0
    assert instance in requests.get(remote.url + "/instances").json()
