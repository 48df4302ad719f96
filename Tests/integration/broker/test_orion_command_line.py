"""`atrium context-broker` started as Orion's `contextBroker` is: its flags, `ORION_*` variables, pid file, log
file, messages and exit statuses, CORS, HTTPS, the `contextBroker` symlink and `/exit/harakiri`."""

import http.client
import os
import re
import shutil
import subprocess
import time

import pytest
import requests

# Orion's functional-test harness start line (test/functionalTest), with the port and paths of this test.
HARNESS = ("-harakiri -port {port} -pidpath {pid} -dbURI mongodb://localhost:27017 -db ftest -dbPoolSize 10 "
           "-t 0-255 -logLevel DEBUG -notificationMode threadpool:200:20")

LOG_LINE = re.compile(
    r"^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \| lvl=(FATAL|ERROR|WARN|INFO|DEBUG) \| corr=\S+ \| trans=\S+ \| "
    r"from=\S+ \| srv=\S+ \| subsrv=\S+ \| comp=Orion \| op=[^|]+\[\d+\]:[^|]+ \| msg=.*$")


class Daemon:
    """The background broker that a command without `-fg` leaves running, known by its pid file."""

    def __init__(self, pid):
        self.pid = pid
        # Not this test's child: its exit status cannot be read, only that it is gone.
        self.returncode = None

    def poll(self):
        try:
            os.kill(self.pid, 0)
            return None
        except ProcessLookupError:
            return "gone"

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("daemon", timeout)
            time.sleep(0.02)

    def terminate(self):
        os.kill(self.pid, 15)

    def kill(self):
        os.kill(self.pid, 9)


class Started:
    """A broker process started with exactly the given arguments, from `cwd`. Without `-fg` the command must
    return at once with status 0, as Orion's does, and the broker it leaves in the background is followed through
    its pid file."""

    def __init__(self, command, cwd, port, environment=None, scheme="http", verify=True):
        self.url = f"{scheme}://127.0.0.1:{port}"
        self.verify = verify
        self.output = open(cwd / "process-output.txt", "wb")
        self.process = subprocess.Popen(command, cwd=cwd, stdout=self.output, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(environment or {})})
        if "-fg" not in command:
            self.foreground_status = self.process.wait(timeout=10)
            assert self.foreground_status == 0
            pid_path = command[command.index("-pidpath") + 1]
            deadline = time.monotonic() + 30
            while not os.path.exists(pid_path) or not open(pid_path).read():
                assert time.monotonic() < deadline, "the background broker wrote no pid file"
                time.sleep(0.02)
            self.process = Daemon(int(open(pid_path).read()))
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(self.url + "/version", timeout=1, verify=verify)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.output.close()
                    raise RuntimeError("the broker did not start: " + (cwd / "process-output.txt").read_text())
                time.sleep(0.05)

    def get(self, path, **arguments):
        return requests.get(self.url + path, timeout=5, verify=self.verify, **arguments)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()
        return self.process.returncode


@pytest.fixture
def start(atrium_bin, tmp_path):
    started = []

    def run(*flags, environment=None, binary=None, scheme="http", verify=True, port=None, daemon=False):
        # Orion (and Atrium) become daemons without -fg; tests that do not test that keep the process in front.
        command = [binary or atrium_bin] + ([] if binary else ["context-broker"]) + list(flags)
        if not daemon and "-fg" not in command:
            command.append("-fg")
        started.append(Started(command, tmp_path, port, environment, scheme, verify))
        return started[-1]

    yield run
    for broker in started:
        broker.stop()


def run_broker(atrium_bin, tmp_path, *flags, environment=None):
    return subprocess.run([atrium_bin, "context-broker", *flags], capture_output=True, timeout=30, cwd=tmp_path,
                          env={**os.environ, **(environment or {})})


