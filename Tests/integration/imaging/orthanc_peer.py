"""A real Orthanc (Debian's package) with a given configuration, on free loopback ports, for interoperability
tests; skipped where Orthanc is not installed (failed in CI, where it must run)."""

import json
import shutil
import subprocess
import tempfile
import time

import requests

from conftest import ORTHANC, free_port, unavailable


class OrthancPeer:
    def __init__(self, extra_config, dicom_port=None):
        if ORTHANC is None:
            unavailable("no Orthanc executable (scripts/test installs Debian's orthanc)")
        self.folder = tempfile.mkdtemp(prefix="orthanc-peer-")
        self.port = free_port()
        self.dicom_port = dicom_port or free_port()
        config = {
            "Name": "peer", "HttpPort": self.port, "DicomPort": self.dicom_port, "DicomAet": "ORTHANC",
            "StorageDirectory": self.folder + "/storage", "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False, "Plugins": [],
        }
        config.update(extra_config)
        with open(self.folder + "/config.json", "w") as handle:
            json.dump(config, handle)
        self.log = open(self.folder + "/orthanc.log", "w")
        self.process = subprocess.Popen([ORTHANC, self.folder + "/config.json"], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.url + "/system", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        unavailable("Orthanc did not start")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
