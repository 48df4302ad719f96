"""Fixtures that start Atrium's context broker on a free loopback port with a fresh data folder."""

import os
import random
import socket
import subprocess
import time

import pytest
import requests


def _free_port():
    """A free loopback port: from $ATRIUM_TEST_PORTS (`LOW-HIGH`) when set, else any the system gives."""
    ports = os.environ.get("ATRIUM_TEST_PORTS")
    if ports:
        low, high = (int(bound) for bound in ports.split("-"))
        candidates = list(range(low, high + 1))
        random.shuffle(candidates)
        for port in candidates:
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError("no free port in ATRIUM_TEST_PORTS=" + ports)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """A running `atrium context-broker` process and its base URL."""

    def __init__(self, binary, tmp_path, *flags):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp_path / "broker.log", "wb")
        self.process = subprocess.Popen(
            [binary, "context-broker", "-port", str(self.port), "-dataFolder", str(tmp_path / "data"),
             # Orion writes /tmp/contextBroker.pid and /tmp/contextBroker.log by default: keep each broker's apart.
             "-pidpath", str(tmp_path / f"contextBroker-{self.port}.pid"), "-logDir", str(tmp_path), "-fg", *flags],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(self.url + "/version", timeout=1)
                break
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the broker did not start; see " + str(tmp_path / "broker.log"))
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def broker_with_flags(atrium_bin, tmp_path):
    """Starts a broker with extra command-line flags; stops it at the end of the test."""
    started = []

    def start(*flags):
        started.append(Broker(atrium_bin, tmp_path, *flags))
        return started[-1]

    yield start
    for broker in started:
        broker.stop()


@pytest.fixture
def free_port():
    """Returns a function that finds a free loopback port."""
    return _free_port


@pytest.fixture
def broker(atrium_bin, tmp_path):
    running = Broker(atrium_bin, tmp_path, "-reqMutexPolicy", "none")
    yield running
    running.stop()


@pytest.fixture
def multiservice_broker(atrium_bin, tmp_path):
    running = Broker(atrium_bin, tmp_path, "-multiservice", "-inReqPayloadMaxSize", "2000")
    yield running
    running.stop()


@pytest.fixture
def receiver():
    """A notification receiver on a free loopback port (see receiver.py)."""
    from receiver import Receiver

    running = Receiver(_free_port())
    yield running
    running.stop()


@pytest.fixture
def mosquitto(tmp_path):
    """Starts a private mosquitto on a free loopback port: `mosquitto(users={...})`; stopped at the end."""
    from mosquitto import Mosquitto

    started = []

    def start(users=None):
        folder = tmp_path / f"mosquitto-{len(started)}"
        folder.mkdir()
        started.append(Mosquitto(_free_port(), folder, users))
        return started[-1]

    yield start
    for broker in started:
        broker.stop()