def test_orions_harness_command_line_starts_writes_the_pid_file_and_exits_on_harakiri(start, tmp_path, free_port):
    port = free_port()
    pid = tmp_path / f"orion_{port}.pid"
    broker = start(*HARNESS.format(port=port, pid=pid).split(), "-logDir", str(tmp_path), port=port, daemon=True)
    version = broker.get("/version")
    assert version.status_code == 200
    assert version.json()["orion"]["version"] == "4.7.0"
    assert pid.read_text() == str(broker.process.pid)
    assert broker.get("/v2/entities").json() == []
    assert (tmp_path / "atrium-data" / "context-broker" / "ftest.sqlite").exists()

    assert broker.get("/exit/harakiri").status_code == 200
    broker.process.wait(timeout=10)
    assert not pid.exists()
    log = (tmp_path / "contextBroker.log").read_text().splitlines()
    assert "msg=Atrium context broker exits in an ordered manner" in log[-1]
    assert all(LOG_LINE.match(line) for line in log), [line for line in log if not LOG_LINE.match(line)][:3]
    assert any("msg=start command line <contextBroker -harakiri -port" in line for line in log)
    # -t 0-255 with -logLevel DEBUG lets DEBUG lines through.
    assert any("| lvl=DEBUG |" in line for line in log)
    warnings = [line for line in log if "| lvl=WARN |" in line]
    assert sum("msg=-dbURI is a MongoDB URI, ignored" in line for line in warnings) == 1
    assert sum("msg=-dbPoolSize is a MongoDB setting, ignored" in line for line in warnings) == 1
    # The command itself printed what Orion prints while parsing, and nothing on standard error: Orion's harness
    # fails a start that writes there.
    assert (tmp_path / "process-output.txt").read_text() == f"log directory: '{tmp_path}'\n"


def test_without_fg_the_command_returns_and_one_process_with_orions_command_line_runs(atrium_bin, tmp_path,
                                                                                      free_port):
    port = free_port()
    pid = tmp_path / f"orion_{port}.pid"
    link = tmp_path / "contextBroker"
    link.symlink_to(atrium_bin)
    started = time.monotonic()
    result = subprocess.run([str(link), *HARNESS.format(port=port, pid=pid).split(), "-logDir", str(tmp_path)],
                            cwd=tmp_path, capture_output=True, timeout=30)
    assert (result.returncode, result.stderr) == (0, b"")
    assert time.monotonic() - started < 5
    deadline = time.monotonic() + 30
    while True:
        try:
            assert requests.get(f"http://127.0.0.1:{port}/version", timeout=1).status_code == 200
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    daemon = int(pid.read_text())
    # Orion's harness counts the processes whose command line holds contextBroker and the port: exactly one.
    listing = subprocess.run(["ps", "-ww", "-e", "-o", "pid=,sid=,args="], capture_output=True, text=True).stdout
    matching = [line.split(None, 2) for line in listing.splitlines() if "contextBroker" in line and str(port) in line]
    assert [int(fields[0]) for fields in matching] == [daemon]
    assert int(matching[0][1]) == daemon  # a session of its own
    os.kill(daemon, 15)
    Daemon(daemon).wait(timeout=10)
    assert not pid.exists()


def test_without_harakiri_the_route_is_unknown_and_sigterm_removes_the_pid_file(start, tmp_path, free_port):
    port = free_port()
    pid = tmp_path / "cb.pid"
    broker = start("-port", str(port), "-pidpath", str(pid), "-logDir", str(tmp_path), port=port)
    assert pid.exists()
    answer = broker.get("/exit/harakiri")
    assert answer.status_code == 400
    assert answer.json() == {"error": "BadRequest",
                             "description": "Service not found. Check your URL as probably it is wrong."}
    assert broker.stop() == 0
    assert not pid.exists()


