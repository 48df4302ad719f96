"""Killing the imaging server (SIGKILL) while uploads run, over REST or over C-STORE, loses nothing it acknowledged
and leaves the index and the storage area consistent, three times over on the same data folder."""

import hashlib
import io
import json
import os
import pathlib
import random
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

import pydicom
import requests
from pynetdicom import AE
from pynetdicom.sop_class import CTImageStorage

from conftest import derived_file, free_port

UPLOADERS = 4


def start(folder, port, dicom_port=None):
    binary = os.environ.get("ATRIUM_BIN") or str(pathlib.Path(__file__).resolve().parents[3] / ".build/debug/atrium")
    config = folder / "config.json"
    config.write_text(json.dumps({"HttpPort": port, "DicomPort": dicom_port or free_port(),
                                  "StorageDirectory": str(folder / "storage"), "ContextBroker": {"Enabled": False}}))
    log = open(folder / "atrium.log", "a")
    process = subprocess.Popen([binary, "--config", str(config)], stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/system", timeout=1).ok:
                return process, log
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("atrium did not start: " + (folder / "atrium.log").read_text())


def upload_until_stopped(url, files, acknowledged, stop):
    """Uploads the files in turn; records (ID, MD5 of the bytes) of every upload answered 200."""
    for data in files:
        if stop.is_set():
            return
        try:
            answer = requests.post(url + "/instances", data=data, timeout=30)
        except requests.RequestException:
            return  # the server was killed while this upload was in flight: not acknowledged
        if answer.status_code == 200:
            acknowledged.append((answer.json()["ID"], hashlib.md5(data).hexdigest()))


def kill_during(folder, port, dicom_port, worker, batches, acknowledged, generator):
    """Starts Atrium, runs `worker(batch, acknowledged, stop)` on one thread per batch, kills Atrium with SIGKILL at
    a random moment, then checks that the index is a sound SQLite database although its writer was killed."""
    process, log = start(folder, port, dicom_port)
    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(batch, acknowledged, stop)) for batch in batches]
    for thread in threads:
        thread.start()
    time.sleep(generator.uniform(0.6, 1.8))
    process.send_signal(signal.SIGKILL)
    process.wait()
    stop.set()
    for thread in threads:
        thread.join()
    log.close()
    index = sqlite3.connect(folder / "storage" / "atrium-index.sqlite")
    assert index.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    index.close()


def assert_consistent(url, folder, round_number):
    """Every indexed instance has its file with the MD5 the index recorded, the statistics count them, and files
    without an index entry can only be those of uploads in flight at the kills. Returns the instances listed."""
    listed = set(requests.get(url + "/instances").json())
    for instance in listed:
        verified = requests.post(f"{url}/instances/{instance}/attachments/dicom/verify-md5")
        assert verified.status_code == 200, verified.text
    assert requests.get(url + "/statistics").json()["CountInstances"] == len(listed)
    files = [path for path in (folder / "storage").rglob("*") if path.is_file() and len(path.name) == 36]
    assert len(listed) <= len(files) <= len(listed) + UPLOADERS * (round_number + 1)
    return listed


def stop_server(process, log):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    log.close()


def test_sigkill_during_uploads_loses_nothing_acknowledged():
    folder = pathlib.Path(tempfile.mkdtemp(prefix="atrium-crash-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    acknowledged = []
    generator = random.Random(20261130)
    for round_number in range(3):
        root = f"1.2.826.0.1.3680043.10.9.{round_number}"
        batches = [[derived_file(root, f"{root}.{t}", f"{root}.{t}.{i}", "CT") for i in range(150)]
                   for t in range(UPLOADERS)]
        kill_during(folder, port, None, lambda batch, done, stop: upload_until_stopped(url, batch, done, stop),
                    batches, acknowledged, generator)
        process, log = start(folder, port)
        try:
            assert acknowledged, "no upload was acknowledged before the kill"
            listed = assert_consistent(url, folder, round_number)
            for instance, md5 in acknowledged:
                assert instance in listed, f"acknowledged instance {instance} lost"
                assert hashlib.md5(requests.get(f"{url}/instances/{instance}/file").content).hexdigest() == md5
        finally:
            stop_server(process, log)


def store_until_stopped(dicom_port, files, acknowledged, stop):
    """Sends the files in turn over one association; records (SOP Instance UID, pixel data MD5) of every C-STORE
    answered with success."""
    ae = AE(ae_title="CRASHSCU")
    ae.add_requested_context(CTImageStorage, ["1.2.840.10008.1.2.1"])
    assoc = ae.associate("127.0.0.1", dicom_port, ae_title="ATRIUM")
    if not assoc.is_established:
        return
    try:
        for data in files:
            if stop.is_set() or not assoc.is_established:
                return
            dataset = pydicom.dcmread(io.BytesIO(data))
            status = assoc.send_c_store(dataset)
            # An association broken by the kill answers an empty data set: not acknowledged.
            if "Status" in status and status.Status == 0x0000:
                acknowledged.append((dataset.SOPInstanceUID, hashlib.md5(dataset.PixelData).hexdigest()))
    finally:
        if assoc.is_established:
            assoc.abort()


def test_sigkill_during_c_stores_loses_nothing_acknowledged():
    folder = pathlib.Path(tempfile.mkdtemp(prefix="atrium-crash-dicom-"))
    port = free_port()
    dicom_port = free_port()
    url = f"http://127.0.0.1:{port}"
    acknowledged = []
    generator = random.Random(20261207)
    for round_number in range(3):
        root = f"1.2.826.0.1.3680043.10.8.{round_number}"
        batches = [[derived_file(root, f"{root}.{t}", f"{root}.{t}.{i}", "CT") for i in range(250)]
                   for t in range(UPLOADERS)]
        before = len(acknowledged)
        kill_during(folder, port, dicom_port,
                    lambda batch, done, stop: store_until_stopped(dicom_port, batch, done, stop),
                    batches, acknowledged, generator)
        # The kill came while C-STOREs were going on.
        assert 0 < len(acknowledged) - before < UPLOADERS * 250
        process, log = start(folder, port, dicom_port)
        try:
            assert_consistent(url, folder, round_number)
            for sop, md5 in acknowledged:
                found = requests.post(url + "/tools/lookup", data=sop).json()
                assert [item["Type"] for item in found] == ["Instance"], f"acknowledged instance {sop} lost"
                stored = pydicom.dcmread(io.BytesIO(requests.get(f"{url}/instances/{found[0]['ID']}/file").content))
                assert stored.SOPInstanceUID == sop
                assert hashlib.md5(stored.PixelData).hexdigest() == md5
        finally:
            stop_server(process, log)
