#!/usr/bin/env python3
"""Runs Orion's own functional-test cases (`.test` files of Orion's `test/functionalTest/cases`, from a checkout
of Orion that you provide) against Atrium's context broker, and reports how many pass.

Each case is run as Orion's harness runs it: its SHELL-INIT, SHELL and TEARDOWN parts are bash scripts, run in a
fresh folder with the harness functions of `harness.bash`; a part fails when it exits with a status other than 0
or writes on standard error; the output of SHELL must match REGEXPECT line by line. The broker is Atrium, through a
symlink named `contextBroker`, started with Orion's harness command line.

Notifications are received by accumulator.py (see harness.bash), MQTT ones through a mosquitto that this runner
starts. Cases that need what Atrium's broker does not have yet or never will (a MongoDB shell, registrations,
NGSIv1, several brokers, Kafka, JEXL expressions, Orion's scripts) are counted apart as not portable, each with
its reason.

    python3 Tests/orion-functional/run.py --atrium .build/debug/atrium ORION/test/functionalTest/cases
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HOME = os.path.dirname(os.path.abspath(__file__))

# What accumulator.py and harness.bash give the cases that receive notifications.
ACCUMULATOR_FUNCTIONS = {f"accumulator{number}{verb}" for number in ("", "2", "3")
                         for verb in ("Start", "Stop", "Dump", "Reset", "Count")}

# Why a case cannot run here: the first pattern found in its scripts names the reason.
NOT_PORTABLE = [
    (re.compile(r"/v2/registrations"), "registrations"),
    (re.compile(r"\bmongoCmd\w*|\bdbInsertEntity\b|\bmongo(sh)?\b|\bdbList\b"), "reads or writes MongoDB"),
    (re.compile(r"\bCP[1-5]\b|\bbrokerStart\s+(?!CB\b)\S+"), "several brokers"),
    (re.compile(r"/v1/|/ngsi10/|/ngsi9/|NGSI10|NGSI9"), "NGSIv1"),
    (re.compile(r"orionld|ngsi-ld", re.I), "Orion-LD"),
    (re.compile(r"kafka", re.I), "Kafka notifications"),
    (re.compile(r"\$REPO_HOME|\$SCRIPT_HOME|\.py\b|\bvalgrind\b(?!Sleep)"), "needs Orion's scripts or valgrind"),
    (re.compile(r"\bjexl\b|\$\{[^}$\"\n]*(?:[-+*/%<>=!?|&()\[\]']|\.\w)[^}$\"\n]*\}", re.I),
     "JEXL expressions (Atrium has only basic macro replacement)"),
    (re.compile(r"--https\b|https://localhost"), "HTTPS notifications"),
]

# Bash expansions of the harness's own variables, which are no macros of a subscription.
BASH_EXPANSIONS = re.compile(r"\$\{(?:LISTENER\d?_PORT|CB_PORT|MQTT_\w+|[A-Z_0-9]+(?::[-=?+][^}]*)?|[a-z_]+#.*?|\w+:\d+(?::\d+)?)\}")


def sections(text):
    """The parts of a case, as Orion's harness cuts them: from the line holding the marker to the next line that
    starts with `--`, without the lines that start with `--`."""
    lines = text.splitlines(keepends=True)
    parts = {}
    for name, marker in (("name", "--NAME--"), ("init", "--SHELL-INIT--"), ("shell", "--SHELL--"),
                         ("expect", "--REGEXPECT--"), ("teardown", "--TEARDOWN--")):
        starts = [index for index, line in enumerate(lines) if marker in line]
        if len(starts) != 1:
            parts[name] = None
            continue
        collected = []
        for line in lines[starts[0] + 1:]:
            if line.startswith("--"):
                break
            collected.append(line)
        parts[name] = "".join(collected)
    return parts


def without_comments(script):
    """A script without its comment lines (which may name Orion's scripts, as in "the lock in
    accumulator-server.py")."""
    return "".join(line for line in (script or "").splitlines(keepends=True) if not line.lstrip().startswith("#"))


def not_portable(parts):
    scripts = "".join(without_comments(parts[name]) for name in ("init", "shell", "teardown")) + (parts["expect"] or "")
    for pattern, reason in NOT_PORTABLE:
        if pattern.search(BASH_EXPANSIONS.sub("", scripts) if reason.startswith("JEXL") else scripts):
            return reason
    commands = "".join(without_comments(parts[name]) for name in ("init", "shell", "teardown"))
    missing = sorted({name for name in re.findall(r"\b(accumulator\w*)", commands)} - ACCUMULATOR_FUNCTIONS
                     - {"accumulator"})
    if missing:
        return "calls what the accumulator does not offer: " + ", ".join(missing)
    return None


def sort_blocks(lines):
    """The lines without the `#SORT_START`/`#SORT_END` markers, and the (start, end) spans of the blocks that
    they marked, whose lines are compared in any order, as Orion's block diff does."""
    result, spans, start = [], [], None
    for line in lines:
        if line == "#SORT_START":
            start = len(result)
        elif line == "#SORT_END" and start is not None:
            spans.append((start, len(result)))
            start = None
        else:
            result.append(line)
    return result, spans


def block_difference(wanted, got):
    """None when every expected line of a sorted block matches a line of the output's block of the same length,
    each used once (plain lines first, then REGEX lines), or the first expected line left without a match."""
    left = list(got)
    for want in sorted(wanted, key=lambda line: "REGEX(" in line):
        found = next((index for index, have in enumerate(left) if line_matches(want, have)), None)
        if found is None:
            return want
        del left[found]
    return None


NOTIFICATION_LINE = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE) https?://")


