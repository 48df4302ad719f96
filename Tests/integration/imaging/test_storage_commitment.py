"""Storage commitment (PS3.4 Annex J, Push Model) as Orthanc does it, end to end with pynetdicom.

Atrium as SCP: a pynetdicom modality sends the N-ACTION, Atrium answers it, checks the instances against the index
and reports on a new association to the modality. Atrium as SCU: `POST /modalities/{id}/storage-commitment` sends
the N-ACTION to a pynetdicom SCP, which reports back to Atrium's DICOM port; `/storage-commitment/{id}` shows the
report with the shapes Orthanc 1.10.1 answers.
"""

import queue
import time

import pytest
import requests
from pydicom.dataset import Dataset
from pynetdicom import AE, build_role, evt
from pynetdicom.pdu import A_ABORT_RQ
from pynetdicom.sop_class import CTImageStorage, MRImageStorage, StorageCommitmentPushModel

from conftest import AtriumServer, OrthancServer, free_port, pydicom_test_files

WELL_KNOWN_INSTANCE = "1.2.840.10008.1.20.1.1"
CT_SOP_INSTANCE = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"


@pytest.fixture(scope="module")
def modality():
    """A pynetdicom modality: it records the N-ACTIONs it receives and the N-EVENT-REPORTs sent to it."""
    actions, reports = queue.Queue(), queue.Queue()

    def on_action(event):
        actions.put((event.action_type, event.request, event.action_information))
        return 0x0000, None

    def on_report(event):
        roles = [(item.sop_class_uid, item.scu_role, item.scp_role)
                 for item in event.assoc.requestor.user_information if hasattr(item, "scp_role")]
        reports.put((event.event_type, event.request, event.event_information, event.assoc.requestor.ae_title,
                     roles))
        return 0x0000, None

    ae = AE(ae_title="MODALITY")
    ae.add_supported_context(StorageCommitmentPushModel, scu_role=True, scp_role=True)
    port = free_port()
    server = ae.start_server(("127.0.0.1", port), block=False,
                             evt_handlers=[(evt.EVT_N_ACTION, on_action), (evt.EVT_N_EVENT_REPORT, on_report)])
    yield port, actions, reports
    server.shutdown()


@pytest.fixture(scope="module")
def atrium(modality):
    port, _, _ = modality
    server = AtriumServer({
        "DicomAet": "ATRIUM",
        "DicomAlwaysAllowEcho": True,
        "DicomModalities": {
            "modality": ["MODALITY", "127.0.0.1", port],
            "refused": {"AET": "REFUSED", "Port": port, "AllowStorageCommitment": False},
            "offline": ["OFFLINE", "127.0.0.1", free_port()],
        },
    })
    upload = requests.post(server.url + "/instances", data=(pydicom_test_files() / "CT_small.dcm").read_bytes())
    assert upload.status_code == 200
    yield server
    server.stop()


def reference(sop_class, sop_instance, reason=None):
    item = Dataset()
    item.ReferencedSOPClassUID = sop_class
    item.ReferencedSOPInstanceUID = sop_instance
    if reason is not None:
        item.FailureReason = reason
    return item


def n_action(server, transaction, references, calling="MODALITY", received=None):
    ae = AE(ae_title=calling)
    ae.add_requested_context(StorageCommitmentPushModel)
    handlers = [] if received is None else [(evt.EVT_PDU_RECV, lambda event: received.append(event.pdu))]
    assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM", evt_handlers=handlers)
    assert assoc.is_established
    information = Dataset()
    information.TransactionUID = transaction
    information.ReferencedSOPSequence = references
    status, _ = assoc.send_n_action(information, 1, StorageCommitmentPushModel, WELL_KNOWN_INSTANCE)
    if assoc.is_established:
        assoc.release()
    return status


def n_event_report(server, information, event_type, calling="MODALITY"):
    ae = AE(ae_title=calling)
    ae.add_requested_context(StorageCommitmentPushModel)
    assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM",
                         ext_neg=[build_role(StorageCommitmentPushModel, scu_role=False, scp_role=True)])
    assert assoc.is_established
    status, _ = assoc.send_n_event_report(information, event_type, StorageCommitmentPushModel, WELL_KNOWN_INSTANCE)
    assoc.release()
    return status


