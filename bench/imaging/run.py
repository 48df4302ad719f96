#!/usr/bin/env python3
"""Side-by-side benchmark of Atrium's imaging server and a real Orthanc on this machine.

Both servers run on 127.0.0.1 with fresh data folders; the load comes from wrk (C, event-driven), so the client
is not the bottleneck. Data sets are made by the Orthanc peer scripts' generator (clones of a real sample file).

  bench/imaging/run.py --atrium-bin .build/release/atrium [--peer-dir ../shared/peer/orthanc] [--out FILE]

Measurements, per server:
  ingest-2000      REST POST /instances of 2000 instances, 4 wrk threads and connections
  ingest-10000     the same with 10,000 instances into an empty server, then resident memory
  find             POST /tools/find at study level (PatientName wildcard + StudyDate range) on 10,000 instances
  get-file         GET /instances/{id}/file, random instances, 4 threads, 10 s
  get-tags         GET /instances/{id}/tags, random instances, 4 threads, 10 s
  delete-study     DELETE /studies/{id} of a 1000-instance study
and, before the servers, two ceilings of this machine that no server can pass:
  ceiling-durable-writes   files of the data set's mean size written as a server must before answering (temporary
                           file, fsync, rename, fsync of the folder), 4 threads, 4 s
  ceiling-http-get         a bare Hummingbird server answering that many bytes from memory, 4 wrk threads, 10 s
With --postgres, both servers keep their index on PostgreSQL instead: Atrium on a private cluster started by
scripts/postgres-cluster (a fresh database per server start), Orthanc with its PostgreSQL index plugin on the
private cluster of the peer scripts (start-orthanc-pg.sh); the figures are named atrium-pg.* and orthanc-pg.*.
And with --large, the ingest rate of 2000 new instances into an empty server and on top of 100,000 stored ones
(the 100,000 are derived from the 10,000-instance set by derive-dataset.py; --large-atrium-only skips Orthanc's
large run, which takes about a quarter of an hour).
Every loop is bounded in time; only loopback addresses are contacted.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(*parts):
    print("[bench %s]" % time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def load_average():
    """The 1-minute load average, recorded with every run: figures of a loaded machine must say so."""
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def wait_up(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(url + "/system", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(url + " did not start")


class PostgresCluster:
    """A private PostgreSQL cluster (scripts/postgres-cluster) that gives each Atrium start a fresh database."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="bench-postgres-")
        self.script = os.path.join(ROOT, "scripts", "postgres-cluster")
        self.url = subprocess.run([self.script, "start", self.folder, str(free_port())], check=True,
                                  capture_output=True, text=True).stdout.strip()
        self.count = 0

    def database_url(self, name):
        return self.url.rsplit("/", 1)[0] + "/" + name

    def create_database(self):
        self.count += 1
        name = f"bench_{self.count}"
        subprocess.run(["psql", self.database_url("postgres"), "-qAtc", f"CREATE DATABASE {name}"], check=True)
        return name

    def drop_database(self, name):
        subprocess.run(["psql", self.database_url("postgres"), "-qAtc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       check=True)

    def stop(self):
        subprocess.run([self.script, "stop", self.folder], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


class Atrium:
    name = "atrium"

    def __init__(self, binary, extra_config=None, postgres=None):
        self.binary = binary
        self.process = None
        self.extra_config = extra_config or {}
        self.postgres = postgres
        self.database = None
        if postgres:
            self.name = "atrium-pg"

    def start(self):
        self.folder = tempfile.mkdtemp(prefix="bench-atrium-")
        self.port = free_port()
        self.dicom_port = free_port()
        config = {"HttpPort": self.port, "DicomPort": self.dicom_port, "StorageDirectory": self.folder + "/storage",
                  "ContextBroker": {"Enabled": False}}
        if self.postgres:
            self.database = self.postgres.create_database()
            config["PostgreSQL"] = {"EnableIndex": True, "ConnectionUri": self.postgres.database_url(self.database)}
        config.update(self.extra_config)
        with open(self.folder + "/config.json", "w") as handle:
            json.dump(config, handle)
        self.log = open(self.folder + "/log.txt", "w")
        self.process = subprocess.Popen([self.binary, "--config", self.folder + "/config.json"], stdout=self.log,
                                        stderr=subprocess.STDOUT, cwd=self.folder)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_up(self.url)
        return self.process.pid

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.database:
            self.postgres.drop_database(self.database)
            self.database = None


class Orthanc:
    name = "orthanc"

    def __init__(self, peer_dir, extra_config=None, postgres=False):
        self.peer_dir = peer_dir
        self.extra_config = extra_config or {}
        self.variant = "-pg" if postgres else ""
        if postgres:
            self.name = "orthanc-pg"

    def start(self):
        self.folder = tempfile.mkdtemp(prefix="bench-orthanc-")
        # The PostgreSQL variant's cluster runs as another user, who must reach the data folder.
        os.chmod(self.folder, 0o755)
        self.port = free_port()
        self.dicom_port = free_port()
        env = dict(os.environ, ORTHANC_HTTP_PORT=str(self.port), ORTHANC_DICOM_PORT=str(self.dicom_port),
                   ORTHANC_DICOMWEB="0", ORTHANC_EXTRA_CONFIG=json.dumps(self.extra_config))
        out = subprocess.run([os.path.join(self.peer_dir, f"start-orthanc{self.variant}.sh"), self.folder + "/data"], env=env,
                             check=True, capture_output=True, text=True).stdout
        self.pid = int(out.strip().splitlines()[-1])
        self.url = f"http://127.0.0.1:{self.port}"
        wait_up(self.url)
        return self.pid

    def stop(self):
        subprocess.run([os.path.join(self.peer_dir, f"stop-orthanc{self.variant}.sh"), self.folder + "/data"],
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def dataset(peer_dir, root, name, arguments):
    folder = os.path.join(root, name)
    if not os.path.exists(os.path.join(folder, "manifest.json")):
        log("generating", name)
        subprocess.run([sys.executable, os.path.join(peer_dir, "gen-dataset.py"), "--out", folder] + arguments,
                       check=True, capture_output=True)
    files = sorted(os.path.join(base, f) for base, _, names in os.walk(folder) for f in names if f.endswith(".dcm"))
    listing = folder + ".list"
    with open(listing, "w") as handle:
        handle.write("\n".join(files) + "\n")
    return folder, listing, len(files)


def derived(root, name, source, copies):
    """A data set derived from a generated one by derive-dataset.py (same-length identifier rewrites)."""
    folder = os.path.join(root, name)
    if not os.path.exists(os.path.join(folder, "manifest.json")):
        log("deriving", name)
        subprocess.run([sys.executable, os.path.join(HERE, "derive-dataset.py"), "--source", source, "--out", folder,
                        "--copies", str(copies)], check=True, capture_output=True)
    files = sorted(os.path.join(base, f) for base, _, names in os.walk(folder) for f in names if f.endswith(".dcm"))
    listing = folder + ".list"
    with open(listing, "w") as handle:
        handle.write("\n".join(files) + "\n")
    return folder, listing, len(files)


def wrk(url, script, env, threads=4, connections=4, seconds=600):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "-s",
               os.path.join(HERE, script), url]
    output = subprocess.run(command, env=dict(os.environ, **env), capture_output=True, text=True,
                            timeout=seconds + 120).stdout
    match = re.search(r"BENCH requests=(\d+) seconds=([\d.]+) \w+=(\d+) p50_ms=([\d.]+) p99_ms=([\d.]+)", output)
    if not match:
        raise RuntimeError("wrk gave no summary:\n" + output)
    requests_done, elapsed, failures, p50, p99 = match.groups()
    return {"requests": int(requests_done), "seconds": float(elapsed), "failures": int(failures),
            "per_second": round(int(requests_done) / float(elapsed), 1), "p50_ms": float(p50), "p99_ms": float(p99)}


def ingest(server, listing, count):
    """Uploads every file of `listing` with wrk (4 threads, 4 connections) and times it by watching the
    server's instance count; wrk is interrupted as soon as every file is stored. Any file wrk skipped is then
    uploaded untimed, so the server ends with the whole data set."""
    before = requests.get(server.url + "/statistics").json()["CountInstances"]
    limit = max(600, count // 40)
    command = ["wrk", "-t4", "-c4", f"-d{limit}s", "--timeout", "60s", "-s", os.path.join(HERE, "upload.lua"), server.url]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=dict(os.environ, BENCH_FILE_LIST=listing, BENCH_THREADS="4"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stored, last_change, last_count = before, started, before
    while time.perf_counter() - started < limit:
        stored = requests.get(server.url + "/statistics").json()["CountInstances"]
        now = time.perf_counter()
        if stored != last_count:
            last_count, last_change = stored, now
        if stored - before >= count or (now - last_change > 3 and stored - before >= count * 0.99):
            break
        time.sleep(0.05)
    elapsed = last_change - started
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=60)[0]
    match = re.search(r"p50_ms=([\d.]+) p99_ms=([\d.]+)", output)
    timed = stored - before
    if timed < count - 1:
        # Completes the data set (files already stored answer AlreadyStored), 4 uploads at a time. One file may
        # be missing by design: wrk builds and discards one request per thread before the run.
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda path: requests.post(server.url + "/instances", data=open(path, "rb").read()),
                          open(listing).read().split()))
    return {"instances": timed, "seconds": round(elapsed, 3), "per_second": round(timed / elapsed, 1),
            "p50_ms": float(match.group(1)) if match else None, "p99_ms": float(match.group(2)) if match else None}


def durable_write_ceiling(size, seconds=4.0, threads=4):
    """Files of `size` bytes written durably, as the storage area writes them, by `threads` threads: the most
    instances per second any server that acknowledges only durable data can ingest here."""
    import threading
    folder = tempfile.mkdtemp(prefix="atrium-ceiling-", dir=os.path.join(ROOT, "bench", "results"))
    payload = os.urandom(size)
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def worker(index):
        while time.perf_counter() < deadline:
            name = f"{index}-{counts[index]}"
            shard = os.path.join(folder, name[-2:])
            os.makedirs(shard, exist_ok=True)
            temporary = os.path.join(shard, "." + name)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT, 0o644)
            os.write(descriptor, payload)
            os.fsync(descriptor)
            os.close(descriptor)
            os.rename(temporary, os.path.join(shard, name))
            directory = os.open(shard, os.O_RDONLY)
            os.fsync(directory)
            os.close(directory)
            counts[index] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(index,)) for index in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return {"files": sum(counts), "bytes_each": size, "seconds": round(elapsed, 3),
            "per_second": round(sum(counts) / elapsed, 1)}


