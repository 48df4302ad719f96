"""Atrium as SCU through Orthanc's REST routes: /modalities, /modalities/{id}/echo and /store, /tools/dicom-echo,
toward a pynetdicom storage SCP and a dcmtk storescp; answers and error bodies as a real Orthanc 1.10.1 gives them."""

import subprocess
import time

import pydicom
import pytest
import requests
from pynetdicom import AE, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import Verification

from conftest import AtriumServer, derived_file, free_port

STUDY = "1.2.826.0.1.3680043.8.498.7500"


@pytest.fixture(scope="module")
def scp():
    """A pynetdicom SCP answering C-ECHO and recording C-STOREs with the calling AE title."""
    received = []

    def on_store(event):
        received.append((event.assoc.requestor.ae_title, event.dataset.SOPInstanceUID,
                         event.context.transfer_syntax))
        return 0x0000

    ae = AE(ae_title="PYSCP")
    ae.supported_contexts = AllStoragePresentationContexts
    ae.add_supported_context(Verification)
    port = free_port()
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=[(evt.EVT_C_STORE, on_store)])
    yield port, received
    server.shutdown()


@pytest.fixture(scope="module")
def atrium(scp):
    port, _ = scp
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomModalities": {
        "pyscp": ["PYSCP", "127.0.0.1", port],
        "full": {"AET": "FULL", "Host": "localhost", "Port": 104, "Manufacturer": "GE", "AllowFind": False,
                 "LocalAet": "ME", "Timeout": 3},
        "closed": ["CLOSED", "127.0.0.1", free_port()],
    }})
    for index in range(3):
        data = derived_file(STUDY, STUDY + ".1", f"{STUDY}.1.{index}", "CT", patient="SCU1")
        assert requests.post(server.url + "/instances", data=data).ok
    yield server
    server.stop()


def test_list_and_expand(atrium):
    assert requests.get(atrium.url + "/modalities").json() == ["closed", "full", "pyscp"]
    expanded = requests.get(atrium.url + "/modalities?expand").json()
    assert expanded["full"] == {
        "AET": "FULL", "AllowEcho": True, "AllowEventReport": True, "AllowFind": False, "AllowFindWorklist": True,
        "AllowGet": True, "AllowMove": True, "AllowNAction": True, "AllowStore": True, "AllowTranscoding": True,
        "Host": "localhost", "LocalAet": "ME", "Manufacturer": "GE", "Port": 104, "Timeout": 3, "UseDicomTls": False,
    }
    assert requests.get(atrium.url + "/modalities/full/configuration").json() == expanded["full"]
    assert expanded["pyscp"]["LocalAet"] == "" and expanded["pyscp"]["Manufacturer"] == "Generic"


def test_put_and_delete(atrium):
    response = requests.put(atrium.url + "/modalities/added", json={"AET": "ADDED", "Host": "127.0.0.1", "Port": 3000})
    assert response.status_code == 200 and response.text == ""
    assert requests.get(atrium.url + "/modalities/added/configuration").json()["AET"] == "ADDED"
    assert requests.delete(atrium.url + "/modalities/added").status_code == 200
    assert "added" not in requests.get(atrium.url + "/modalities").json()
    missing = requests.delete(atrium.url + "/modalities/added")
    assert missing.status_code == 404
    assert missing.json()["Details"] == "Unknown DICOM modality with symbolic name: added"
    bad = requests.put(atrium.url + "/modalities/bad", json={"Host": "x"})
    assert bad.status_code == 400 and bad.json()["OrthancError"] == "Bad file format"
    unknown = requests.get(atrium.url + "/modalities/none/configuration")
    assert unknown.status_code == 404
    assert unknown.json()["OrthancStatus"] == 7
    assert unknown.json()["Details"] == "No modality with symbolic name: none"