def test_atrium_commits_what_it_stores_and_reports_on_a_new_association(atrium, modality):
    _, _, reports = modality
    status = n_action(atrium, "1.2.826.0.1.3680043.10.99.1", [
        reference(CTImageStorage, CT_SOP_INSTANCE),
        reference(CTImageStorage, "1.2.3.404"),
        reference(MRImageStorage, CT_SOP_INSTANCE),
    ])
    assert status.Status == 0x0000
    event_type, command, information, calling, roles = reports.get(timeout=10)
    assert (event_type, calling) == (2, "ATRIUM")
    assert command.AffectedSOPClassUID == StorageCommitmentPushModel
    assert command.AffectedSOPInstanceUID == WELL_KNOWN_INSTANCE
    assert roles == [(StorageCommitmentPushModel, False, True)]
    assert information.TransactionUID == "1.2.826.0.1.3680043.10.99.1"
    assert [(item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID)
            for item in information.ReferencedSOPSequence] == [(CTImageStorage, CT_SOP_INSTANCE)]
    assert [(item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID, item.FailureReason)
            for item in information.FailedSOPSequence] == [
        (CTImageStorage, "1.2.3.404", 0x0112), (MRImageStorage, CT_SOP_INSTANCE, 0x0119)]


def storage_commitment_jobs(server, transaction):
    deadline = time.time() + 10
    while time.time() < deadline:
        jobs = [job for job in requests.get(server.url + "/jobs?expand").json()
                if job["Type"] == "StorageCommitmentScp" and job["Content"]["TransactionUid"] == transaction]
        if jobs and jobs[0]["State"] in ("Success", "Failure"):
            return jobs
        time.sleep(0.05)
    raise AssertionError("no finished StorageCommitmentScp job for " + transaction)


def test_each_report_is_a_job_as_in_orthanc(atrium, modality):
    _, _, reports = modality
    assert n_action(atrium, "1.2.826.0.1.3680043.10.99.5", [reference(CTImageStorage, CT_SOP_INSTANCE)]).Status == 0
    reports.get(timeout=10)
    [job] = storage_commitment_jobs(atrium, "1.2.826.0.1.3680043.10.99.5")
    # Orthanc 1.10.1's Content for the same request.
    assert job["Content"] == {"CalledAet": "ATRIUM", "Description": "", "RemoteAet": "MODALITY",
                              "TransactionUid": "1.2.826.0.1.3680043.10.99.5"}
    assert (job["State"], job["Progress"], job["ErrorCode"]) == ("Success", 100, 0)
    # A modality that cannot be reached fails the job with Orthanc's network error.
    status = n_action(atrium, "1.2.826.0.1.3680043.10.99.6", [reference(CTImageStorage, CT_SOP_INSTANCE)],
                      calling="OFFLINE")
    assert status.Status == 0
    [job] = storage_commitment_jobs(atrium, "1.2.826.0.1.3680043.10.99.6")
    assert (job["State"], job["ErrorCode"], job["ErrorDescription"]) == (
        "Failure", 9, "Error in the network protocol")


def test_a_full_success_is_event_type_1_without_failed_sequence(atrium, modality):
    _, _, reports = modality
    assert n_action(atrium, "1.2.826.0.1.3680043.10.99.2", [reference(CTImageStorage, CT_SOP_INSTANCE)]).Status == 0
    event_type, _, information, _, _ = reports.get(timeout=10)
    assert event_type == 1
    assert "FailedSOPSequence" not in information
    assert len(information.ReferencedSOPSequence) == 1


def test_only_modalities_allowed_to_commit_may_ask(atrium, modality):
    _, _, reports = modality
    # Another calling AE is not answered: the association is aborted (A-ABORT, source 0, reason 0), as Orthanc does.
    for calling in ("STRANGER", "REFUSED"):
        received = []
        status = n_action(atrium, "1.2.826.0.1.3680043.10.99.3", [reference(CTImageStorage, CT_SOP_INSTANCE)],
                          calling=calling, received=received)
        assert not status
        assert [(pdu.source, pdu.reason_diagnostic) for pdu in received if isinstance(pdu, A_ABORT_RQ)] == [(0, 0)]
    with pytest.raises(queue.Empty):
        reports.get(timeout=0.5)


