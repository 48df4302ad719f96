"""Fixtures that start Atrium's context broker on a free loopback port with a fresh data folder."""

import os
import socket
import subprocess
import time

import pytest
import requests


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broker:
    """A running `atrium context-broker` process and its base URL."""

    def __init__(self, tmp_path, *flags):
        binary = os.environ.get("ATRIUM_BIN")
        if not binary:
            pytest.skip("ATRIUM_BIN is not set (scripts/test exports it)")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp_path / "broker.log", "wb")
        self.process = subprocess.Popen(
            [binary, "context-broker", "-port", str(self.port), "-dataFolder", str(tmp_path / "data"), *flags],
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
def broker(tmp_path):
    running = Broker(tmp_path, "-reqMutexPolicy", "none")
    yield running
    running.stop()


@pytest.fixture
def multiservice_broker(tmp_path):
    running = Broker(tmp_path, "-multiservice", "-inReqPayloadMaxSize", "2000")
    yield running
    running.stop()
