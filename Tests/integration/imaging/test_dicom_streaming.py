"""C-STOREs too large to hold in memory: a data set beyond the streaming threshold goes to a spool file of the
storage area as it arrives, so a 300 MB instance stored with dcmtk's storescu leaves Atrium's resident memory far
below its size, reads back byte for byte, and an association aborted in the middle stores nothing."""

import hashlib
import io
import pathlib
import socket as socket_module
import struct
import subprocess
import threading
import time

import numpy
import pydicom
import pytest
import requests
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from pynetdicom import AE

from conftest import AtriumServer, free_port, pydicom_test_files
from dicom_pdus import associate_rq, c_store_rq, p_data_tf, presentation_context

DCMTK = "/usr/bin"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
MULTIFRAME_GRAYSCALE_WORD = "1.2.840.10008.5.1.4.1.1.7.3"


def large_dataset(frames, patient, rows=512, columns=512):
    """A multi-frame 16-bit image of `frames` frames (512 KiB each by default), with random pixels."""
    dataset = Dataset()
    dataset.PatientID = patient
    dataset.PatientName = "Streaming^Test"
    dataset.StudyInstanceUID = generate_uid()
    dataset.SeriesInstanceUID = generate_uid()
    dataset.SOPInstanceUID = generate_uid()
    dataset.SOPClassUID = MULTIFRAME_GRAYSCALE_WORD
    dataset.Modality = "OT"
    dataset.Rows = rows
    dataset.Columns = columns
    dataset.NumberOfFrames = frames
    dataset.SamplesPerPixel = 1
    dataset.PhotometricInterpretation = "MONOCHROME2"
    dataset.BitsAllocated = 16
    dataset.BitsStored = 12
    dataset.HighBit = 11
    dataset.PixelRepresentation = 0
    generator = numpy.random.default_rng(7)
    dataset.PixelData = generator.integers(0, 4096, size=(frames, rows, columns), dtype=numpy.uint16).tobytes()
    dataset["PixelData"].VR = "OW"
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = dataset.SOPClassUID
    meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset.file_meta = meta
    return dataset


def data_set_bytes(part10):
    """The data set of a Part 10 file: what follows the preamble, the prefix and the meta group."""
    meta_length = struct.unpack("<I", part10[140:144])[0]
    return part10[144 + meta_length:]


def peak_resident_kb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def wait_for(condition, timeout, message):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(message)


@pytest.fixture(scope="module")
def server():
    atrium = AtriumServer({"DicomAet": "ATRIUM"})
    yield atrium
    atrium.stop()


def test_a_300_mb_instance_is_streamed_to_the_storage_area(server, tmp_path):
    dataset = large_dataset(600, "STREAMED300")
    path = tmp_path / "large.dcm"
    dataset.save_as(path, enforce_file_format=True)
    del dataset
    original = path.read_bytes()
    expected = data_set_bytes(original)
    expected_md5 = hashlib.md5(expected).hexdigest()
    size = len(original)
    del original
    assert size > 300_000_000
    idle = peak_resident_kb(server.process.pid)

    started = time.time()
    result = subprocess.run([f"{DCMTK}/storescu", "-aet", "MODALITY1", "-aec", "ATRIUM", "127.0.0.1",
                             str(server.dicom_port), str(path)], capture_output=True, text=True, timeout=300)
    elapsed = time.time() - started
    assert result.returncode == 0, result.stderr
    peak = peak_resident_kb(server.process.pid)
    print(f"\n300 MB C-STORE: {elapsed:.1f} s, peak resident {idle // 1024} MB idle -> {peak // 1024} MB")
    assert (peak - idle) * 1024 < 150_000_000, (idle, peak)

    instances = requests.get(server.url + "/instances?expand").json()
    assert len(instances) == 1
    instance = instances[0]
    assert instance["MainDicomTags"]["SOPInstanceUID"] == pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID
    identifier = instance["ID"]
    assert instance["FileSize"] >= len(expected)

    # The file reads back with the data set storescu sent, byte for byte, streamed in pieces.
    hasher = hashlib.md5()
    head = b""
    with requests.get(server.url + f"/instances/{identifier}/file", stream=True, timeout=120) as response:
        assert response.status_code == 200
        for chunk in response.iter_content(1 << 20):
            if len(head) < 4096:
                head += chunk[:4096]
            hasher.update(chunk)
    header_length = 144 + struct.unpack("<I", head[140:144])[0]
    assert instance["FileSize"] == header_length + len(expected)
    # The MD5 of the whole file covers Atrium's header: compare the data set part through the attachment's MD5.
    attachment = requests.get(server.url + f"/instances/{identifier}/attachments/dicom/info").json()
    assert attachment["UncompressedMD5"] == hasher.hexdigest()
    assert attachment["UncompressedSize"] == instance["FileSize"]
    with requests.get(server.url + f"/instances/{identifier}/file", stream=True, timeout=120) as response:
        data_hasher = hashlib.md5()
        skipped = 0
        for chunk in response.iter_content(1 << 20):
            if skipped < header_length:
                cut = min(len(chunk), header_length - skipped)
                skipped += cut
                chunk = chunk[cut:]
            data_hasher.update(chunk)
    assert data_hasher.hexdigest() == expected_md5
    print(f"peak resident after reading back: {peak_resident_kb(server.process.pid) // 1024} MB")

    tags = requests.get(server.url + f"/instances/{identifier}/simplified-tags").json()
    assert tags["PatientID"] == "STREAMED300"
    assert tags["NumberOfFrames"] == "600"
    metadata = requests.get(server.url + f"/instances/{identifier}/metadata?expand").json()
    assert metadata["TransferSyntax"] == ExplicitVRLittleEndian
    assert metadata["SopClassUid"] == MULTIFRAME_GRAYSCALE_WORD
    assert metadata["RemoteAET"] == "MODALITY1"
    assert metadata["PixelDataVR"] == "OW"
    # Pixel Data's element (its tag) starts where the metadata says, and its value runs to the end of the file.
    offset = int(metadata["PixelDataOffset"]) - header_length
    assert offset == expected.find(b"\xe0\x7f\x10\x00OW")
    assert struct.unpack("<I", expected[offset + 8:offset + 12])[0] == 600 * 512 * 512 * 2
    assert offset + 12 + 600 * 512 * 512 * 2 == len(expected)
    frame = requests.get(server.url + f"/instances/{identifier}/frames/599/raw")
    assert frame.status_code == 200
    assert frame.content == expected[-512 * 512 * 2:]
    # Nothing of the transfer is left in the storage area but the file.
    assert len(server.stored_files()) == 1
    assert not any(name.startswith(".spool-") for name in server.stored_files())