def header_blocks_by_name(lines, expected, notifications=False):
    """Orion 3 changed the order of its response headers (and dropped `Content-Length: 0` from 204 answers) when
    it moved to a newer libmicrohttpd; cases written before still expect the old order. Here the header lines of
    each response are put in the order of their names, and an expected `Content-Length: 0` of a 204 is dropped.
    With `notifications`, the headers of each notification that the accumulator prints are put in the order of
    their names too (Orion's libcurl and Atrium do not send them in the same order)."""
    result, block, status = [], None, ""
    for line in lines:
        if block is None:
            result.append(line)
            if line.startswith("HTTP/1.1 ") or (notifications and NOTIFICATION_LINE.match(line)):
                block, status = [], line
            continue
        if line == "":
            result.extend(sorted(block, key=lambda header: header.split(":", 1)[0].lower()))
            result.append(line)
            block = None
            continue
        if expected and status.startswith("HTTP/1.1 204") and line == "Content-Length: 0":
            continue
        block.append(line)
    if block is not None:
        result.extend(block)
    return result


# Reason phrases renamed by RFC 9110, which the libmicrohttpd of Orion 4.7 uses; older cases have the old ones.
RENAMED_REASONS = {
    "HTTP/1.1 422 Unprocessable Entity": "HTTP/1.1 422 Unprocessable Content",
    "HTTP/1.1 413 Payload Too Large": "HTTP/1.1 413 Content Too Large",
    "HTTP/1.1 413 Request Entity Too Large": "HTTP/1.1 413 Content Too Large",
}

# What shows that a case was written for an Orion much older than 4.7 (the stored copy of a case may be an old
# revision): answers without the Fiware-Correlator header (Orion before 1.0), attribute types `none`/null/""
# and the harness's `--json` option of the same era.
STALE_MARKERS = [
    (re.compile(r'"type": (?:"none"|null|"")|\?type=none\b'), "attribute types none/null (Orion < 1.0)"),
    (re.compile(r"orionCurl[^\n]*\s--json\b"), "the harness's --json option (Orion < 1.0)"),
    (re.compile(r"^X-Total-Count:", re.M), "the X-Total-Count header (Orion < 1.0)"),
    (re.compile(r'"orionError"'), "NGSIv1 error bodies (Orion < 1.0)"),
]


def stale_reason(parts):
    """Why the case's expected output is that of an Orion long before 4.7, or None."""
    expected = parts["expect"] or ""
    for block in re.finditer(r"^HTTP/1\.1 \d{3}.*?(?:\n\n|\Z)", expected, re.S | re.M):
        if "Fiware-Correlator" not in block.group(0):
            return "answers without Fiware-Correlator (Orion < 1.0)"
    for pattern, reason in STALE_MARKERS:
        if pattern.search(expected) or pattern.search(parts["shell"] or ""):
            return reason
    return None


