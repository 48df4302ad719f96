#!/usr/bin/env python3
"""Side-by-side benchmark of the DICOM network services of Atrium and of a real Orthanc on this machine.

  bench/imaging/dicom.py --atrium-bin .build/release/atrium [--peer-dir ../shared/peer/orthanc] [--out FILE]

Measurements, per server, each on a fresh empty server (medians of --repeat runs):
  storescu-1          dcmtk storescu, one association, the 2000 instances of the ds2000 set
  storescu-8          8 storescu processes at once, 250 instances each
  rest-ingest-4       REST POST /instances of the ds2000 set, 4 wrk threads and connections (as run.py)
  storescu-1-default  storescu as Debian ships it (Nagle's algorithm left on), one association, 200 instances
  find-latency        C-FIND at study level (PatientName wildcard, StudyDate range, 7 matches) over one pynetdicom
                      association with TCP_NODELAY, 100 timed queries after 3 warm-ups, on the ds2000 set
  find-latency-default  the same with pynetdicom as it ships (Nagle's algorithm left on)
  echo-latency        C-ECHO over one pynetdicom association with TCP_NODELAY: the client's floor for one exchange
  move-500            C-MOVE of a 500-instance study to a dcmtk storescp
Both servers run with TCP_NODELAY; the clients too (TCP_NODELAY=1 for dcmtk, a socket option for pynetdicom)
except in the -default rows, which show what a user of the stock clients sees. The client ceilings (the same
storescu runs against dcmtk's storescp, which writes files without syncing or indexing them) tell how much of
each figure the clients themselves cost on this machine, where clients and servers share the cores.
Data sets come from the Orthanc peer scripts' generator, as for run.py.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import run as common  # noqa: E402

AET = "ORTHANC"
SCU = "BENCHSCU"
DESTINATION = "BENCHSCP"


def count(server):
    return requests.get(server.url + "/statistics").json()["CountInstances"]


def storescu(port, paths_or_dirs, recursive, nodelay=True):
    command = ["/usr/bin/storescu", "-aet", SCU, "-aec", AET, "-q"]
    if recursive:
        command += ["+sd", "+r", "+sp", "*.dcm"]
    env = dict(os.environ, TCP_NODELAY="1") if nodelay else {k: v for k, v in os.environ.items() if k != "TCP_NODELAY"}
    return subprocess.Popen(command + ["127.0.0.1", str(port)] + paths_or_dirs, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def store_one_association(server, folders, expected, nodelay=True):
    started = time.perf_counter()
    process = storescu(server.dicom_port, folders, recursive=True, nodelay=nodelay)
    _, errors = process.communicate(timeout=1200)
    elapsed = time.perf_counter() - started
    stored = count(server)
    if process.returncode != 0 or stored != expected:
        raise RuntimeError(f"storescu: rc {process.returncode}, {stored}/{expected} stored: {errors[-500:]}")
    return {"instances": stored, "seconds": round(elapsed, 3), "per_second": round(stored / elapsed, 1)}


def store_parallel(server, listing, expected, processes=8):
    files = open(listing).read().split()
    chunks = [files[index::processes] for index in range(processes)]
    started = time.perf_counter()
    running = [storescu(server.dicom_port, chunk, recursive=False) for chunk in chunks]
    failures = [process for process in running if process.wait(timeout=1200) != 0]
    elapsed = time.perf_counter() - started
    stored = count(server)
    if failures or stored != expected:
        raise RuntimeError(f"parallel storescu: {len(failures)} failed, {stored}/{expected} stored")
    return {"instances": stored, "seconds": round(elapsed, 3), "per_second": round(stored / elapsed, 1),
            "associations": processes}


def client_ceilings(folders, listing, count_one, count_all):
    """The storescu runs against dcmtk's storescp (files written unsynced, no index): what the clients reach when
    the server costs almost nothing."""
    results = {}
    for name in ("storescu-1", "storescu-8"):
        folder = tempfile.mkdtemp(prefix="bench-ceiling-")
        port = common.free_port()
        scp = subprocess.Popen(["/usr/bin/storescp", "--fork", "-od", folder, "-q", str(port)],
                               env=dict(os.environ, TCP_NODELAY="1"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            started = time.perf_counter()
            if name == "storescu-1":
                storescu(port, folders, recursive=True).communicate(timeout=1200)
                expected = count_one
            else:
                files = open(listing).read().split()
                running = [storescu(port, files[index::8], recursive=False) for index in range(8)]
                for process in running:
                    process.wait(timeout=1200)
                expected = count_all
            elapsed = time.perf_counter() - started
            received = sum(len(names) for _, _, names in os.walk(folder))
            if received != expected:
                raise RuntimeError(f"ceiling {name}: {received}/{expected} received")
            results[name] = {"instances": received, "per_second": round(received / elapsed, 1)}
        finally:
            scp.terminate()
            scp.wait(timeout=30)
            shutil.rmtree(folder, ignore_errors=True)
    return results


def expected_find_matches(folder):
    """Studies of the manifest that the benchmark's C-FIND matches: PatientName J*, StudyDate 2017 to 2022."""
    studies = json.load(open(os.path.join(folder, "manifest.json")))["studies"]
    return sum(1 for study in studies
               if study["PatientName"].startswith("J") and "20170101" <= study["StudyDate"] <= "20221231")


