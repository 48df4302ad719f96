"""`/statistics` with -statSemWait and -statTiming: Orion's blocks, filled with measured times."""

import requests

from test_wire_format import create


def test_statistics_blocks_hold_measured_times(broker_with_flags):
    broker = broker_with_flags("-statSemWait", "-statTiming", "-reqMutexPolicy", "all")
    try:
        create(broker, {"id": "E", "type": "T", "n": {"value": 1}})
        assert requests.get(broker.url + "/v2/entities").status_code == 200
        statistics = requests.get(broker.url + "/statistics").json()
        assert list(statistics) == ["semWait", "timing", "uptime_in_secs", "measuring_interval_in_secs"]
        assert list(statistics["semWait"]) == [
            "request", "dbConnectionPool", "transaction", "subCache", "metrics", "connectionContext", "timeStat"]
        assert statistics["semWait"]["transaction"] > 0 and statistics["semWait"]["dbConnectionPool"] > 0
        accumulated = statistics["timing"]["accumulated"]
        assert list(accumulated) == ["jsonV2Parse", "render", "total"]
        assert all(isinstance(value, (int, float)) and value > 0 for value in accumulated.values())
        assert accumulated["total"] >= statistics["timing"]["last"]["total"]
        assert requests.delete(broker.url + "/statistics").status_code == 200
        # Only the DELETE itself has been measured since the reset.
        after = requests.get(broker.url + "/statistics").json()
        assert after["timing"]["accumulated"]["total"] < accumulated["total"]
        assert after["semWait"]["transaction"] == 0
    finally:
        broker.stop()