def test_an_existing_pid_file_stops_a_second_broker(atrium_bin, tmp_path, free_port):
    pid = tmp_path / "cb.pid"
    pid.write_text("1")
    result = run_broker(atrium_bin, tmp_path, "-port", str(free_port()), "-pidpath", str(pid), "-logDir", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"PID-file '{pid}' found. A broker seems to be running already\n".encode()


def test_log_file_levels_append_and_disable(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path),
                   "-logLevel", "INFO", port=port)
    broker.stop()
    first = (tmp_path / "contextBroker.log").read_text()
    assert "| lvl=INFO |" in first and "| lvl=DEBUG |" not in first

    # Without -logAppend the previous file becomes contextBroker.log.old; with it, lines are appended.
    port = free_port()
    start("-port", str(port), "-pidpath", str(tmp_path / "b.pid"), "-logDir", str(tmp_path), "-logLevel", "INFO",
          port=port).stop()
    assert (tmp_path / "contextBroker.log.old").read_text() == first
    assert (tmp_path / "contextBroker.log").read_text().count("msg=start command line") == 1
    port = free_port()
    start("-port", str(port), "-pidpath", str(tmp_path / "c.pid"), "-logDir", str(tmp_path), "-logAppend",
          "-logLevel", "INFO", port=port).stop()
    assert (tmp_path / "contextBroker.log").read_text().count("msg=start command line") == 2

    # -disableFileLog: no file; -fg: lines on standard output, short with -logForHumans.
    (tmp_path / "contextBroker.log").unlink()
    port = free_port()
    start("-port", str(port), "-pidpath", str(tmp_path / "d.pid"), "-logDir", str(tmp_path), "-disableFileLog",
          "-fg", "-logForHumans", "-logLevel", "INFO", port=port).stop()
    assert not (tmp_path / "contextBroker.log").exists()
    output = (tmp_path / "process-output.txt").read_text()
    assert re.search(r"^INFO@\d{4}-\d\d-\d\dT[\d:.]+Z  ContextBrokerLauncher\.swift\[\d+\]: start command line",
                     output, re.MULTILINE)


def test_log_line_max_size(start, tmp_path, free_port):
    port = free_port()
    start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path), "-logLevel", "INFO",
          "-logLineMaxSize", "100", port=port).stop()
    assert "LINE TOO LONG" in (tmp_path / "contextBroker.log").read_text().splitlines()


def test_orion_environment_variables_start_the_broker(start, tmp_path, free_port):
    port = free_port()
    environment = {"ORION_PORT": str(port), "ORION_MONGO_URI": "mongodb://mongo:27017", "ORION_MONGO_DB": "envdb",
                   "ORION_NOTIF_MODE": "threadpool:10:2", "ORION_LOG_LEVEL": "INFO", "ORION_TRQ_POOL_SIZE": "4",
                   "ORION_LOG_DIR": str(tmp_path), "ORION_PID_PATH": str(tmp_path / "env.pid"),
                   "ORION_MULTI_SERVICE": "TRUE"}
    broker = start(environment=environment, port=port)
    created = requests.post(broker.url + "/v2/entities", json={"id": "E", "type": "T"},
                            headers={"Fiware-Service": "acme"}, timeout=5)
    assert created.status_code == 201
    assert (tmp_path / "atrium-data" / "context-broker" / "envdb-acme.sqlite").exists()
    assert (tmp_path / "env.pid").exists()
    broker.stop()
    log = (tmp_path / "contextBroker.log").read_text()
    assert f"msg=env var ORION_PORT (-port): {port}" in log
    assert "msg=env var ORION_NOTIF_MODE (-notificationMode): threadpool:10:2" in log


def test_command_line_wins_over_the_environment(start, tmp_path, free_port):
    port = free_port()
    start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path),
          environment={"ORION_PORT": "1"}, port=port).stop()