def test_an_aborted_large_c_store_stores_nothing_and_the_next_one_works():
    # Atrium's own key lowers the streaming threshold to 1 MiB, so a 40 MB data set streams.
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomStreamedStoreThresholdKB": 1024})
    try:
        dataset = large_dataset(80, "ABORTEDSTREAM")
        ae = AE(ae_title="PYNETDICOM")
        ae.add_requested_context(MULTIFRAME_GRAYSCALE_WORD, [ExplicitVRLittleEndian])
        ae.acse_timeout = ae.network_timeout = 30
        ae.dimse_timeout = 5
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM")
        assert assoc.is_established
        # pynetdicom queues an A-ABORT behind the P-DATA-TF PDUs already queued, which would arrive first; so its
        # socket is held at a PDU boundary in the middle of the data set, and the A-ABORT is sent from there.
        socket = assoc.dul.socket
        send = socket.send
        hold, held = threading.Event(), threading.Event()

        def held_send(data):
            if hold.is_set():
                held.set()
                return
            send(data)

        socket.send = held_send
        sender = threading.Thread(target=lambda: assoc.send_c_store(dataset), daemon=True)
        sender.start()

        def spooling():
            return [path for path in server.storage.glob(".spool-*") if path.stat().st_size > 4_000_000]

        wait_for(spooling, 60, "no spool file grew in the storage area")
        hold.set()
        assert held.wait(10)
        socket.socket.sendall(struct.pack(">BBIBBBB", 7, 0, 4, 0, 0, 0, 0))
        wait_for(lambda: not list(server.storage.glob(".spool-*")), 10, "the spool file was not removed")
        sender.join(timeout=30)
        assoc.kill()
        assert requests.get(server.url + "/instances").json() == []
        assert server.stored_files() == []

        # The next store of the same instance, on a new association, works and streams too.
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM")
        assert assoc.is_established
        assert assoc.send_c_store(dataset).Status == 0x0000
        assoc.release()
        instances = requests.get(server.url + "/instances?expand").json()
        assert [instance["MainDicomTags"]["SOPInstanceUID"] for instance in instances] == [dataset.SOPInstanceUID]
        assert len(server.stored_files()) == 1
    finally:
        server.stop()


def test_a_truncated_streamed_data_set_is_refused_as_cannot_understand():
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomStreamedStoreThresholdKB": 1024})
    try:
        dataset = large_dataset(8, "TRUNCATEDSTREAM")
        output = io.BytesIO()
        dataset.save_as(output, enforce_file_format=True)
        # The data set without its last 1000 bytes, inside Pixel Data, sent as if complete.
        encoded = data_set_bytes(output.getvalue())[:-1000]
        item = presentation_context(1, MULTIFRAME_GRAYSCALE_WORD.encode(), ExplicitVRLittleEndian.encode())
        command = c_store_rq(MULTIFRAME_GRAYSCALE_WORD.encode(), dataset.SOPInstanceUID.encode())
        with socket_module.create_connection(("127.0.0.1", server.dicom_port), timeout=30) as sock:
            sock.sendall(associate_rq(contexts=item))
            assert sock.recv(6)[:1] == b"\x02"
            sock.recv(65536)
            sock.sendall(p_data_tf(1, command, is_command=True, is_last=True))
            piece = 16000
            for start in range(0, len(encoded), piece):
                sock.sendall(p_data_tf(1, encoded[start:start + piece], is_command=False,
                                       is_last=start + piece >= len(encoded)))
            answer = b""
            status = struct.pack("<HHIH", 0, 0x0900, 2, 0xC000)
            deadline = time.time() + 30
            while status not in answer and time.time() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
            assert status in answer, answer
        assert requests.get(server.url + "/instances").json() == []
        assert server.stored_files() == []
    finally:
        server.stop()


