"""Fixtures for the imaging server's end-to-end tests.

Each test module gets its own Atrium process (the binary in $ATRIUM_BIN, built by scripts/test), started on a
free loopback port with a fresh data folder and an Orthanc-style configuration file.

With ATRIUM_IMAGING_INDEX=postgresql, each server keeps its index in a database of its own on the PostgreSQL
server of $ATRIUM_TEST_POSTGRES (a `postgresql://` URL, set by scripts/test), given in the configuration's
`PostgreSQL` section as Orthanc's PostgreSQL plugin reads it; the database is dropped when the server stops.
"""

import json
import os
import pathlib
import random
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import pytest
import requests


def free_port():
    """A free loopback port: from $ATRIUM_TEST_PORTS (`LOW-HIGH`) when set, else any the system gives."""
    ports = os.environ.get("ATRIUM_TEST_PORTS")
    if ports:
        low, high = (int(bound) for bound in ports.split("-"))
        candidates = list(range(low, high + 1))
        random.shuffle(candidates)
        for port in candidates:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError("no free port in ATRIUM_TEST_PORTS=" + ports)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_index_requested():
    """Whether the servers are to keep their index on the test PostgreSQL server."""
    return os.environ.get("ATRIUM_IMAGING_INDEX") == "postgresql"


def postgres_url(database):
    """The URL of `database` on the test PostgreSQL server."""
    base = os.environ.get("ATRIUM_TEST_POSTGRES")
    if not base:
        pytest.fail("ATRIUM_IMAGING_INDEX=postgresql needs ATRIUM_TEST_POSTGRES (scripts/test sets both)")
    return urllib.parse.urlunparse(urllib.parse.urlparse(base)._replace(path="/" + database))


def postgres_admin(statement):
    """Runs one statement on the test server's maintenance database."""
    subprocess.run(["psql", postgres_url("postgres"), "-qAtc", statement], check=True, capture_output=True)


def create_postgres_database():
    """A new, empty database on the test server; returns its name."""
    name = "atrium_" + uuid.uuid4().hex
    postgres_admin(f"CREATE DATABASE {name}")
    return name


def drop_postgres_database(name):
    postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class AtriumServer:
    """A running Atrium imaging server and the folders it owns."""

    def __init__(self, extra_config=None):
        root = pathlib.Path(__file__).resolve().parents[3]
        binary = os.environ.get("ATRIUM_BIN") or str(root / ".build" / "debug" / "atrium")
        if not os.access(binary, os.X_OK):
            pytest.fail("atrium is not built: run `swift build` or scripts/test (looked for %s)" % binary)
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="atrium-imaging-"))
        self.port = free_port()
        self.dicom_port = free_port()
        self.storage = self.folder / "storage"
        config = {
            "HttpPort": self.port,
            "DicomPort": self.dicom_port,
            "StorageDirectory": str(self.storage),
            "StableAge": 1,
            "ContextBroker": {"Enabled": False},
        }
        config.update(extra_config or {})
        self.postgres_database = None
        if postgres_index_requested() and "PostgreSQL" not in config:
            self.postgres_database = create_postgres_database()
            config["PostgreSQL"] = {
                "EnableIndex": True, "ConnectionUri": postgres_url(self.postgres_database), "IndexConnectionsCount": 8,
            }
        self.config_path = self.folder / "config.json"
        self.config_path.write_text(json.dumps(config))
        self.log = open(self.folder / "atrium.log", "w")
        self.process = subprocess.Popen(
            [binary, "--config", str(self.config_path)], stdout=self.log, stderr=subprocess.STDOUT,
            cwd=self.folder)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("atrium exited: " + (self.folder / "atrium.log").read_text())
            try:
                if requests.get(self.url + "/system", timeout=1).status_code in (200, 401):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("atrium did not answer within 30 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.postgres_database:
            drop_postgres_database(self.postgres_database)
            self.postgres_database = None

    def stored_files(self):
        """The files of the storage area (not the index)."""
        if not self.storage.exists():
            return []
        return sorted(
            str(path.relative_to(self.storage)) for path in self.storage.rglob("*")
            if path.is_file() and not path.name.startswith("atrium-index"))


@pytest.fixture(scope="module")
def atrium():
    server = AtriumServer()
    yield server
    server.stop()


def pydicom_test_files():
    import pydicom.data
    return pathlib.Path(pydicom.data.__file__).parent / "test_files"


def pydicom_data_store():
    """pydicom-data's data_store/data folder, if that package is installed."""
    import importlib.util
    spec = importlib.util.find_spec("data_store")
    if spec is None or spec.origin is None:
        return None
    folder = pathlib.Path(spec.origin).parent / "data"
    return folder if folder.is_dir() else None


@pytest.fixture(scope="session")
def sample_files():
    """A few valid DICOM files of different kinds from pydicom's test files."""
    folder = pydicom_test_files()
    names = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "JPEG2000.dcm", "MR_small_implicit.dcm",
             "MR_small_bigendian.dcm", "SC_rgb_rle.dcm", "image_dfl.dcm"]
    return [folder / name for name in names if (folder / name).exists()]


def derived_file(study, series, sop, modality, patient="DerivedP1", **changes):
    """The bytes of pydicom's CT_small.dcm with new identifiers, a modality and other changed attributes
    (`None` removes an attribute)."""
    import io

    import pydicom
    dataset = pydicom.dcmread(pydicom_test_files() / "CT_small.dcm")
    dataset.PatientID = patient
    dataset.StudyInstanceUID = study
    dataset.SeriesInstanceUID = series
    dataset.SOPInstanceUID = sop
    dataset.file_meta.MediaStorageSOPInstanceUID = sop
    dataset.Modality = modality
    for keyword, value in changes.items():
        if value is None:
            if keyword in dataset:
                delattr(dataset, keyword)
        else:
            setattr(dataset, keyword, value)
    output = io.BytesIO()
    dataset.save_as(output, enforce_file_format=True)
    return output.getvalue()