def commit(server, body, name="modality"):
    return requests.post(f"{server.url}/modalities/{name}/storage-commitment", json=body)


def test_atrium_asks_a_modality_and_receives_the_report(atrium, modality):
    _, actions, _ = modality
    answer = commit(atrium, {"DicomInstances": [[CTImageStorage, CT_SOP_INSTANCE], [CTImageStorage, "1.2.3.404"]]})
    assert answer.status_code == 200, answer.text
    transaction = answer.json()["ID"]
    assert answer.json() == {"ID": transaction, "Path": f"/storage-commitment/{transaction}"}
    action_type, command, information = actions.get(timeout=10)
    assert action_type == 1
    assert command.RequestedSOPClassUID == StorageCommitmentPushModel
    assert command.RequestedSOPInstanceUID == WELL_KNOWN_INSTANCE
    assert information.TransactionUID == transaction
    assert [(item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID)
            for item in information.ReferencedSOPSequence] == [
        (CTImageStorage, CT_SOP_INSTANCE), (CTImageStorage, "1.2.3.404")]
    path = atrium.url + f"/storage-commitment/{transaction}"
    assert requests.get(path).json() == {"RemoteAET": "MODALITY", "Status": "Pending"}
    removal = requests.post(path + "/remove")
    assert removal.status_code == 500
    assert removal.json()["OrthancStatus"] == 6
    assert removal.json()["Details"] == (
        f"Cannot remove DICOM instances after failure in storage commitment transaction: {transaction}")

    result = Dataset()
    result.TransactionUID = transaction
    result.ReferencedSOPSequence = [reference(CTImageStorage, CT_SOP_INSTANCE)]
    result.FailedSOPSequence = [reference(CTImageStorage, "1.2.3.404", 0x0112)]
    assert n_event_report(atrium, result, 2).Status == 0x0000
    # Orthanc 1.10.1's answer for the same report.
    assert requests.get(path).json() == {
        "Failures": [{
            "Description": "One or more of the elements in the Referenced SOP Instance Sequence was not available",
            "FailureReason": 274, "SOPClassUID": CTImageStorage, "SOPInstanceUID": "1.2.3.404"}],
        "RemoteAET": "MODALITY",
        "Status": "Failure",
        "Success": [{"SOPClassUID": CTImageStorage, "SOPInstanceUID": CT_SOP_INSTANCE}],
    }
    assert requests.post(path + "/remove").status_code == 500


def test_a_successful_commitment_lets_the_instances_be_removed(modality):
    _, actions, _ = modality
    port, _, _ = modality
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomModalities": {"modality": ["MODALITY", "127.0.0.1", port]}})
    try:
        instance = requests.post(server.url + "/instances",
                                 data=(pydicom_test_files() / "CT_small.dcm").read_bytes()).json()["ID"]
        answer = commit(server, {"Resources": [instance], "Timeout": 5})
        assert answer.status_code == 200, answer.text
        transaction = answer.json()["ID"]
        _, _, information = actions.get(timeout=10)
        assert [(item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID)
                for item in information.ReferencedSOPSequence] == [(CTImageStorage, CT_SOP_INSTANCE)]
        result = Dataset()
        result.TransactionUID = transaction
        result.ReferencedSOPSequence = information.ReferencedSOPSequence
        assert n_event_report(server, result, 1).Status == 0x0000
        path = server.url + f"/storage-commitment/{transaction}"
        assert requests.get(path).json() == {
            "Failures": [], "RemoteAET": "MODALITY", "Status": "Success",
            "Success": [{"SOPClassUID": CTImageStorage, "SOPInstanceUID": CT_SOP_INSTANCE}]}
        assert requests.post(path + "/remove").json() == {}
        assert requests.get(server.url + "/instances").json() == []
        assert server.stored_files() == []
        assert requests.post(path + "/remove").json() == {}
    finally:
        server.stop()


def test_instances_given_as_objects(atrium, modality):
    _, actions, _ = modality
    answer = commit(atrium, {"DicomInstances": [{"SOPClassUID": CTImageStorage, "SOPInstanceUID": "1.2.3"}]})
    assert answer.status_code == 200, answer.text
    _, _, information = actions.get(timeout=10)
    assert information.ReferencedSOPSequence[0].ReferencedSOPInstanceUID == "1.2.3"