def compare(expected, output, any_header_order=False, notification_header_order=None):
    """The first difference between REGEXPECT and the output, or None. Each line is compared without trailing
    white space; a line with `REGEX(…)` is a regular expression (its text before and after included) that must
    match from the start of the output line. With `any_header_order`, response headers are compared whatever
    their order, and so are notification headers unless `notification_header_order` is True."""
    wanted = [line.rstrip() for line in expected.splitlines()]
    got = [line.rstrip() for line in output.splitlines()]
    if any_header_order:
        notifications = not notification_header_order
        wanted = [RENAMED_REASONS.get(line, line) for line in wanted]
        wanted = header_blocks_by_name(wanted, expected=True, notifications=notifications)
        got = header_blocks_by_name(got, expected=False, notifications=notifications)
    wanted, spans = sort_blocks(wanted)
    # empty lines at the very end are not compared (a case may expect one `echo` fewer at its end)
    while wanted and wanted[-1] == "" and all(end < len(wanted) for _, end in spans):
        wanted.pop()
    while got and got[-1] == "":
        got.pop()
    if not got:
        return "the output is empty"
    if len(wanted) != len(got):
        first = next((i for i, (w, g) in enumerate(zip(wanted, got)) if not line_matches(w, g)), None)
        where = f"; first difference at line {first + 1}: expected {wanted[first]!r}, got {got[first]!r}" \
            if first is not None else ""
        return f"{len(got)} lines instead of {len(wanted)}{where}"
    inside = {index for start, end in spans for index in range(start, end)}
    for number, (want, have) in enumerate(zip(wanted, got), start=1):
        if number - 1 not in inside and not line_matches(want, have):
            return f"line {number}: expected {want!r}, got {have!r}"
    for start, end in spans:
        missing = block_difference(wanted[start:end], got[start:end])
        if missing is not None:
            return f"lines {start + 1}-{end} (compared in any order): nothing matches {missing!r}"
    return None


def line_matches(want, have):
    found = re.match(r"(.*)REGEX\((.*)\)(.*)", want)
    if found is None:
        return want == have
    try:
        return re.match(found.group(1) + found.group(2) + found.group(3), have) is not None
    except re.error:
        return False