def test_echo(atrium):
    response = requests.post(atrium.url + "/modalities/pyscp/echo", data="{}")
    assert response.status_code == 200 and response.json() == {}
    refused = requests.post(atrium.url + "/modalities/closed/echo", data="{}")
    assert refused.status_code == 500
    body = refused.json()
    assert (body["OrthancError"], body["OrthancStatus"]) == ("Error in the network protocol", 9)
    assert body["Details"].startswith('DicomAssociation - connecting to AET "CLOSED"')
    assert requests.post(atrium.url + "/modalities/none/echo").status_code == 404
    scp_port = requests.get(atrium.url + "/modalities/pyscp/configuration").json()["Port"]
    direct = requests.post(atrium.url + "/tools/dicom-echo", json={"AET": "PYSCP", "Host": "127.0.0.1", "Port": scp_port})
    assert direct.status_code == 200 and direct.json() == {}


def test_store_by_study_and_by_instance(atrium, scp):
    _, received = scp
    received.clear()
    study = requests.post(atrium.url + "/tools/lookup", data=STUDY).json()[0]["ID"]
    answer = requests.post(atrium.url + "/modalities/pyscp/store", data=f'"{study}"').json()
    assert answer == {"Description": "REST API", "FailedInstancesCount": 0, "InstancesCount": 3, "LocalAet": "ATRIUM",
                      "ParentResources": [study], "RemoteAet": "PYSCP"}
    assert sorted(uid for _, uid, _ in received) == [f"{STUDY}.1.{index}" for index in range(3)]
    assert {title for title, _, _ in received} == {"ATRIUM"}
    # The stored transfer syntax is proposed and used as it is.
    assert {syntax for _, _, syntax in received} == {"1.2.840.10008.1.2.1"}
    received.clear()
    instance = requests.post(atrium.url + "/tools/lookup", data=f"{STUDY}.1.0").json()[0]["ID"]
    answer = requests.post(atrium.url + "/modalities/pyscp/store",
                           json={"Resources": [instance], "LocalAet": "OTHER"}).json()
    assert answer["InstancesCount"] == 1 and answer["LocalAet"] == "OTHER"
    assert received == [("OTHER", f"{STUDY}.1.0", "1.2.840.10008.1.2.1")]
    empty = requests.post(atrium.url + "/modalities/pyscp/store", data="[]").json()
    assert empty == {"Description": "REST API", "FailedInstancesCount": 0, "InstancesCount": 0, "LocalAet": "ATRIUM",
                     "RemoteAet": "PYSCP"}


def test_store_errors(atrium):
    bad = requests.post(atrium.url + "/modalities/pyscp/store", data='["nonexistent"]')
    assert bad.status_code == 400
    assert bad.json()["Details"] == "This string is not a valid Orthanc identifier: nonexistent"
    assert requests.post(atrium.url + "/modalities/pyscp/store", data='"not-json').status_code == 400
    unknown = requests.post(atrium.url + "/modalities/pyscp/store",
                            data='"00000000-00000000-00000000-00000000-00000000"')
    assert unknown.status_code == 404
    study = requests.post(atrium.url + "/tools/lookup", data=STUDY).json()[0]["ID"]
    closed = requests.post(atrium.url + "/modalities/closed/store", data=f'"{study}"')
    assert closed.status_code == 500 and closed.json()["OrthancStatus"] == 9


def test_store_to_dcmtk_storescp(atrium, tmp_path):
    port = free_port()
    process = subprocess.Popen(["/usr/bin/storescp", "-aet", "DCMTKSCP", "-od", str(tmp_path), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        assert requests.put(atrium.url + "/modalities/dcmtk",
                            json={"AET": "DCMTKSCP", "Host": "127.0.0.1", "Port": port}).ok
        study = requests.post(atrium.url + "/tools/lookup", data=STUDY).json()[0]["ID"]
        answer = requests.post(atrium.url + "/modalities/dcmtk/store", data=f'["{study}"]').json()
        assert answer["InstancesCount"] == 3 and answer["FailedInstancesCount"] == 0
        files = sorted(tmp_path.iterdir())
        assert sorted(pydicom.dcmread(path).SOPInstanceUID for path in files) == [
            f"{STUDY}.1.{index}" for index in range(3)]
    finally:
        process.terminate()
        process.wait(timeout=10)