@pytest.mark.parametrize("body, details", [
    ([], "Must provide a JSON object with a list of resources"),
    ({}, "Empty storage commitment request, one of these fields is mandatory: \"Resources\" or \"DicomInstances\""),
    ({"DicomInstances": "x"}, "The \"DicomInstances\" field must provide an array of DICOM instances"),
    ({"DicomInstances": [[1, 2]]},
     "An instance entry must provide an array with 2 strings: SOP Class UID and SOP Instance UID"),
    ({"DicomInstances": [["a"]]},
     "An instance entry must provide an array with 2 strings: SOP Class UID and SOP Instance UID"),
    ({"DicomInstances": ["f689ddd2-662f8fe1-8b18180d-ec2a2cee-937917af"]},
     "JSON array or object is expected to specify one instance to be queried, found: "
     "\"f689ddd2-662f8fe1-8b18180d-ec2a2cee-937917af\"\n"),
])
def test_bad_bodies_get_orthancs_errors(atrium, body, details):
    answer = commit(atrium, body)
    assert answer.status_code == 400
    assert answer.json()["OrthancStatus"] == 15
    assert answer.json()["Details"] == details


def test_unknown_transactions_and_modalities(atrium):
    for method, path in (("GET", "/storage-commitment/1.2.3"), ("POST", "/storage-commitment/1.2.3/remove")):
        answer = requests.request(method, atrium.url + path)
        assert answer.status_code == 404
        assert answer.json()["Details"] == "No storage commitment transaction with UID: 1.2.3"
    answer = commit(atrium, {"DicomInstances": []}, name="nope")
    assert answer.status_code == 404
    assert answer.json()["Details"] == "No modality with symbolic name: nope"
    answer = commit(atrium, {"DicomInstances": []}, name="offline")
    assert answer.status_code == 500
    assert answer.json()["OrthancStatus"] == 9


def test_a_report_of_an_unknown_transaction_is_accepted_and_a_malformed_one_refused(atrium):
    result = Dataset()
    result.TransactionUID = "1.2.3.4.5.6.7"
    result.ReferencedSOPSequence = [reference(CTImageStorage, CT_SOP_INSTANCE)]
    assert n_event_report(atrium, result, 1).Status == 0x0000
    # Event type 2 needs a Failed SOP Sequence (Orthanc 1.10.1 fails the request too).
    assert n_event_report(atrium, result, 2).Status == 0x0110