def run_part(script, work, environment, timeout=120):
    path = os.path.join(work, "part.sh")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as out:
        out.write(script)
    try:
        done = subprocess.run(["bash", path], cwd=work, env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out"
    return (done.returncode, done.stdout.decode("utf-8", errors="surrogateescape"),
            done.stderr.decode("utf-8", errors="surrogateescape"))


def run_case(parts, work, environment, any_header_order):
    """Runs one case; returns None when it passes, or why it fails."""
    try:
        status, _, errors = run_part(parts["init"], work, environment)
        if errors.strip():
            return "SHELL-INIT wrote on standard error: " + errors.strip().splitlines()[0]
        if status != 0:
            return f"SHELL-INIT exited with {status}"
        status, output, errors = run_part(parts["shell"], work, environment)
        if errors.strip():
            return "SHELL wrote on standard error: " + errors.strip().splitlines()[0]
        if status != 0:
            return f"SHELL exited with {status}"
        difference = compare(parts["expect"], output, any_header_order)
        with open(os.path.join(work, "shell.out"), "w", encoding="utf-8", errors="surrogateescape") as out:
            out.write(output)
        if difference is None and any_header_order and compare(parts["expect"], output, True, True) is not None:
            with open(os.path.join(work, ".notification-header-order"), "w") as out:
                out.write("passes with the notification headers compared in any order\n")
        return difference
    finally:
        run_part(parts["teardown"] or "", work, environment)
        run_part("localBrokerStop\naccumulatorStopAll\n", work, environment)


def start_mosquitto(port, scratch):
    """A mosquitto of our own on localhost:PORT for the MQTT cases (their subscriptions name mqtt://localhost:1883),
    or None when one cannot be started (a broker already listening there is then used as it is)."""
    executable = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None)
    if executable is None:
        return None
    configuration = os.path.join(scratch, "mosquitto.conf")
    with open(configuration, "w") as out:
        out.write(f"listener {port} 127.0.0.1\nlistener {port} ::1\nallow_anonymous true\npersistence false\n")
    process = subprocess.Popen([executable, "-c", configuration], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(0.5)
    if process.poll() is not None:
        return None
    return process


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", help="a folder of Orion .test files (searched recursively), or one file")
    parser.add_argument("--atrium", required=True, help="the atrium executable")
    parser.add_argument("--match", default="", help="only the cases whose path contains this text")
    parser.add_argument("--port", type=int, default=9999, help="CB_PORT [9999]")
    parser.add_argument("--listener-ports", type=lambda text: [int(port) for port in text.split(",")],
                        default=[9997, 9977, 9964], help="LISTENER_PORT,LISTENER2_PORT,LISTENER3_PORT [9997,9977,9964]")
    parser.add_argument("--mqtt-port", type=int, default=1883,
                        help="MQTT_PORT: a mosquitto is started there for the cases that need one [1883]")
    parser.add_argument("--tries", type=int, default=2, help="attempts per case, as Orion's harness retries [2]")
    parser.add_argument("--any-header-order", action="store_true",
                        help="compare response headers whatever their order (cases written before Orion 3)")
    parser.add_argument("--report", help="write the results as JSON to this file")
    parser.add_argument("--keep", help="keep the output of failing cases in this folder")
    arguments = parser.parse_args()

    if os.path.isfile(arguments.cases):
        root, files = os.path.dirname(arguments.cases), [os.path.basename(arguments.cases)]
    else:
        root = arguments.cases
        files = sorted(os.path.relpath(os.path.join(folder, name), root)
                       for folder, _, names in os.walk(root) for name in names if name.endswith(".test"))
    files = [name for name in files if arguments.match in name]

    scratch = tempfile.mkdtemp(prefix="atrium-orion-functional-")
    binaries = os.path.join(scratch, "bin")
    os.makedirs(binaries)
    os.symlink(os.path.abspath(arguments.atrium), os.path.join(binaries, "contextBroker"))
    work = os.path.join(scratch, "work")
    environment = {**os.environ, "LC_ALL": "C", "PATH": binaries + os.pathsep + os.environ["PATH"],
                   "BASH_ENV": os.path.join(HOME, "harness.bash"), "ATRIUM_OFT_HOME": HOME,
                   "ATRIUM_OFT_WORK": work, "CB_PORT": str(arguments.port),
                   "CB_PID_FILE": f"/tmp/orion_{arguments.port}.pid", "CB_DB_NAME": "ftest",
                   "CONTEXTBROKER_TESTENV_SOURCED": "YES", "CB_THREADPOOL": "ON",
                   "LISTENER_PORT": str(arguments.listener_ports[0]),
                   "LISTENER2_PORT": str(arguments.listener_ports[1]),
                   "LISTENER3_PORT": str(arguments.listener_ports[2]),
                   "MQTT_HOST": "localhost", "MQTT_PORT": str(arguments.mqtt_port)}

    results = []
    started = time.monotonic()
    mosquitto = None
    for number, name in enumerate(files, start=1):
        with open(os.path.join(root, name), encoding="utf-8", errors="surrogateescape") as case:
            parts = sections(case.read())
        missing = [part for part in ("name", "init", "shell", "expect", "teardown") if parts[part] is None]
        if missing:
            results.append({"case": name, "result": "not portable", "why": "malformed: no " + ", ".join(missing)})
            continue
        reason = not_portable(parts)
        if reason:
            results.append({"case": name, "result": "not portable", "why": reason})
            continue
        if mosquitto is None and re.search(r"mqtt", parts["shell"] + parts["init"], re.I):
            mosquitto = start_mosquitto(arguments.mqtt_port, scratch) or False
        failure = None
        for _ in range(max(1, arguments.tries)):
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            failure = run_case(parts, work, environment, arguments.any_header_order)
            if failure is None:
                break
        if failure and arguments.keep:
            kept = os.path.join(arguments.keep, name.replace("/", "__"))
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(work, kept)
            log = "/tmp/contextBroker.log"
            if os.path.exists(log):
                shutil.copy(log, kept)
        outcome = "pass"
        note = None
        if failure is None and os.path.exists(os.path.join(work, ".notification-header-order")):
            note = "notification headers in another order than Orion's"
        if failure:
            stale = stale_reason(parts) if arguments.any_header_order else None
            outcome = "stale" if stale else "fail"
            failure = f"{failure} [stale case: {stale}]" if stale else failure
        results.append({"case": name, "result": outcome, "why": failure, **({"note": note} if note else {})})
        label = {"pass": "ok   ", "fail": "FAIL ", "stale": "stale"}[outcome]
        print(f"{number:4d}/{len(files)} {label} {name}" + (f"\n          {failure}" if failure else ""), flush=True)
    if mosquitto:
        mosquitto.terminate()
        mosquitto.wait()
    shutil.rmtree(scratch, ignore_errors=True)

    passed = sum(result["result"] == "pass" for result in results)
    failed = sum(result["result"] == "fail" for result in results)
    stale = sum(result["result"] == "stale" for result in results)
    skipped = len(results) - passed - failed - stale
    portable = passed + failed + stale
    print(f"\n{len(results)} cases: {portable} portable, {skipped} not portable; {passed} passed, {failed} failed, "
          f"{stale} failed and written for an Orion older than 1.0; "
          f"{100.0 * passed / (passed + failed) if passed + failed else 0:.1f}% of the portable cases written for "
          f"Orion 1.0 or later, {100.0 * passed / portable if portable else 0:.1f}% of all the portable ones; "
          f"in {time.monotonic() - started:.0f} s")
    reasons = {}
    for result in results:
        if result["result"] == "not portable":
            reasons[result["why"]] = reasons.get(result["why"], 0) + 1
    for why, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  not portable: {count:4d} {why}")
    if arguments.report:
        with open(arguments.report, "w") as out:
            json.dump({"passed": passed, "failed": failed, "stale": stale, "notPortable": skipped, "cases": results}, out, indent=1)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