@pytest.mark.parametrize("flags, first_lines", [
    (["-port", "70000"], ["contextBroker: value 70000 for option '-port' not within limits",
                          "               1 <= 70000 <= 65535 (command line argument)", ""]),
    (["-corsMaxAge", "90000"], ["contextBroker: value 90000 for option '-corsMaxAge' not within limits",
                                "               -1 <= 90000 <= 86400 (command line argument)", ""]),
    (["-port", "abc"], ["bad string in integer conversion: 'abc'", ""]),
    (["-noSuchFlag"], ["option '-noSuchFlag' not recognized", ""]),
    (["-rplSet", "rs0"], ["option '-rplSet' not recognized", "", "parameter 'rs0' not recognized", ""]),
    (["-dbhost", "localhost"], ["parameter 'localhost' not recognized", ""]),
    (["-multiserviceX"], ["option '-multiserviceX' not recognized", ""]),
    (["-t", "0-255"], ["incompatible options: traceLevels cannot be used without setting -logLevel to DEBUG"]),
])
def test_refused_command_lines_print_orions_message_then_the_usage(atrium_bin, tmp_path, flags, first_lines):
    result = run_broker(atrium_bin, tmp_path, *flags)
    assert result.returncode == 0  # Orion's usage printer exits with 0
    lines = result.stdout.decode().split("\n")
    assert lines[:len(first_lines)] == first_lines
    assert lines[len(first_lines)] == "Usage: contextBroker  [option '-U' (extended usage)]"
    assert result.stderr == b""
    assert not (tmp_path / "contextBroker.log").exists()


@pytest.mark.parametrize("flags, message", [
    (["-db", "elevenchars"], "dbName too long (max 10 characters)"),
    (["-ipv4", "-ipv6"], "Fatal Error (-ipv4 and -ipv6 can not be activated at the same time. They are incompatible)"),
    (["-https", "-cert", "c.pem"], "Fatal Error (when option '-https' is used, option '-key' is mandatory)"),
    (["-notificationMode", "threadpool:0:5"], "Fatal Error parsing notification mode: invalid queue size (0)"),
    (["-notificationMode", "sometimes"], "Fatal Error parsing notification mode: invalid mode (sometimes)"),
    (["-notifFlowControl", "0.5:10:10"],
     "Fatal Error ('-notifFlowControl' must be used in combination with threadpool notification mode)"),
    (["-notificationMode", "threadpool", "-notifFlowControl", "2:10:10"],
     "Fatal Error parsing notification flow control: gauge must be between 0 and 1 and is 2.000000"),
    (["-https", "-key", "missing.key", "-cert", "missing.pem"],
     "Fatal Error (loading private server key from 'missing.key')"),
])
def test_fatal_combinations_exit_with_status_1(atrium_bin, tmp_path, flags, message):
    result = run_broker(atrium_bin, tmp_path, *flags)
    assert result.returncode == 1
    assert result.stderr == (message + "\n").encode()
    assert result.stdout == b""


def test_usage_extended_usage_version_and_help(atrium_bin, tmp_path):
    usage = run_broker(atrium_bin, tmp_path, "-u")
    assert usage.returncode == 0
    lines = usage.stdout.decode().split("\n")
    assert lines[0] == "Usage: contextBroker  [option '-U' (extended usage)]"
    assert lines[1] == "                      [option '-u' (usage)]"
    assert "                      [option '-port' <port to listen on>]" in lines
    assert "-harakiri" not in usage.stdout.decode()

    extended = run_broker(atrium_bin, tmp_path, "-U", "-port", "1900", environment={"ORION_MONGO_DB": "e"})
    assert extended.returncode == 1
    text = extended.stdout.decode()
    assert text.startswith("Extended Usage: contextBroker ")
    port_line = next(line for line in text.splitlines() if "'-port'" in line)
    assert "ORION_PORT" in port_line and "1 <= 1900 /1026/ <= 65535" in port_line
    assert port_line.endswith("(command line argument)")

    for flag in ("--version",):
        version = run_broker(atrium_bin, tmp_path, flag)
        assert version.returncode == 0
        lines = version.stdout.decode().split("\n")
        assert re.fullmatch(r"\d+\.\d+\.\d+ \(git version: \S+\)", lines[0])
        assert "Atrium" in version.stdout.decode() and "Telefonica" not in version.stdout.decode()
    # Orion's parser has no single-dash -version.
    assert run_broker(atrium_bin, tmp_path, "-version").stdout.startswith(b"option '-version' not recognized")

    help_text = run_broker(atrium_bin, tmp_path, "--help")
    assert help_text.returncode == 1
    assert help_text.stdout.startswith(b"Usage: contextBroker [options]\nOptions:\n")


