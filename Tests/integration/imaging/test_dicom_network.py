"""The DICOM server as modalities use it: dcmtk's echoscu, storescu, findscu, getscu and movescu, and pynetdicom,
against Atrium's DICOM port; what they store is checked through the REST API, what they receive against the
stored files."""

import concurrent.futures
import io
import socket
import struct
import subprocess
import time

import pydicom
import pytest
import requests
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pynetdicom import AE, StoragePresentationContexts, build_role, evt
from pynetdicom.pdu import A_ABORT_RQ
from pynetdicom.sop_class import (CTImageStorage, MRImageStorage, PatientRootQueryRetrieveInformationModelFind,
                                  StudyRootQueryRetrieveInformationModelFind, StudyRootQueryRetrieveInformationModelGet,
                                  StudyRootQueryRetrieveInformationModelMove, Verification)

from conftest import AtriumServer, derived_file, free_port
from dicom_pdus import A_ABORT, associate_rq, c_store_rq, p_data_tf, presentation_context

DCMTK = "/usr/bin"


@pytest.fixture(scope="module")
def move_destination():
    """A pynetdicom storage SCP that records what it receives, as a C-MOVE destination."""
    received = []

    def on_store(event):
        dataset = event.dataset
        dataset.file_meta = event.file_meta
        received.append((event.assoc.requestor.ae_title, dataset))
        return 0x0000

    ae = AE(ae_title="DESTINATION")
    ae.supported_contexts = StoragePresentationContexts
    port = free_port()
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=[(evt.EVT_C_STORE, on_store)])
    yield port, received
    server.shutdown()


@pytest.fixture(scope="module")
def dicom(move_destination):
    port, _ = move_destination
    server = AtriumServer({
        "DicomAet": "ATRIUM",
        "DicomAlwaysAllowFind": True,
        "DicomAlwaysAllowGet": True,
        "DicomModalities": {"destination": ["DESTINATION", "127.0.0.1", port], "mover": ["MOVER", "127.0.0.1", 1]},
    })
    yield server
    server.stop()


def association(server, contexts, ae_title="PYNETDICOM", roles=None):
    ae = AE(ae_title=ae_title)
    for context in contexts:
        if isinstance(context, tuple):
            ae.add_requested_context(*context)
        else:
            ae.add_requested_context(context)
    assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM", ext_neg=roles or [])
    assert assoc.is_established
    return assoc


def stored_instances(server):
    return requests.get(server.url + "/instances?expand").json()