def echo_latency(server, calls=200):
    """C-ECHO round trips over one pynetdicom association with TCP_NODELAY: the client's own cost of one DIMSE
    exchange, which bounds the C-FIND latency from below."""
    import socket
    from pynetdicom import AE
    import pynetdicom.transport
    create_socket = pynetdicom.transport.AssociationSocket._create_socket

    def create_socket_without_nagle(self, address):
        sock = create_socket(self, address)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    pynetdicom.transport.AssociationSocket._create_socket = create_socket_without_nagle
    try:
        ae = AE(ae_title=SCU)
        ae.add_requested_context("1.2.840.10008.1.1")
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title=AET)
    finally:
        pynetdicom.transport.AssociationSocket._create_socket = create_socket
    if not assoc.is_established:
        raise RuntimeError("C-ECHO association refused")
    timings = []
    for call in range(calls + 3):
        started = time.perf_counter()
        status = assoc.send_c_echo()
        if status.Status != 0:
            raise RuntimeError(f"C-ECHO status {status.Status:#x}")
        if call >= 3:
            timings.append((time.perf_counter() - started) * 1000)
    assoc.release()
    return {"calls": calls, "p50_ms": round(statistics.median(timings), 2)}


def find_latency(server, expected, calls=100, nodelay=True):
    import socket
    from pydicom.dataset import Dataset
    from pynetdicom import AE
    import pynetdicom.transport
    from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as FIND
    create_socket = pynetdicom.transport.AssociationSocket._create_socket
    if nodelay:
        def create_socket_without_nagle(self, address):
            sock = create_socket(self, address)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        pynetdicom.transport.AssociationSocket._create_socket = create_socket_without_nagle
    try:
        ae = AE(ae_title=SCU)
        ae.add_requested_context(FIND)
        assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title=AET)
    finally:
        pynetdicom.transport.AssociationSocket._create_socket = create_socket
    if not assoc.is_established:
        raise RuntimeError("C-FIND association refused")
    query = Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.PatientName = "J*"
    query.StudyDate = "20170101-20221231"
    query.StudyInstanceUID = ""
    query.PatientID = ""
    query.AccessionNumber = ""
    timings, matches = [], 0
    for call in range(calls + 3):
        started = time.perf_counter()
        answers = [identifier for status, identifier in assoc.send_c_find(query, FIND) if status.Status == 0xFF00]
        if call >= 3:
            timings.append((time.perf_counter() - started) * 1000)
            matches = len(answers)
    assoc.release()
    if matches != expected:
        raise RuntimeError(f"C-FIND: {matches} matches, {expected} expected")
    return {"calls": calls, "matches": matches, "p50_ms": round(statistics.median(timings), 2),
            "p99_ms": round(sorted(timings)[int(len(timings) * 0.99) - 1], 2)}