def test_a_symlink_named_contextBroker_is_the_broker(atrium_bin, start, tmp_path, free_port):
    link = tmp_path / "bin" / "contextBroker"
    link.parent.mkdir()
    link.symlink_to(atrium_bin)
    usage = subprocess.run([str(link), "-u"], capture_output=True, timeout=30)
    assert usage.returncode == 0
    assert usage.stdout.startswith(b"Usage: contextBroker  [option '-U' (extended usage)]")
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "l.pid"), "-logDir", str(tmp_path),
                   binary=str(link), port=port)
    assert broker.get("/version").json()["orion"]["version"] == "4.7.0"


def test_cors_headers(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path),
                   "-corsOrigin", "__ALL", "-corsMaxAge", "600", port=port)
    plain = broker.get("/v2/entities", headers={"Origin": "https://app.example"})
    assert plain.status_code == 200
    assert plain.headers["Access-Control-Allow-Origin"] == "*"
    assert plain.headers["Access-Control-Expose-Headers"] == "Fiware-Correlator, Fiware-Total-Count, Location"
    assert "Access-Control-Max-Age" not in plain.headers

    preflight = requests.options(broker.url + "/v2/entities", timeout=5,
                                 headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert preflight.headers["Access-Control-Max-Age"] == "600"
    assert preflight.headers["Access-Control-Allow-Headers"] == (
        "Content-Type, Fiware-Service, Fiware-Servicepath, Ngsiv2-AttrsFormat, Fiware-Correlator, X-Forwarded-For, "
        "X-Real-IP, X-Auth-Token, Authorization")
    # Without an Origin header, no CORS header.
    assert "Access-Control-Allow-Origin" not in broker.get("/v2/entities").headers


def test_cors_for_one_origin_and_options_without_cors(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path),
                   "-corsOrigin", "https://app.example", port=port)
    assert broker.get("/v2/types", headers={"Origin": "https://app.example"}).headers[
        "Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in broker.get("/v2/types", headers={"Origin": "https://x.example"}).headers
    preflight = requests.options(broker.url + "/v2/entities/E1/attrs", timeout=5,
                                 headers={"Origin": "https://app.example"})
    assert preflight.headers["Access-Control-Max-Age"] == "86400"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, POST, PATCH, PUT, OPTIONS"

    port = free_port()
    plain = start("-port", str(port), "-pidpath", str(tmp_path / "b.pid"), "-logDir", str(tmp_path), port=port)
    assert requests.options(plain.url + "/v2/entities", timeout=5).status_code == 405


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_https_with_a_self_signed_certificate(start, tmp_path, free_port):
    key, certificate = tmp_path / "server.key", tmp_path / "server.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(certificate), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path), "-https",
                   "-key", str(key), "-cert", str(certificate), scheme="https", verify=str(certificate), port=port)
    answer = broker.get("/version")
    assert answer.status_code == 200
    assert answer.json()["orion"]["version"] == "4.7.0"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/version", timeout=5)


def test_ipv4_only_listener(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path), "-ipv4",
                   port=port)
    assert broker.get("/version").status_code == 200
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://[::1]:{port}/version", timeout=5)


