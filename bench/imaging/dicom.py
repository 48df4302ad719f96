#!/usr/bin/env python3
"""Side-by-side benchmark of the DICOM network services of Atrium and of a real Orthanc on this machine.

  bench/imaging/dicom.py --atrium-bin .build/release/atrium [--peer-dir ../shared/peer/orthanc] [--out FILE]

Measurements, per server, each on a fresh empty server (medians of --repeat runs):
  storescu-1      dcmtk storescu, one association, the 2000 instances of the ds2000 set
  storescu-8      8 storescu processes at once, 250 instances each
  find-latency    C-FIND at study level (PatientName wildcard, StudyDate range) over one pynetdicom association,
                  100 timed queries after 3 warm-ups, on the ds2000 set
  move-500        C-MOVE of a 500-instance study to a dcmtk storescp
Every client and server runs with TCP_NODELAY (Debian's dcmtk leaves Nagle on unless TCP_NODELAY=1 is set).
Data sets come from the Orthanc peer scripts' generator, as for run.py.
"""
import argparse
import json
import os
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


def storescu(server, paths_or_dirs, recursive):
    command = ["/usr/bin/storescu", "-aet", SCU, "-aec", AET, "-q"]
    if recursive:
        command += ["+sd", "+r", "+sp", "*.dcm"]
    return subprocess.Popen(command + ["127.0.0.1", str(server.dicom_port)] + paths_or_dirs,
                            env=dict(os.environ, TCP_NODELAY="1"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def store_one_association(server, folder, expected):
    started = time.perf_counter()
    process = storescu(server, [folder], recursive=True)
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
    running = [storescu(server, chunk, recursive=False) for chunk in chunks]
    failures = [process for process in running if process.wait(timeout=1200) != 0]
    elapsed = time.perf_counter() - started
    stored = count(server)
    if failures or stored != expected:
        raise RuntimeError(f"parallel storescu: {len(failures)} failed, {stored}/{expected} stored")
    return {"instances": stored, "seconds": round(elapsed, 3), "per_second": round(stored / elapsed, 1),
            "associations": processes}


def find_latency(server, calls=100):
    from pydicom.dataset import Dataset
    from pynetdicom import AE
    from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind as FIND
    ae = AE(ae_title=SCU)
    ae.add_requested_context(FIND)
    assoc = ae.associate("127.0.0.1", server.dicom_port, ae_title=AET)
    if not assoc.is_established:
        raise RuntimeError("C-FIND association refused")
    query = Dataset()
    query.QueryRetrieveLevel = "STUDY"
    query.PatientName = "SMITH*"
    query.StudyDate = "20200101-20221231"
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


def measure(make_server, data, repeat, scp_port):
    results = {}
    ds_folder, ds_listing, ds_count = data["ds2000"]
    study_folder, study_listing, study_count = data["study500"]
    runs = {"storescu-1": [], "storescu-8": []}
    for _ in range(repeat):
        server = make_server()
        server.start()
        try:
            runs["storescu-1"].append(store_one_association(server, ds_folder, ds_count))
        finally:
            server.stop()
        server = make_server()
        server.start()
        try:
            runs["storescu-8"].append(store_parallel(server, ds_listing, ds_count))
        finally:
            server.stop()
    for name, values in runs.items():
        best = sorted(values, key=lambda value: value["per_second"])[len(values) // 2]
        results[name] = dict(best, runs=[value["per_second"] for value in values])
    server = make_server()
    server.start()
    try:
        store_one_association(server, ds_folder, ds_count)
        results["find-latency"] = find_latency(server)
        store_one_association(server, study_folder, ds_count + study_count)
        study_uid = find_study_uid(study_listing)
        results["move-500"] = move_study(server, study_uid, study_count, scp_port)
    finally:
        server.stop()
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
    data = {
        "ds2000": common.dataset(arguments.peer_dir, arguments.data, "ds2000",
                                 ["-P", "20", "-S", "5", "-R", "2", "-I", "10", "--seed", "1"]),
        "study500": common.dataset(arguments.peer_dir, arguments.data, "study500",
                                   ["-P", "1", "-S", "1", "-R", "1", "-I", "500", "--seed", "5"]),
    }
    scp_port = common.free_port()
    modalities = {"bench": [DESTINATION, "127.0.0.1", scp_port]}
    allow = {"DicomAet": AET, "DicomAlwaysAllowFind": True, "DicomAlwaysAllowMove": True, "DicomModalities": modalities}
    report = {"atrium": measure(lambda: common.Atrium(arguments.atrium_bin, allow), data, arguments.repeat, scp_port)}
    common.log("atrium", json.dumps(report["atrium"]))
    if not arguments.skip_orthanc:
        report["orthanc"] = measure(lambda: common.Orthanc(arguments.peer_dir, allow), data, arguments.repeat, scp_port)
        common.log("orthanc", json.dumps(report["orthanc"]))
        ratios = {}
        for name in ("storescu-1", "storescu-8", "move-500"):
            ratios[name] = round(report["atrium"][name]["per_second"] / report["orthanc"][name]["per_second"], 2)
        ratios["find-latency"] = round(report["orthanc"]["find-latency"]["p50_ms"]
                                       / report["atrium"]["find-latency"]["p50_ms"], 2)
        report["ratios"] = ratios
        common.log("ratios (atrium / orthanc throughput, orthanc / atrium latency)", json.dumps(ratios))
    os.makedirs(os.path.dirname(arguments.out), exist_ok=True)
    with open(arguments.out, "w") as handle:
        json.dump(report, handle, indent=2)


if __name__ == "__main__":
    main()
