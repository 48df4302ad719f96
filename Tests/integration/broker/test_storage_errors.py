"""A storage failure reaches the client as Orion's generic 500, with the detail only in the log."""

import sqlite3

import requests

JSON = {"Content-Type": "application/json"}


def test_a_corrupted_row_answers_the_generic_internal_error(broker, tmp_path):
    created = requests.post(broker.url + "/v2/entities", data='{"id":"E1","type":"T","a":{"value":1}}',
                            headers=JSON, timeout=10)
    assert created.status_code == 201
    files = sorted((tmp_path / "data").rglob("*.sqlite"))
    assert files, "no database file in the data folder"
    connection = sqlite3.connect(files[0], timeout=10)
    with connection:
        connection.execute("UPDATE entities SET attrs = '[1]' WHERE id = 'E1'")
    connection.close()

    response = requests.get(broker.url + "/v2/entities/E1", timeout=10)
    assert response.status_code == 500
    assert response.text == '{"error":"InternalServerError","description":"Internal Server Error"}'
    log = (tmp_path / "broker.log").read_text() + "".join(p.read_text() for p in tmp_path.glob("*.log"))
    assert "corrupted record" in log
