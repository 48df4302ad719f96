"""Killing the imaging server (SIGKILL) while uploads run loses nothing it acknowledged and leaves the index and
the storage area consistent, three times over on the same data folder."""

import hashlib
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

import requests

from conftest import derived_file, free_port

UPLOADERS = 4


def start(folder, port):
    binary = os.environ.get("ATRIUM_BIN") or str(pathlib.Path(__file__).resolve().parents[3] / ".build/debug/atrium")
    config = folder / "config.json"
    config.write_text(json.dumps({"HttpPort": port, "DicomPort": free_port(), "StorageDirectory": str(folder / "storage"),
                                  "ContextBroker": {"Enabled": False}}))
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


def test_sigkill_during_uploads_loses_nothing_acknowledged():
    folder = pathlib.Path(tempfile.mkdtemp(prefix="atrium-crash-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    acknowledged = []
    generator = random.Random(20261130)
    for round_number in range(3):
        process, log = start(folder, port)
        stop = threading.Event()
        batches = [[derived_file(f"1.2.826.0.1.3680043.10.9.{round_number}", f"1.2.826.0.1.3680043.10.9.{round_number}.{t}",
                                 f"1.2.826.0.1.3680043.10.9.{round_number}.{t}.{i}", "CT")
                    for i in range(150)] for t in range(UPLOADERS)]
        threads = [threading.Thread(target=upload_until_stopped, args=(url, batch, acknowledged, stop))
                   for batch in batches]
        for thread in threads:
            thread.start()
        time.sleep(generator.uniform(0.6, 1.8))
        process.send_signal(signal.SIGKILL)
        process.wait()
        stop.set()
        for thread in threads:
            thread.join()
        log.close()

        # The index is a sound SQLite database even though its writer was killed mid-commit.
        index = sqlite3.connect(folder / "storage" / "atrium-index.sqlite")
        assert index.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        index.close()

        process, log = start(folder, port)
        try:
            assert acknowledged, "no upload was acknowledged before the kill"
            listed = set(requests.get(url + "/instances").json())
            for instance, md5 in acknowledged:
                assert instance in listed, f"acknowledged instance {instance} lost"
                assert hashlib.md5(requests.get(f"{url}/instances/{instance}/file").content).hexdigest() == md5
            # Every indexed instance has its file, and the file's bytes match the MD5 the index recorded.
            for instance in listed:
                verified = requests.post(f"{url}/instances/{instance}/attachments/dicom/verify-md5")
                assert verified.status_code == 200, verified.text
            statistics = requests.get(url + "/statistics").json()
            assert statistics["CountInstances"] == len(listed)
            # Files without an index entry can only be those of uploads in flight at the kill.
            files = [path for path in (folder / "storage").rglob("*")
                     if path.is_file() and len(path.name) == 36]
            assert len(listed) <= len(files) <= len(listed) + UPLOADERS * (round_number + 1)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            log.close()
