"""The broker started by `atrium --config FILE` with a ContextBroker section, and Orion flags on the command line."""

import json
import subprocess
import time

import requests


def wait_until_up(url, process, deadline=30):
    end = time.monotonic() + deadline
    while True:
        try:
            return requests.get(url + "/version", timeout=1)
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > end:
                raise RuntimeError("the broker did not start")
            time.sleep(0.05)


def test_configuration_section_with_orion_flags(atrium_bin, tmp_path, free_port):
    binary = atrium_bin
    port = free_port()
    database = tmp_path / "broker" / "orion.sqlite"
    config = tmp_path / "atrium.json"
    # The imaging server starts beside the broker: give it free ports of its own.
    config.write_text(json.dumps({"HttpPort": free_port(), "DicomPort": free_port(), "ContextBroker": {
        "Enabled": True, "Port": port, "Database": f"sqlite://{database}",
        "OrionFlags": ["-multiservice", "-statCounters"],
    }}))
    process = subprocess.Popen([binary, "--config", str(config)], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process)
        response = requests.post(url + "/v2/entities", json={"id": "E", "type": "T"}, headers={"Fiware-Service": "acme"})
        assert response.status_code == 201
        assert (tmp_path / "broker" / "orion-acme.sqlite").exists()
        assert requests.get(url + "/v2/entities").json() == []
        counters = requests.get(url + "/statistics").json()["counters"]
        assert counters["requests"]["/v2/entities"] == {"GET": 1, "POST": 1}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_bad_flag_in_the_configuration_file_is_refused(atrium_bin, tmp_path, free_port):
    config = tmp_path / "atrium.json"
    config.write_text(json.dumps({"ContextBroker": {"OrionFlags": ["-port", "70000"]}}))
    result = subprocess.run([atrium_bin, "--config", str(config)], capture_output=True, timeout=30, cwd=tmp_path)
    assert result.returncode != 0
    assert b"ContextBroker.OrionFlags: contextBroker: value 70000 for option '-port' not within limits" in result.stderr