def wait_for_status(url, path, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        report = requests.get(url + path).json()
        if report["Status"] != "Pending":
            return report
        time.sleep(0.05)
    raise AssertionError("the storage commitment stayed pending: " + path)


def test_with_a_real_orthanc_in_both_directions():
    atrium_dicom, orthanc_dicom = free_port(), free_port()
    orthanc = OrthancServer({"DicomModalities": {"atrium": ["ATRIUM", "127.0.0.1", atrium_dicom]}},
                          dicom_port=orthanc_dicom)
    try:
        atrium = AtriumServer({"DicomAet": "ATRIUM", "DicomPort": atrium_dicom,
                               "DicomModalities": {"orthanc": ["ORTHANC", "127.0.0.1", orthanc_dicom]}})
        try:
            ct = (pydicom_test_files() / "CT_small.dcm").read_bytes()
            mr = (pydicom_test_files() / "MR_small.dcm").read_bytes()
            assert requests.post(atrium.url + "/instances", data=ct).ok
            assert requests.post(orthanc.url + "/instances", data=mr).ok
            instances = [[CTImageStorage, CT_SOP_INSTANCE], [CTImageStorage, "1.2.3.404"]]
            # Orthanc asks Atrium: Atrium's report reaches Orthanc.
            answer = requests.post(orthanc.url + "/modalities/atrium/storage-commitment",
                                   json={"DicomInstances": instances})
            assert answer.ok, answer.text
            report = wait_for_status(orthanc.url, answer.json()["Path"])
            assert report["Status"] == "Failure"
            assert report["Success"] == [{"SOPClassUID": CTImageStorage, "SOPInstanceUID": CT_SOP_INSTANCE}]
            assert [(failure["SOPInstanceUID"], failure["FailureReason"]) for failure in report["Failures"]] == [
                ("1.2.3.404", 0x0112)]
            # Atrium asks Orthanc: Orthanc's report reaches Atrium, and reads as Orthanc's own did.
            mr_instance = requests.get(orthanc.url + "/instances?expand").json()[0]["MainDicomTags"]["SOPInstanceUID"]
            answer = requests.post(atrium.url + "/modalities/orthanc/storage-commitment",
                                   json={"DicomInstances": [[MRImageStorage, mr_instance], instances[0]]})
            assert answer.ok, answer.text
            ours = wait_for_status(atrium.url, answer.json()["Path"])
            assert ours["RemoteAET"] == "ORTHANC"
            assert ours["Success"] == [{"SOPClassUID": MRImageStorage, "SOPInstanceUID": mr_instance}]
            assert [(failure["SOPInstanceUID"], failure["FailureReason"]) for failure in ours["Failures"]] == [
                (CT_SOP_INSTANCE, 0x0112)]
            assert set(ours) == set(report)
        finally:
            atrium.stop()
    finally:
        orthanc.stop()


def test_a_store_with_storage_commitment_answers_as_orthanc_and_gets_the_report():
    # Atrium and a real Orthanc both send CT_small to a second real Orthanc with "StorageCommitment": true: the
    # answers have the same keys (StorageCommitmentTransactionUID among them) and each report reads Success.
    atrium_dicom, sender_dicom, receiver_dicom = free_port(), free_port(), free_port()
    receiver = OrthancServer({"DicomAet": "RECEIVER", "DicomModalities": {
        "atrium": ["ATRIUM", "127.0.0.1", atrium_dicom], "sender": ["SENDER", "127.0.0.1", sender_dicom]}},
        dicom_port=receiver_dicom)
    sender = OrthancServer({"DicomAet": "SENDER", "DicomModalities": {
        "receiver": ["RECEIVER", "127.0.0.1", receiver_dicom]}}, dicom_port=sender_dicom)
    atrium = AtriumServer({"DicomAet": "ATRIUM", "DicomPort": atrium_dicom, "DicomModalities": {
        "receiver": ["RECEIVER", "127.0.0.1", receiver_dicom]}})
    try:
        ct = (pydicom_test_files() / "CT_small.dcm").read_bytes()
        answers = {}
        for name, server in (("orthanc", sender), ("atrium", atrium)):
            instance = requests.post(server.url + "/instances", data=ct).json()["ID"]
            answer = requests.post(server.url + "/modalities/receiver/store",
                                   json={"Resources": [instance], "StorageCommitment": True})
            assert answer.status_code == 200, answer.text
            answers[name] = answer.json()
            transaction = answer.json()["StorageCommitmentTransactionUID"]
            assert transaction.startswith("2.25.")
            report = wait_for_status(server.url, "/storage-commitment/" + transaction)
            assert report == {"Failures": [], "RemoteAET": "RECEIVER", "Status": "Success", "Success": [
                {"SOPClassUID": CTImageStorage, "SOPInstanceUID": CT_SOP_INSTANCE}]}
        assert set(answers["atrium"]) == set(answers["orthanc"])
        # As a job, the transaction is in its Content.
        instance = requests.get(atrium.url + "/instances").json()[0]
        job = requests.post(atrium.url + "/modalities/receiver/store",
                            json={"Resources": [instance], "StorageCommitment": True, "Synchronous": False}).json()
        for _ in range(100):
            state = requests.get(atrium.url + job["Path"]).json()
            if state["State"] == "Success":
                break
            time.sleep(0.1)
        assert state["State"] == "Success"
        assert state["Content"]["StorageCommitmentTransactionUID"].startswith("2.25.")
        # A non-boolean value is refused as Orthanc refuses it.
        refused = requests.post(atrium.url + "/modalities/receiver/store",
                                json={"Resources": [instance], "StorageCommitment": "yes"})
        assert refused.status_code == 400
        assert refused.json()["OrthancStatus"] == 5
        assert refused.json()["Message"] == "Bad type for a parameter"
    finally:
        atrium.stop()
        sender.stop()
        receiver.stop()