def http_get_ceiling(size):
    """A bare Hummingbird server (bench/broker/Baseline) answering `size` bytes from memory, 4 wrk threads."""
    subprocess.run(["swift", "build", "-c", "release", "--package-path", os.path.join(ROOT, "bench"),
                    "--product", "atrium-bench-baseline"], check=True, capture_output=True)
    binary = subprocess.run(["swift", "build", "-c", "release", "--package-path", os.path.join(ROOT, "bench"),
                             "--show-bin-path"], check=True, capture_output=True, text=True).stdout.strip()
    port = free_port()
    process = subprocess.Popen([os.path.join(binary, "atrium-bench-baseline"), str(port), str(size)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if requests.get(url + "/ping", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        listing = os.path.join(tempfile.gettempdir(), "atrium-ceiling-ids.txt")
        with open(listing, "w") as handle:
            handle.write("x\n")
        return dict(wrk(url, "get.lua", {"BENCH_ID_LIST": listing, "BENCH_PATH_FORMAT": "/bytes?%s"}, 4, 4, 10),
                    bytes_each=size)
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_server(server, data, results, large):
    name = server.name
    log(name, "ingest 2000")
    server.start()
    results[f"{name}.ingest-2000"] = ingest(server, data["ds2000"][1], data["ds2000"][2])
    server.stop()

    log(name, "ingest 10000")
    pid = server.start()
    results[f"{name}.ingest-10000"] = ingest(server, data["ds10000"][1], data["ds10000"][2])
    results[f"{name}.rss-after-10000-MiB"] = rss_mib(pid)

    log(name, "find")
    body = json.dumps({"Level": "Study", "Query": {"PatientName": "SMITH*", "StudyDate": "20200101-20221231"}})
    matches = len(requests.post(server.url + "/tools/find", data=body).json())
    results[f"{name}.find"] = dict(wrk(server.url, "find.lua", {"BENCH_FIND_BODY": body}, 2, 4, 10), matches=matches)

    log(name, "get file")
    ids_file = os.path.join(data["root"], f"{name}-ids.txt")
    with open(ids_file, "w") as handle:
        handle.write("\n".join(requests.get(server.url + "/instances").json()) + "\n")
    results[f"{name}.get-file"] = wrk(server.url, "get.lua", {"BENCH_ID_LIST": ids_file,
                                                              "BENCH_PATH_FORMAT": "/instances/%s/file"}, 4, 4, 10)
    log(name, "get tags")
    results[f"{name}.get-tags"] = wrk(server.url, "get.lua", {"BENCH_ID_LIST": ids_file,
                                                              "BENCH_PATH_FORMAT": "/instances/%s/tags"}, 4, 4, 10)

    log(name, "delete study")
    ingest(server, data["study1000"][1], data["study1000"][2])
    manifest = json.load(open(os.path.join(data["study1000"][0], "manifest.json")))
    study_uid = manifest["studies"][0]["StudyInstanceUID"]
    found = requests.post(server.url + "/tools/find", json={"Level": "Study", "Query": {"StudyInstanceUID": study_uid}})
    study = found.json()[0]
    started = time.perf_counter()
    response = requests.delete(server.url + "/studies/" + study, timeout=600)
    results[f"{name}.delete-study-1000-s"] = round(time.perf_counter() - started, 3)
    assert response.ok
    results[f"{name}.rss-end-MiB"] = rss_mib(pid)
    server.stop()

    if large:
        log(name, "ingest at 0 and at 100,000")
        server.start()
        results[f"{name}.ingest-2000-at-0"] = ingest(server, data["ds2000b"][1], data["ds2000b"][2])
        server.stop()
        server.start()
        results[f"{name}.ingest-100000"] = ingest(server, data["ds100k"][1], data["ds100k"][2])
        results[f"{name}.ingest-2000-at-100000"] = ingest(server, data["ds2000b"][1], data["ds2000b"][2])
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--atrium-bin", default=os.path.join(ROOT, ".build", "release", "atrium"))
    parser.add_argument("--peer-dir", default=os.path.join(ROOT, "..", "shared", "peer", "orthanc"))
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "atrium-bench-data"))
    parser.add_argument("--large", action="store_true", help="also measure ingest at 0 and at 100,000 stored instances")
    parser.add_argument("--large-atrium-only", action="store_true", help="with --large, skip Orthanc's large run")
    parser.add_argument("--skip-orthanc", action="store_true")
    parser.add_argument("--skip-atrium", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="both servers with their index on PostgreSQL")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "imaging.json"))
    arguments = parser.parse_args()
    start_load = load_average()
    if start_load > 0.5:
        log("warning", f"the 1-minute load average is {start_load:.2f} (above 0.5): figures of a loaded machine")
    os.makedirs(arguments.data, exist_ok=True)
    data = {"root": arguments.data}
    data["ds2000"] = dataset(arguments.peer_dir, arguments.data, "ds2000", ["-P", "20", "-S", "5", "-R", "2", "-I", "10", "--seed", "1"])
    data["ds10000"] = dataset(arguments.peer_dir, arguments.data, "ds10000", ["-P", "200", "-S", "5", "-R", "2", "-I", "5", "--seed", "2"])
    data["study1000"] = dataset(arguments.peer_dir, arguments.data, "study1000", ["-P", "1", "-S", "1", "-R", "1", "-I", "1000", "--seed", "3"])
    if arguments.large:
        data["ds2000b"] = dataset(arguments.peer_dir, arguments.data, "ds2000b", ["-P", "20", "-S", "5", "-R", "2", "-I", "10", "--seed", "4"])
        data["ds100k"] = derived(arguments.data, "ds100k", data["ds10000"][0], 10)
    results = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "load-average-at-start": start_load}
    files = open(data["ds2000"][1]).read().split()
    mean_size = sum(os.path.getsize(path) for path in files) // len(files)
    log("machine", "ceilings")
    results["ceiling-durable-writes"] = durable_write_ceiling(mean_size)
    results["ceiling-http-get"] = http_get_ceiling(mean_size)
    if not arguments.skip_atrium:
        cluster = PostgresCluster() if arguments.postgres else None
        try:
            run_server(Atrium(arguments.atrium_bin, postgres=cluster), data, results, arguments.large)
        finally:
            if cluster:
                cluster.stop()
    if not arguments.skip_orthanc:
        run_server(Orthanc(arguments.peer_dir, postgres=arguments.postgres), data, results,
                   arguments.large and not arguments.large_atrium_only)
    results["load-average-at-end"] = load_average()
    os.makedirs(os.path.dirname(arguments.out), exist_ok=True)
    with open(arguments.out, "w") as handle:
        json.dump(results, handle, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