def test_echoscu_and_pynetdicom_echo(dicom):
    result = subprocess.run([f"{DCMTK}/echoscu", "-aec", "ATRIUM", "127.0.0.1", str(dicom.dicom_port)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assoc = association(dicom, [Verification])
    status = assoc.send_c_echo()
    assert status.Status == 0x0000
    assoc.release()


def uncompressed(paths):
    return [path for path in paths if not pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID
            .is_compressed]


def without_group_lengths(dataset):
    # storescu also drops the trailing padding (FFFC,FFFC).
    return {element.tag: element.value for element in dataset
            if element.tag.element != 0x0000 and element.tag not in (0xFFFCFFFC, 0x7FE00010)}


def test_storescu_stores_with_the_origin_metadata(dicom, sample_files):
    # storescu proposes the uncompressed syntaxes only (it converts to them), so it sends uncompressed files.
    sample_files = uncompressed(sample_files)
    result = subprocess.run([f"{DCMTK}/storescu", "-aet", "MODALITY1", "-aec", "ATRIUM", "127.0.0.1",
                             str(dicom.dicom_port)] + [str(path) for path in sample_files],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    instances = {item["MainDicomTags"]["SOPInstanceUID"]: item for item in stored_instances(dicom)}
    for path in sample_files:
        original = pydicom.dcmread(path)
        instance = instances[original.SOPInstanceUID]
        metadata = requests.get(f"{dicom.url}/instances/{instance['ID']}/metadata?expand").json()
        assert metadata["Origin"] == "DicomProtocol"
        assert metadata["RemoteAET"] == "MODALITY1"
        assert metadata["CalledAET"] == "ATRIUM"
        assert metadata["RemoteIP"] == "127.0.0.1"
        assert metadata["SopClassUid"] == original.SOPClassUID
        stored = pydicom.dcmread(io.BytesIO(requests.get(f"{dicom.url}/instances/{instance['ID']}/file").content))
        assert stored.file_meta.SourceApplicationEntityTitle == "MODALITY1"
        assert stored.file_meta.MediaStorageSOPInstanceUID == original.SOPInstanceUID
        # Every element and pixel reads back the same (storescu leaves out group lengths and may convert the syntax).
        assert without_group_lengths(stored) == without_group_lengths(original), path.name
        if "PixelData" in original:
            assert (stored.pixel_array == original.pixel_array).all(), path.name


def test_compressed_files_are_stored_in_their_own_syntax(dicom, sample_files):
    compressed = [path for path in sample_files if path not in uncompressed(sample_files)]
    assert compressed
    ae = AE(ae_title="COMPRESSOR")
    datasets = [pydicom.dcmread(path) for path in compressed]
    for dataset in datasets:
        ae.add_requested_context(dataset.SOPClassUID, [dataset.file_meta.TransferSyntaxUID])
    assoc = ae.associate("127.0.0.1", dicom.dicom_port, ae_title="ATRIUM")
    assert assoc.is_established
    for dataset in datasets:
        assert assoc.send_c_store(dataset).Status == 0x0000
    assoc.release()
    for dataset, path in zip(datasets, compressed):
        instance = requests.post(dicom.url + "/tools/lookup", data=dataset.SOPInstanceUID).json()[0]
        stored = requests.get(dicom.url + instance["Path"] + "/file").content
        again = pydicom.dcmread(io.BytesIO(stored))
        assert again.file_meta.TransferSyntaxUID == dataset.file_meta.TransferSyntaxUID
        assert again.PixelData == dataset.PixelData


def test_pynetdicom_store_statuses(dicom):
    assoc = association(dicom, [(CTImageStorage, [ExplicitVRLittleEndian]), (MRImageStorage, [ImplicitVRLittleEndian])])
    dataset = pydicom.dcmread(io.BytesIO(derived_file("1.2.826.0.1.3680043.8.498.7001", "1.2.826.0.1.3680043.8.498.7002",
                                                      "1.2.826.0.1.3680043.8.498.7003", "CT", patient="NET1")))
    assert assoc.send_c_store(dataset).Status == 0x0000
    # Stored again: success, as Orthanc answers an instance it already has.
    assert assoc.send_c_store(dataset).Status == 0x0000
    # No study or series UID (but a SOP Instance UID): out of resources, as Orthanc answers, and nothing stored.
    broken = pydicom.Dataset()
    broken.file_meta = pydicom.dataset.FileMetaDataset()
    broken.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    broken.SOPClassUID = CTImageStorage
    broken.SOPInstanceUID = "1.2.826.0.1.3680043.8.498.7004"
    broken.PatientID = "NET1"
    before = len(stored_instances(dicom))
    status = assoc.send_c_store(broken)
    assert status.Status == 0xA700
    assert len(stored_instances(dicom)) == before
    assoc.release()
    found = requests.post(dicom.url + "/tools/find", json={"Level": "Instance", "Query": {"PatientID": "NET1"}}).json()
    assert len(found) == 1


def find(server, identifier, model=StudyRootQueryRetrieveInformationModelFind, ae_title="PYNETDICOM"):
    assoc = association(server, [model], ae_title=ae_title)
    answers = []
    final = None
    for status, match in assoc.send_c_find(identifier, model):
        if status.Status in (0xFF00, 0xFF01):
            answers.append(match)
        else:
            final = status.Status
    assoc.release()
    return final, answers


def test_find_at_every_level_answers_what_the_index_holds(dicom):
    for index in range(3):
        dataset = pydicom.dcmread(io.BytesIO(derived_file(
            "1.2.826.0.1.3680043.8.498.7100", f"1.2.826.0.1.3680043.8.498.71{index}0",
            f"1.2.826.0.1.3680043.8.498.71{index}1", "MR" if index else "CT", patient="FINDME",
            PatientName="Find^Me", StudyDescription="network find")))
        assoc = association(dicom, [(CTImageStorage, [ExplicitVRLittleEndian])])
        assert assoc.send_c_store(dataset).Status == 0x0000
        assoc.release()

    query = pydicom.Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.PatientName = "Find*"
    query.StudyInstanceUID = ""
    query.StudyDescription = ""
    query.ModalitiesInStudy = ""
    query.NumberOfStudyRelatedSeries = ""
    query.NumberOfStudyRelatedInstances = ""
    status, answers = find(dicom, query)
    assert status == 0x0000
    assert len(answers) == 1
    answer = answers[0]
    assert answer.QueryRetrieveLevel == "STUDY"
    assert answer.PatientName == "Find^Me"
    assert answer.StudyInstanceUID == "1.2.826.0.1.3680043.8.498.7100"
    assert answer.StudyDescription == "network find"
    assert list(answer.ModalitiesInStudy) == ["CT", "MR"]
    assert int(answer.NumberOfStudyRelatedSeries) == 3
    assert int(answer.NumberOfStudyRelatedInstances) == 3

    series = pydicom.Dataset()
    series.QueryRetrieveLevel = "SERIES"
    series.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.7100"
    series.SeriesInstanceUID = ""
    series.Modality = "MR"
    status, answers = find(dicom, series)
    assert status == 0x0000
    assert sorted(item.SeriesInstanceUID for item in answers) == [
        "1.2.826.0.1.3680043.8.498.7110", "1.2.826.0.1.3680043.8.498.7120"]

    images = pydicom.Dataset()
    images.QueryRetrieveLevel = "IMAGE"
    images.PatientID = "FINDME"
    images.SOPInstanceUID = ""
    status, answers = find(dicom, images, model=PatientRootQueryRetrieveInformationModelFind)
    assert status == 0x0000
    assert sorted(item.SOPInstanceUID for item in answers) == [
        "1.2.826.0.1.3680043.8.498.7101", "1.2.826.0.1.3680043.8.498.7111", "1.2.826.0.1.3680043.8.498.7121"]

    none = pydicom.Dataset()
    none.QueryRetrieveLevel = "STUDY"
    none.PatientName = "Nobody*"
    assert find(dicom, none) == (0x0000, [])

    # PATIENT is not a level of the study root model.
    patient = pydicom.Dataset()
    patient.QueryRetrieveLevel = "PATIENT"
    patient.PatientID = ""
    status, answers = find(dicom, patient)
    assert status == 0xA900 and answers == []


def test_findscu_prints_the_answer(dicom):
    result = subprocess.run([f"{DCMTK}/findscu", "-S", "-aec", "ATRIUM", "-k", "QueryRetrieveLevel=STUDY",
                             "-k", "PatientID=FINDME", "-k", "StudyDescription", "127.0.0.1", str(dicom.dicom_port)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "network find" in result.stderr + result.stdout


def test_c_get_sends_the_stored_files_back(dicom):
    received = []

    def on_store(event):
        dataset = event.dataset
        dataset.file_meta = event.file_meta
        received.append(dataset)
        return 0x0000

    ae = AE(ae_title="GETTER")
    ae.add_requested_context(StudyRootQueryRetrieveInformationModelGet)
    ae.add_requested_context(CTImageStorage, [ExplicitVRLittleEndian])
    role = build_role(CTImageStorage, scp_role=True)
    assoc = ae.associate("127.0.0.1", dicom.dicom_port, ae_title="ATRIUM", ext_neg=[role],
                         evt_handlers=[(evt.EVT_C_STORE, on_store)])
    assert assoc.is_established
    query = pydicom.Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.7100"
    statuses = [status for status, _ in assoc.send_c_get(query, StudyRootQueryRetrieveInformationModelGet)]
    assoc.release()
    final = statuses[-1]
    assert final.Status == 0x0000
    assert final.NumberOfCompletedSuboperations == 3
    assert final.NumberOfFailedSuboperations == 0
    assert [status.Status for status in statuses[:-1]] == [0xFF00, 0xFF00]
    assert sorted(item.SOPInstanceUID for item in received) == [
        "1.2.826.0.1.3680043.8.498.7101", "1.2.826.0.1.3680043.8.498.7111", "1.2.826.0.1.3680043.8.498.7121"]
    for dataset in received:
        instance = requests.post(dicom.url + "/tools/lookup", data=dataset.SOPInstanceUID).json()[0]
        stored = pydicom.dcmread(io.BytesIO(requests.get(dicom.url + instance["Path"] + "/file").content))
        assert dataset == stored


def test_getscu_writes_the_files(dicom, tmp_path):
    result = subprocess.run([f"{DCMTK}/getscu", "-S", "-aec", "ATRIUM", "-k", "QueryRetrieveLevel=SERIES",
                             "-k", "SeriesInstanceUID=1.2.826.0.1.3680043.8.498.7110", "-od", str(tmp_path),
                             "127.0.0.1", str(dicom.dicom_port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert pydicom.dcmread(files[0]).SOPInstanceUID == "1.2.826.0.1.3680043.8.498.7111"


def test_c_move_to_a_known_destination(dicom, move_destination):
    _, received = move_destination
    received.clear()
    assoc = association(dicom, [StudyRootQueryRetrieveInformationModelMove], ae_title="MOVER")
    query = pydicom.Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.7100"
    statuses = [status for status, _ in assoc.send_c_move(query, "DESTINATION", StudyRootQueryRetrieveInformationModelMove)]
    final = statuses[-1]
    assert final.Status == 0x0000
    assert final.NumberOfCompletedSuboperations == 3
    # The sub-operations come from Atrium's AE title.
    assert sorted(item.SOPInstanceUID for _, item in received) == [
        "1.2.826.0.1.3680043.8.498.7101", "1.2.826.0.1.3680043.8.498.7111", "1.2.826.0.1.3680043.8.498.7121"]
    assert {title for title, _ in received} == {"ATRIUM"}

    # An unknown destination: 0xC000 with zero counts and no remaining count, as Orthanc answers.
    statuses = [status for status, _ in assoc.send_c_move(query, "NOBODY", StudyRootQueryRetrieveInformationModelMove)]
    assert statuses[-1].Status == 0xC000
    assert (statuses[-1].NumberOfCompletedSuboperations, statuses[-1].NumberOfFailedSuboperations,
            statuses[-1].NumberOfWarningSuboperations) == (0, 0, 0)
    assert "NumberOfRemainingSuboperations" not in statuses[-1]
    assoc.release()


def test_movescu_receives_on_its_own_port(tmp_path):
    port = free_port()
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomModalities": {"self": ["MOVESCU", "127.0.0.1", port]}})
    try:
        data = derived_file("1.2.826.0.1.3680043.8.498.7200", "1.2.826.0.1.3680043.8.498.7201",
                            "1.2.826.0.1.3680043.8.498.7202", "CT")
        assert requests.post(server.url + "/instances", data=data).ok
        result = subprocess.run([f"{DCMTK}/movescu", "-S", "-aet", "MOVESCU", "-aec", "ATRIUM", "-aem", "MOVESCU",
                                 "--port", str(port), "-od", str(tmp_path), "-k", "QueryRetrieveLevel=STUDY",
                                 "-k", "StudyInstanceUID=1.2.826.0.1.3680043.8.498.7200", "127.0.0.1",
                                 str(server.dicom_port)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        files = list(tmp_path.iterdir())
        assert len(files) == 1
        assert pydicom.dcmread(files[0]).SOPInstanceUID == "1.2.826.0.1.3680043.8.498.7202"
    finally:
        server.stop()


def test_permissions_follow_dicom_always_allow_and_modalities():
    server = AtriumServer({
        "DicomAet": "ATRIUM", "DicomCheckCalledAet": True, "DicomAlwaysAllowEcho": False,
        "DicomAlwaysAllowStore": False,
        "DicomModalities": {"known": {"AET": "KNOWN", "Host": "127.0.0.1", "Port": 1, "AllowFind": False}},
    })
    try:
        ae = AE(ae_title="STRANGER")
        ae.add_requested_context(Verification)
        # Nothing is always allowed: an unknown calling AE is rejected (calling AE title not recognized).
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM")
        assert assoc.is_rejected
        assert (assoc.acceptor.primitive.result, assoc.acceptor.primitive.result_source,
                assoc.acceptor.primitive.diagnostic) == (1, 1, 3)
        known = AE(ae_title="KNOWN")
        known.add_requested_context(Verification)
        known.add_requested_context(StudyRootQueryRetrieveInformationModelFind)
        # DicomCheckCalledAet: another called AE title is rejected (called AE title not recognized).
        wrong = known.associate("127.0.0.1", server.dicom_port, ae_title="SOMEONE")
        assert wrong.is_rejected and wrong.acceptor.primitive.diagnostic == 7
        received = []
        assoc = known.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM",
                                evt_handlers=[(evt.EVT_PDU_RECV, lambda event: received.append(event.pdu))])
        assert assoc.is_established
        assert assoc.send_c_echo().Status == 0x0000
        query = pydicom.Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.StudyInstanceUID = ""
        # A C-FIND the modality may not make is not answered: the association is aborted, as Orthanc does.
        statuses = [status for status, _ in assoc.send_c_find(query, StudyRootQueryRetrieveInformationModelFind)]
        assert [bool(status) for status in statuses] == [False]
        aborts = [pdu for pdu in received if isinstance(pdu, A_ABORT_RQ)]
        assert [(pdu.source, pdu.reason_diagnostic) for pdu in aborts] == [(0, 0)]
    finally:
        server.stop()


def test_fifty_concurrent_associations(dicom):
    def send(index):
        data = derived_file("1.2.826.0.1.3680043.8.498.7300", f"1.2.826.0.1.3680043.8.498.73{index:02d}1",
                            f"1.2.826.0.1.3680043.8.498.73{index:02d}2", "CT", patient="CONCURRENT")
        dataset = pydicom.dcmread(io.BytesIO(data))
        ae = AE(ae_title=f"MOD{index}")
        ae.add_requested_context(CTImageStorage, [ExplicitVRLittleEndian])
        assoc = ae.associate("127.0.0.1", dicom.dicom_port, ae_title="ATRIUM")
        assert assoc.is_established
        status = assoc.send_c_store(dataset).Status
        assoc.release()
        return status

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(send, range(50)))
    assert statuses == [0x0000] * 50
    found = requests.post(dicom.url + "/tools/find",
                          json={"Level": "Instance", "Query": {"PatientID": "CONCURRENT"}}).json()
    assert len(found) == 50


def raw_exchange(port, payload, read=True):
    """Sends raw bytes and returns what comes back before the server closes (or 5 s pass)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        answer = b""
        if read:
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except socket.timeout:
                pass
        return answer


def test_bad_pdus_are_aborted_and_the_server_stays_up(dicom):
    # Not a PDU at all.
    answer = raw_exchange(dicom.dicom_port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer[:1] == b"\x07", answer
    # A P-DATA-TF before any association.
    answer = raw_exchange(dicom.dicom_port, struct.pack(">BBI", 4, 0, 6) + struct.pack(">IBB", 2, 1, 3))
    assert answer[:1] == b"\x07", answer
    # An association request announcing 4 GiB.
    answer = raw_exchange(dicom.dicom_port, struct.pack(">BBI", 1, 0, 0xFFFFFFFF))
    assert answer[:1] == b"\x07", answer
    # An item longer than its PDU.
    pdu = bytearray(associate_rq())
    pdu[74 + 2:74 + 4] = b"\xff\xff"
    answer = raw_exchange(dicom.dicom_port, bytes(pdu))
    assert answer[:1] == b"\x07", answer
    # A valid association, then a PDV on a context that was never accepted.
    item = presentation_context(1, b"1.2.840.10008.1.1", b"1.2.840.10008.1.2")
    with socket.create_connection(("127.0.0.1", dicom.dicom_port), timeout=5) as sock:
        sock.sendall(associate_rq(contexts=item))
        assert sock.recv(6)[:1] == b"\x02"
        sock.settimeout(5)
        sock.sendall(p_data_tf(9, b"x", is_command=True, is_last=True))
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        assert b"\x07\x00\x00\x00\x00\x04" in answer
    # The server still answers.
    assoc = association(dicom, [Verification])
    assert assoc.send_c_echo().Status == 0x0000
    assoc.release()


def test_an_unsupported_abstract_syntax_is_refused_per_context(dicom):
    ae = AE(ae_title="PYNETDICOM")
    ae.add_requested_context("1.2.3.4.5.6")
    ae.add_requested_context(Verification)
    assoc = ae.associate("127.0.0.1", dicom.dicom_port, ae_title="ATRIUM")
    assert assoc.is_established
    results = {context.abstract_syntax: context.result for context in assoc.rejected_contexts}
    assert results == {"1.2.3.4.5.6": 0x03}
    assoc.release()


def test_an_abort_in_the_middle_of_a_c_store_stores_nothing(dicom):
    before = len(stored_instances(dicom))
    ct = b"1.2.840.10008.5.1.4.1.1.2"
    item = presentation_context(1, ct, b"1.2.840.10008.1.2.1")
    data = derived_file("1.2.826.0.1.3680043.8.498.7600", "1.2.826.0.1.3680043.8.498.7601",
                        "1.2.826.0.1.3680043.8.498.7602", "CT", patient="ABORTED")
    dataset = pydicom.dcmread(io.BytesIO(data))
    # The data set as stored in the file (Explicit VR Little Endian), after the preamble and the meta group.
    meta_length = struct.unpack("<I", data[140:144])[0]
    encoded = data[144 + meta_length:]
    command = c_store_rq(ct, b"1.2.826.0.1.3680043.8.498.7602")
    with socket.create_connection(("127.0.0.1", dicom.dicom_port), timeout=5) as sock:
        sock.sendall(associate_rq(contexts=item))
        assert sock.recv(6)[:1] == b"\x02"
        sock.recv(65536)
        sock.sendall(p_data_tf(1, command, is_command=True, is_last=True))
        # Half of the data set, not marked last, then an A-ABORT. The server may close its end as soon as it reads
        # the abort, before this side is done: a reset then is the abort taking effect, not a failure.
        try:
            sock.sendall(p_data_tf(1, encoded[:len(encoded) // 2], is_command=False, is_last=False))
            sock.sendall(A_ABORT)
        except (ConnectionResetError, BrokenPipeError):
            pass
    time.sleep(0.5)
    assert len(stored_instances(dicom)) == before
    found = requests.post(dicom.url + "/tools/find", json={"Level": "Instance", "Query": {"PatientID": "ABORTED"}})
    assert found.json() == []
    # A complete store of the same instance on a new association works.
    assoc = association(dicom, [(CTImageStorage, [ExplicitVRLittleEndian])])
    assert assoc.send_c_store(dataset).Status == 0x0000
    assoc.release()


def cancelled_retrieve(send, cancel_context, count):
    """Runs a C-MOVE or C-GET (`send` yields its responses), sends a C-CANCEL once two sub-operations completed,
    and answers the final response."""
    responses = []
    cancelled = False
    for status, _ in send():
        assert "Status" in status, "no response before the DIMSE timeout"
        responses.append(status)
        if status.Status == 0xFF00 and not cancelled and status.NumberOfCompletedSuboperations >= 2:
            cancel_context()
            cancelled = True
    final = responses[-1]
    assert cancelled and final.Status == 0xFE00
    completed = final.NumberOfCompletedSuboperations
    # PS3.4 C.4.2.3.1 and C.4.3.3.1: completed, failed and warning counts, and as remaining the sub-operations
    # that were not started.
    assert 2 <= completed < count
    assert final.NumberOfFailedSuboperations == 0 and final.NumberOfWarningSuboperations == 0
    assert final.NumberOfRemainingSuboperations == count - completed
    return completed


def test_c_cancel_stops_a_c_move_and_a_c_get_with_status_cancel():
    study = "1.2.826.0.1.3680043.8.498.7601"
    count = 40
    received = []

    def slow_store(event):
        time.sleep(0.05)
        received.append((event.dataset.SOPInstanceUID, event.request.MoveOriginatorApplicationEntityTitle))
        return 0x0000

    destination = AE(ae_title="SLOWSCP")
    destination.supported_contexts = StoragePresentationContexts
    port = free_port()
    scp = destination.start_server(("127.0.0.1", port), block=False,
                                   evt_handlers=[(evt.EVT_C_STORE, slow_store)])
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomAlwaysAllowMove": True, "DicomAlwaysAllowGet": True,
                           "DicomModalities": {"slow": ["SLOWSCP", "127.0.0.1", port]}})
    try:
        for index in range(count):
            data = derived_file(study, study + ".1", f"{study}.1.{index}", "CT", patient="CANCEL1")
            assert requests.post(server.url + "/instances", data=data).ok
        query = pydicom.Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.StudyInstanceUID = study

        def context_of(assoc, sop_class):
            return next(item.context_id for item in assoc.accepted_contexts if item.abstract_syntax == sop_class)

        move = StudyRootQueryRetrieveInformationModelMove
        assoc = association(server, [move], ae_title="CANCELLER")
        completed = cancelled_retrieve(
            lambda: assoc.send_c_move(query, "SLOWSCP", move, msg_id=9),
            lambda: assoc.send_c_cancel(9, context_of(assoc, move)), count)
        assert len(received) == completed
        assert {originator for _, originator in received} == {"CANCELLER"}
        # The association goes on: the next C-MOVE runs to its end.
        one = pydicom.Dataset()
        one.QueryRetrieveLevel = "IMAGE"
        one.StudyInstanceUID = study
        one.SeriesInstanceUID = study + ".1"
        one.SOPInstanceUID = f"{study}.1.{count - 1}"
        statuses = [status.Status for status, _ in assoc.send_c_move(one, "SLOWSCP", move, msg_id=10)]
        assert statuses[-1] == 0x0000
        assoc.release()

        received.clear()
        get = StudyRootQueryRetrieveInformationModelGet
        ae = AE(ae_title="GETTER")
        ae.add_requested_context(get)
        ae.add_requested_context(CTImageStorage)
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM",
                             ext_neg=[build_role(CTImageStorage, scp_role=True)],
                             evt_handlers=[(evt.EVT_C_STORE, slow_store)])
        assert assoc.is_established
        completed = cancelled_retrieve(lambda: assoc.send_c_get(query, get, msg_id=5),
                                       lambda: assoc.send_c_cancel(5, context_of(assoc, get)), count)
        assert len(received) == completed
        statuses = [status.Status for status, _ in assoc.send_c_get(one, get, msg_id=6)]
        assert statuses[-1] == 0x0000 and len(received) == completed + 1
        assoc.release()
    finally:
        server.stop()
        scp.shutdown()


def test_a_malformed_data_set_closes_its_connection_only():
    """A C-STORE data set whose first length runs past its end closes the connection with nothing sent, as Orthanc
    does; the association slot is freed (more of them than MaximumConcurrentAssociations in a row), nothing is
    stored or left behind, and an association open meanwhile goes on."""
    server = AtriumServer({"DicomAet": "ATRIUM", "MaximumConcurrentAssociations": 2})
    try:
        ct = b"1.2.840.10008.5.1.4.1.1.2"
        item = presentation_context(1, ct, b"1.2.840.10008.1.2.1")
        command = c_store_rq(ct, b"1.2.826.0.1.3680043.8.498.7701")
        garbage = b"\x08\x00\x05\x00CS\xff\xff" + bytes(64)
        other = association(server, [Verification])
        for _ in range(4):
            with socket.create_connection(("127.0.0.1", server.dicom_port), timeout=10) as sock:
                sock.sendall(associate_rq(contexts=item))
                assert sock.recv(6)[:1] == b"\x02"
                sock.recv(65536)
                sock.sendall(p_data_tf(1, command, is_command=True, is_last=True))
                sock.sendall(p_data_tf(1, garbage, is_command=False, is_last=True))
                answer = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
                assert answer == b""
            assert other.send_c_echo().Status == 0x0000
        other.release()
        assert requests.get(server.url + "/instances").json() == []
        assert server.stored_files() == []
        again = association(server, [Verification])
        assert again.send_c_echo().Status == 0x0000
        again.release()
    finally:
        server.stop()