# Series whose tags announce a size, with the ExpectedNumberOfInstances and Status that Orthanc 1.10.1 reports
# for them (checked side by side in test_compare_orthanc.py).
SERIES_CASES = [
    # (series suffix, [(sop suffix, changes)], expected, status)
    ("1", [("1", {"ImagesInAcquisition": 3, "InstanceNumber": 1})], None, "Unknown"),
    ("2", [("1", {"ImagesInAcquisition": 2, "NumberOfTemporalPositions": 2, "InstanceNumber": 1}),
           ("2", {"ImagesInAcquisition": 2, "NumberOfTemporalPositions": 2, "InstanceNumber": 1})], 4, "Inconsistent"),
    ("3", [("1", {"NumberOfSlices": 2, "NumberOfTimeSlices": 3, "CardiacNumberOfImages": 5, "InstanceNumber": 1})],
     6, "Missing"),
    ("4", [("1", {"CardiacNumberOfImages": 2, "InstanceNumber": None}),
           ("2", {"CardiacNumberOfImages": 2, "InstanceNumber": 2})], 2, "Missing"),
    ("5", [("1", {"CardiacNumberOfImages": 2, "InstanceNumber": 1}),
           ("2", {"CardiacNumberOfImages": 9, "InstanceNumber": " 02"})], 2, "Complete"),
    ("6", [("1", {"CardiacNumberOfImages": 2, "InstanceNumber": ""})], 2, "Unknown"),
    ("7", [("1", {"CardiacNumberOfImages": 2, "ImagesInAcquisition": 5, "InstanceNumber": 3})], 2, "Inconsistent"),
    ("8", [("1", {"ImagesInAcquisition": 0, "NumberOfTemporalPositions": 2, "CardiacNumberOfImages": 3,
                  "InstanceNumber": 1})], None, "Unknown"),
    ("9", [("1", {"CardiacNumberOfImages": 1, "InstanceNumber": None, "ImageIndex": 1})], 1, "Complete"),
]


def series_case_files():
    """(series UID, file bytes) of SERIES_CASES, each series in a study of its own."""
    files = []
    for suffix, instances, _, _ in SERIES_CASES:
        series = f"1.2.826.0.1.3680043.10.1.{suffix}.1"
        for sop_suffix, changes in instances:
            files.append((series, derived_file(f"1.2.826.0.1.3680043.10.1.{suffix}", series,
                                               f"{series}.{sop_suffix}", "MR", **changes)))
    return files


def finished_job(url, job_id):
    """Waits for a job of the server at `url` to leave the Pending and Running states, for at most 30 s."""
    deadline = time.time() + 30
    while time.time() < deadline:
        job = requests.get(f"{url}/jobs/{job_id}").json()
        if job["State"] in ("Success", "Failure"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish: " + job_id)


# Side by side with a real Orthanc (Debian's package): the reference server and how answers are compared.

ORTHANC = shutil.which("Orthanc") or ("/usr/sbin/Orthanc" if os.path.exists("/usr/sbin/Orthanc") else None)
VOLATILE = {"LastUpdate", "FileUuid", "Date", "ReceptionDate"}
ADDED_BY_NEWER_ORTHANC = {"Labels"}


def unavailable(reason):
    """Skips a comparison when the reference cannot run here, but fails it in CI, where it must run."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


class OrthancServer:
    """A running reference Orthanc (Debian's package) with its own folder, HTTP and DICOM ports (free ones unless
    `dicom_port` is given) and extra configuration; skipped where Orthanc is not installed."""

    def __init__(self, extra_config=None, dicom_port=None):
        if ORTHANC is None:
            unavailable("no Orthanc executable (scripts/test installs Debian's orthanc)")
        self.folder = tempfile.mkdtemp(prefix="orthanc-peer-")
        self.port = free_port()
        self.dicom_port = dicom_port or free_port()
        config = {
            "Name": "peer", "HttpPort": self.port, "DicomPort": self.dicom_port,
            "StorageDirectory": self.folder + "/storage", "IndexDirectory": self.folder + "/storage",
            "RemoteAccessAllowed": False, "AuthenticationEnabled": False, "Plugins": [], "StableAge": 1,
        }
        config.update(extra_config or {})
        with open(self.folder + "/config.json", "w") as handle:
            json.dump(config, handle)
        self.log = open(self.folder + "/orthanc.log", "w")
        self.process = subprocess.Popen([ORTHANC, self.folder + "/config.json"], stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while time.time() < deadline and self.process.poll() is None:
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
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def orthanc():
    server = OrthancServer()
    yield server.url
    server.stop()


def comparable(value):
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()
                if key not in VOLATILE and key not in ADDED_BY_NEWER_ORTHANC}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def assert_same(reference, ours, where):
    reference, ours = comparable(reference), comparable(ours)
    if isinstance(reference, dict):
        assert set(reference) <= set(ours), (where, set(reference) - set(ours))
        for key in reference:
            assert type(reference[key]) is type(ours[key]), (where, key)
            if key == "MainDicomTags" or key == "PatientMainDicomTags":
                for tag, value in reference[key].items():
                    assert ours[key].get(tag) == value, (where, key, tag)
            else:
                assert_same(reference[key], ours[key], f"{where}.{key}")
    elif isinstance(reference, list):
        assert sorted(map(json.dumps, reference)) == sorted(map(json.dumps, ours)), where
    else:
        assert reference == ours, where
