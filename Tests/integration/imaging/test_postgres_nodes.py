"""Several Atrium nodes on one PostgreSQL index, as Orthanc's multi-writer deployments run: concurrent ingest
through both nodes, a node killed in the middle of an ingest, the database stopped and started again.

The nodes share one database on the test server ($ATRIUM_TEST_POSTGRES, set by scripts/test) and one storage
folder, as nodes behind a load balancer would share a network file system."""

import concurrent.futures
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import AtriumServer, create_postgres_database, derived_file, drop_postgres_database, free_port, \
    postgres_url

ROOT = pathlib.Path(__file__).resolve().parents[3]

if not os.environ.get("ATRIUM_TEST_POSTGRES"):
    if os.environ.get("ATRIUM_REQUIRE_POSTGRES") == "1":
        raise RuntimeError("ATRIUM_REQUIRE_POSTGRES is set but ATRIUM_TEST_POSTGRES names no server")
    pytest.skip("no PostgreSQL test server (scripts/test starts one)", allow_module_level=True)


def node_config(url, storage):
    return {"PostgreSQL": {"EnableIndex": True, "ConnectionUri": url, "IndexConnectionsCount": 8},
            "StorageDirectory": str(storage)}


@pytest.fixture
def two_nodes():
    database = create_postgres_database()
    storage = pathlib.Path(tempfile.mkdtemp(prefix="atrium-shared-storage-"))
    nodes = [AtriumServer(node_config(postgres_url(database), storage)) for _ in range(2)]
    yield nodes
    for node in nodes:
        node.stop()
    shutil.rmtree(storage, ignore_errors=True)
    drop_postgres_database(database)


def study_files(study_index, count, patient="NodesP1"):
    root = f"1.2.826.0.1.3680043.10.90.{study_index}"
    return [derived_file(root, root + ".1", f"{root}.1.{number}", "CT", patient=patient) for number in range(count)]


def upload(node, data):
    response = requests.post(node.url + "/instances", data=data, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_concurrent_ingest_through_both_nodes_stores_every_instance_once(two_nodes):
    a, b = two_nodes
    shared = study_files(1, 12)  # every file of this study goes through both nodes at once
    separate = [study_files(2 + index, 6, patient=f"NodesP{2 + index}") for index in range(4)]
    jobs = [(node, data) for data in shared for node in (a, b)]
    jobs += [(a if index % 2 == 0 else b, data) for index, files in enumerate(separate) for data in files]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda job: upload(*job), jobs))
    statuses = {}
    for answer in answers:
        statuses.setdefault(answer["ID"], []).append(answer["Status"])
    # Each file of the shared study was stored once, and found stored by the other node.
    assert all(sorted(found) == ["AlreadyStored", "Success"] for found in
               (statuses[answer["ID"]] for answer in answers[:24])), statuses
    expected = {"CountPatients": 5, "CountStudies": 5, "CountSeries": 5, "CountInstances": 12 + 24}
    for node in (a, b):
        statistics = requests.get(node.url + "/statistics").json()
        assert {key: statistics[key] for key in expected} == expected
        assert len(requests.get(node.url + "/instances").json()) == 36
    # An instance stored through one node is served by the other, from the shared storage.
    instance = answers[0]["ID"]
    assert requests.get(f"{b.url}/instances/{instance}/file").content == \
        requests.get(f"{a.url}/instances/{instance}/file").content
    # What one node stored appears at once in the other's change log, in one order for both.
    changes_a = requests.get(a.url + "/changes?limit=1000").json()
    changes_b = requests.get(b.url + "/changes?limit=1000").json()
    assert changes_a == changes_b
    assert sum(1 for change in changes_a["Changes"] if change["ChangeType"] == "NewInstance") == 36
    seqs = [change["Seq"] for change in changes_a["Changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_a_node_killed_during_an_ingest_loses_nothing_it_acknowledged(two_nodes):
    a, b = two_nodes
    files = study_files(20, 40, patient="KilledP")
    acknowledged = []

    def send(data):
        try:
            response = requests.post(a.url + "/instances", data=data, timeout=30)
        except requests.RequestException:
            return
        if response.status_code == 200:
            acknowledged.append(response.json()["ID"])

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(send, data) for data in files]
        time.sleep(0.4)
        a.process.send_signal(signal.SIGKILL)
        for future in futures:
            future.result()
    a.process.wait()
    assert acknowledged, "the node was killed before it acknowledged anything"
    stored = set(requests.get(b.url + "/instances").json())
    assert set(acknowledged) <= stored
    for instance in acknowledged:
        assert requests.get(f"{b.url}/instances/{instance}/file").status_code == 200
    statistics = requests.get(b.url + "/statistics").json()
    assert statistics["CountInstances"] == len(stored)


def test_a_stopped_database_answers_503_and_service_resumes_when_it_is_back():
    cluster = pathlib.Path(tempfile.mkdtemp(prefix="atrium-postgres-"))
    port = free_port()
    script = str(ROOT / "scripts" / "postgres-cluster")
    url = subprocess.run([script, "start", str(cluster), str(port)], check=True, capture_output=True,
                         text=True).stdout.strip()
    node = None
    try:
        node = AtriumServer({"PostgreSQL": {"EnableIndex": True, "ConnectionUri": url, "IndexConnectionsCount": 4}})
        first = upload(node, study_files(30, 1, patient="DownP")[0])
        subprocess.run([script, "stop", str(cluster)], check=True)
        response = requests.get(node.url + "/instances", timeout=30)
        assert response.status_code == 503
        assert response.json()["OrthancStatus"] == 36
        response = requests.post(node.url + "/instances", data=study_files(30, 2, patient="DownP")[1], timeout=30)
        assert response.status_code == 503
        subprocess.run([script, "start", str(cluster), str(port)], check=True, capture_output=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            response = requests.get(node.url + "/instances", timeout=30)
            if response.status_code == 200:
                break
            time.sleep(0.5)
        assert response.status_code == 200
        assert response.json() == [first["ID"]]
        second = upload(node, study_files(30, 2, patient="DownP")[1])
        assert second["Status"] == "Success"
        assert requests.get(node.url + "/statistics").json()["CountInstances"] == 2
    finally:
        if node:
            node.stop()
        subprocess.run([script, "stop", str(cluster)], capture_output=True)
        shutil.rmtree(cluster, ignore_errors=True)