def test_with_storage_compression_a_streamed_file_is_stored_uncompressed():
    server = AtriumServer({"DicomAet": "ATRIUM", "DicomStreamedStoreThresholdKB": 1024, "StorageCompression": True})
    try:
        ae = AE(ae_title="PYNETDICOM")
        ae.add_requested_context(MULTIFRAME_GRAYSCALE_WORD, [ExplicitVRLittleEndian])
        streamed, small = large_dataset(8, "COMPRESSION"), large_dataset(1, "COMPRESSION", rows=64, columns=64)
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title="ATRIUM")
        assert assoc.is_established
        assert assoc.send_c_store(streamed).Status == 0x0000
        assert assoc.send_c_store(small).Status == 0x0000
        assoc.release()
        compressed = {}
        for instance in requests.get(server.url + "/instances?expand").json():
            base = server.url + f"/instances/{instance['ID']}"
            uid = instance["MainDicomTags"]["SOPInstanceUID"]
            compressed[uid] = requests.get(base + "/attachments/dicom/is-compressed").text
            file = requests.get(base + "/file").content
            assert hashlib.md5(file).hexdigest() == requests.get(base + "/attachments/dicom/md5").text
            assert pydicom.dcmread(io.BytesIO(file)).PixelData == (streamed if uid == streamed.SOPInstanceUID
                                                                    else small).PixelData
        # The streamed file is kept as written; the small one goes through the in-memory path, compressed.
        assert compressed == {streamed.SOPInstanceUID: "0", small.SOPInstanceUID: "1"}
    finally:
        server.stop()


def test_a_c_get_streams_large_instances_to_the_storage_area():
    # Atrium as C-GET SCU: the instances the remote sends on the C-GET's association go to spool files when they
    # are larger than DicomStreamedStoreThresholdKB, as the C-STORE SCP's do; they read back byte for byte, and a
    # 64 MB instance leaves the resident memory far below its size.
    local_dicom = free_port()
    remote = AtriumServer({"DicomAet": "REMOTE", "DicomModalities": {"local": ["LOCAL", "127.0.0.1", local_dicom]}})
    local = None
    try:
        large = large_dataset(128, "GetStream")
        buffer = io.BytesIO()
        large.save_as(buffer, enforce_file_format=True)
        large_bytes = buffer.getvalue()
        small = (pydicom_test_files() / "CT_small.dcm").read_bytes()
        for data in (large_bytes, small):
            assert requests.post(remote.url + "/instances", data=data).ok
        local = AtriumServer({"DicomAet": "LOCAL", "DicomPort": local_dicom, "DicomStreamedStoreThresholdKB": 16,
                              "DicomModalities": {"remote": ["REMOTE", "127.0.0.1", remote.dicom_port]}})
        idle = peak_resident_kb(local.process.pid)
        for dataset in (large, pydicom.dcmread(io.BytesIO(small))):
            answer = requests.post(local.url + "/modalities/remote/get", json={
                "Level": "Study", "Resources": [{"StudyInstanceUID": dataset.StudyInstanceUID}]})
            assert answer.status_code == 200, answer.text
        growth_mb = (peak_resident_kb(local.process.pid) - idle) / 1024
        assert growth_mb < 32, f"resident memory grew by {growth_mb:.0f} MB for a {len(large_bytes) >> 20} MB instance"
        received = {item["MainDicomTags"]["SOPInstanceUID"]: item["ID"]
                    for item in requests.get(local.url + "/instances?expand").json()}
        sent = {item["MainDicomTags"]["SOPInstanceUID"]: item["ID"]
                for item in requests.get(remote.url + "/instances?expand").json()}
        assert set(received) == set(sent)
        for uid, identifier in received.items():
            ours = requests.get(f"{local.url}/instances/{identifier}/file").content
            theirs = requests.get(f"{remote.url}/instances/{sent[uid]}/file").content
            # The data sets are identical; the meta groups differ only in who wrote them.
            assert hashlib.sha256(data_set_bytes(ours)).digest() == hashlib.sha256(data_set_bytes(theirs)).digest()
            metadata = requests.get(f"{local.url}/instances/{identifier}/metadata?expand").json()
            assert (metadata["Origin"], metadata["RemoteAET"]) == ("DicomProtocol", "REMOTE")
        assert not any(local.storage.glob(".spool-*")), "a spool file was left behind"
    finally:
        if local:
            local.stop()
        remote.stop()