def test_info_level_logs_each_request_with_its_transaction_fields(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path),
                   "-logLevel", "INFO", "-logInfoPayloadMaxSize", "10", "-multiservice", port=port)
    requests.post(broker.url + "/v2/entities", json={"id": "Room1", "type": "Room"}, timeout=5,
                  headers={"Fiware-Service": "s1", "Fiware-ServicePath": "/A", "Fiware-Correlator": "corr-1"})
    broker.get("/v2/entities?type=Room", headers={"X-Real-IP": "10.1.2.3"})
    broker.stop()
    log = (tmp_path / "contextBroker.log").read_text().splitlines()
    assert any(line.endswith("| msg=Request received: GET /version, response code: 200") for line in log)
    lines = [line for line in log if "Request received: " in line and " /v2/" in line]
    assert len(lines) == 2
    assert re.search(r"\| corr=corr-1 \| trans=\d+-\d{3}-\d{11} \| from=127\.0\.0\.1 \| srv=s1 \| subsrv=/A \|",
                     lines[0])
    assert re.search(r'\| msg=Request received: POST /v2/entities, request payload \(\d+ bytes\): '
                     r'\{"id": "Ro\(\.\.\.\), response code: 201$', lines[0])
    assert "| from=10.1.2.3 | srv=<none> | subsrv=<none> |" in lines[1]
    assert lines[1].endswith("| msg=Request received: GET /v2/entities?type=Room, response code: 200")


def test_admin_log_changes_the_level_of_the_log_file(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path), port=port)
    broker.get("/v2/entities")
    assert requests.put(broker.url + "/admin/log?level=INFO", timeout=5).status_code == 200
    broker.get("/v2/types")
    broker.stop()
    log = (tmp_path / "contextBroker.log").read_text()
    assert "Request received: GET /v2/entities," not in log
    assert "Request received: GET /v2/types, response code: 200" in log


def test_orions_docker_entrypoint_logs_orion_lines_on_standard_output(start, tmp_path, free_port):
    # ENTRYPOINT ["/usr/bin/contextBroker", "-fg", "-multiservice", "-disableFileLog"], plus the user's flags.
    port = free_port()
    broker = start("-fg", "-multiservice", "-disableFileLog", "-dbURI", "mongodb://mongo:27017", "-port", str(port),
                   "-pidpath", str(tmp_path / "a.pid"), "-logLevel", "INFO", port=port)
    assert broker.get("/v2/entities?limit=1").status_code == 200  # the image's health check
    broker.stop()
    output = (tmp_path / "process-output.txt").read_text().splitlines()
    orion_lines = [line for line in output if line.startswith("time=")]
    assert orion_lines and all(LOG_LINE.match(line) for line in orion_lines)
    assert any("msg=Request received: GET /v2/entities?limit=1, response code: 200" in line for line in orion_lines)
    assert not (tmp_path / "contextBroker.log").exists()


def test_max_connections_closes_connections_beyond_the_limit(start, tmp_path, free_port):
    port = free_port()
    broker = start("-port", str(port), "-pidpath", str(tmp_path / "a.pid"), "-logDir", str(tmp_path),
                   "-maxConnections", "1", port=port)
    # The held connection must be the one counted: the start-up probe's may still be open for a moment, and then
    # the server closes the held one instead. A keep-alive request answered on it proves it was accepted.
    deadline = time.monotonic() + 10
    while True:
        held = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            held.request("GET", "/version")
            response = held.getresponse()
            response.read()
            if response.status == 200:
                break
        except (OSError, http.client.HTTPException):
            pass
        held.close()
        if time.monotonic() > deadline:
            raise AssertionError("no connection was accepted")
        time.sleep(0.05)
    try:
        with pytest.raises(requests.ConnectionError):
            requests.get(broker.url + "/version", timeout=5)
    finally:
        held.close()
    deadline = time.monotonic() + 10
    while True:
        try:
            assert broker.get("/version").status_code == 200
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