def move_study(server, study_uid, expected, scp_port):
    folder = tempfile.mkdtemp(prefix="bench-storescp-")
    scp = subprocess.Popen(["/usr/bin/storescp", "-aet", DESTINATION, "-od", folder, "-q",
                            str(scp_port)], env=dict(os.environ, TCP_NODELAY="1"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        started = time.perf_counter()
        result = subprocess.run(["/usr/bin/movescu", "-S", "-aet", SCU, "-aec", AET, "-aem", DESTINATION, "-q",
                                 "-k", "QueryRetrieveLevel=STUDY", "-k", f"StudyInstanceUID={study_uid}",
                                 "127.0.0.1", str(server.dicom_port)], env=dict(os.environ, TCP_NODELAY="1"),
                                capture_output=True, text=True, timeout=1200)
        elapsed = time.perf_counter() - started
        received = len(os.listdir(folder))
        if result.returncode != 0 or received != expected:
            raise RuntimeError(f"movescu: rc {result.returncode}, {received}/{expected} received: {result.stderr[-500:]}")
        return {"instances": received, "seconds": round(elapsed, 3), "per_second": round(received / elapsed, 1)}
    finally:
        scp.terminate()
        scp.wait(timeout=30)
        subprocess.run(["rm", "-rf", folder])


def measure(makers, data, repeat, scp_port):
    """Every measurement for each server; the throughput runs are interleaved (each repetition runs every server
    in turn) so that a change of the machine's load falls on both."""
    results = {name: {} for name in makers}
    ds_folder, ds_listing, ds_count = data["ds2000"]
    study_folder, study_listing, study_count = data["study500"]
    default_folders = [os.path.join(ds_folder, name) for name in ("p00000", "p00001")]
    default_count = sum(1 for folder in default_folders for _, _, names in os.walk(folder)
                        for name in names if name.endswith(".dcm"))
    measurements = (
        ("storescu-1", lambda server: store_one_association(server, [ds_folder], ds_count)),
        ("storescu-8", lambda server: store_parallel(server, ds_listing, ds_count)),
        ("rest-ingest-4", lambda server: common.ingest(server, ds_listing, ds_count)),
        ("storescu-1-default", lambda server: store_one_association(
            server, default_folders, default_count, nodelay=False)),
    )
    runs = {name: {measurement: [] for measurement, _ in measurements} for name in makers}
    for _ in range(repeat):
        for measurement, run in measurements:
            for name, make_server in makers.items():
                server = make_server()
                server.start()
                try:
                    runs[name][measurement].append(run(server))
                finally:
                    server.stop()
    for name, make_server in makers.items():
        for measurement, values in runs[name].items():
            median = sorted(values, key=lambda value: value["per_second"])[len(values) // 2]
            results[name][measurement] = dict(median, runs=[value["per_second"] for value in values])
        server = make_server()
        server.start()
        try:
            store_one_association(server, [ds_folder], ds_count)
            matches = expected_find_matches(ds_folder)
            results[name]["find-latency"] = find_latency(server, matches)
            results[name]["find-latency-default"] = find_latency(server, matches, nodelay=False)
            results[name]["echo-latency"] = echo_latency(server)
            store_one_association(server, [study_folder], ds_count + study_count)
            study_uid = find_study_uid(study_listing)
            results[name]["move-500"] = move_study(server, study_uid, study_count, scp_port)
        finally:
            server.stop()
        common.log(name, json.dumps(results[name]))
    return results


def find_study_uid(listing):
    import pydicom
    first = open(listing).read().split()[0]
    return pydicom.dcmread(first, stop_before_pixels=True).StudyInstanceUID


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--atrium-bin", default=os.path.join(ROOT, ".build", "release", "atrium"))
    parser.add_argument("--peer-dir", default=os.path.join(ROOT, "..", "shared", "peer", "orthanc"))
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "atrium-bench-data"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-orthanc", action="store_true")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "dicom.json"))
    arguments = parser.parse_args()
    start_load = common.load_average()
    if start_load > 0.5:
        common.log("warning", f"the 1-minute load average is {start_load:.2f} (above 0.5): figures of a loaded machine")
    data = {
        "ds2000": common.dataset(arguments.peer_dir, arguments.data, "ds2000",
                                 ["-P", "20", "-S", "5", "-R", "2", "-I", "10", "--seed", "1"]),
        "study500": common.dataset(arguments.peer_dir, arguments.data, "study500",
                                   ["-P", "1", "-S", "1", "-R", "1", "-I", "500", "--seed", "5"]),
    }
    scp_port = common.free_port()
    modalities = {"bench": [DESTINATION, "127.0.0.1", scp_port]}
    allow = {"DicomAet": AET, "DicomAlwaysAllowFind": True, "DicomAlwaysAllowMove": True, "DicomModalities": modalities}
    report = {"client-ceilings": client_ceilings([data["ds2000"][0]], data["ds2000"][1], data["ds2000"][2],
                                                 data["ds2000"][2])}
    common.log("client ceilings", json.dumps(report["client-ceilings"]))
    makers = {"atrium": lambda: common.Atrium(arguments.atrium_bin, allow)}
    if not arguments.skip_orthanc:
        makers["orthanc"] = lambda: common.Orthanc(arguments.peer_dir, allow)
    report.update(measure(makers, data, arguments.repeat, scp_port))
    if not arguments.skip_orthanc:
        ratios = {}
        for name in ("storescu-1", "storescu-8", "rest-ingest-4", "storescu-1-default", "move-500"):
            ratios[name] = round(report["atrium"][name]["per_second"] / report["orthanc"][name]["per_second"], 2)
        for name in ("find-latency", "find-latency-default", "echo-latency"):
            ratios[name] = round(report["orthanc"][name]["p50_ms"] / report["atrium"][name]["p50_ms"], 2)
        report["ratios"] = ratios
        common.log("ratios (atrium / orthanc throughput, orthanc / atrium latency)", json.dumps(ratios))
    report["load-average"] = {"start": start_load, "end": common.load_average()}
    os.makedirs(os.path.dirname(arguments.out), exist_ok=True)
    with open(arguments.out, "w") as handle:
        json.dump(report, handle, indent=2)


if __name__ == "__main__":
    main()
