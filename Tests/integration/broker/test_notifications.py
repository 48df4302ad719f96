"""Notifications end to end: a subscription, a change, and the exact request a receiver gets (body, headers,
method, query), then the subscription's counters, throttling, oneshot, failures and maxFailsLimit, the delivery
modes and their statistics, and self-notification loop protection."""

import json
import time

import requests

CORRELATOR = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


def subscribe(broker, notification, subject=None, headers=None, **fields):
    payload = {"subject": subject or {"entities": [{"idPattern": ".*", "type": "Room"}]},
               "notification": notification, **fields}
    response = requests.post(broker.url + "/v2/subscriptions", json=payload, headers=headers or {})
    assert response.status_code == 201, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def subscription(broker, subscription_id, headers=None):
    response = requests.get(broker.url + "/v2/subscriptions/" + subscription_id, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def create_room(broker, headers=None, **attributes):
    entity = {"id": "Room1", "type": "Room",
              **{name: {"value": value, "type": "Number" if isinstance(value, (int, float)) else "Text"}
                 for name, value in attributes.items()}}
    response = requests.post(broker.url + "/v2/entities", json=entity,
                             headers={"Fiware-Correlator": CORRELATOR, **(headers or {})})
    assert response.status_code == 201, response.text


def update_room(broker, attributes, headers=None, params=None):
    response = requests.patch(broker.url + "/v2/entities/Room1/attrs", json=attributes,
                              headers={"Fiware-Correlator": CORRELATOR, **(headers or {})}, params=params or {})
    assert response.status_code == 204, response.text


def test_a_create_notifies_with_orions_body_and_headers(broker, receiver):
    subscription_id = subscribe(broker, {"http": {"url": receiver.url + "/notify"}})
    create_room(broker, temperature=23, name="Kitchen")
    [notification] = receiver.wait_for(1)
    assert notification.method == "POST"
    assert notification.path == "/notify"
    assert notification.text == (
        '{"subscriptionId":"' + subscription_id + '","data":[{"id":"Room1","type":"Room",'
        '"temperature":{"type":"Number","value":23,"metadata":{}},"name":{"type":"Text","value":"Kitchen","metadata":{}}}]}')
    assert [name for name, _ in notification.headers] == [
        "Host", "Content-Type", "Accept", "Fiware-ServicePath", "User-Agent", "Fiware-Correlator",
        "Ngsiv2-AttrsFormat", "Content-Length", "Connection"]
    assert notification.header("Host") == f"127.0.0.1:{receiver.port}"
    assert notification.header("Content-Type") == "application/json; charset=utf-8"
    assert notification.header("Accept") == "application/json"
    assert notification.header("Fiware-ServicePath") == "/"
    assert notification.header("User-Agent").startswith("orion/4.7.0")
    assert notification.header("Fiware-Correlator") == CORRELATOR + "; cbnotif=1"
    assert notification.header("Ngsiv2-AttrsFormat") == "normalized"
    assert notification.header("Content-Length") == str(len(notification.body))
    # The default mode, transient: a connection per notification.
    assert notification.header("Connection") == "close"


def test_changes_notify_and_updates_without_change_do_not(broker, receiver):
    subscribe(broker, {"http": {"url": receiver.url}, "attrsFormat": "keyValues"})
    create_room(broker, temperature=23)
    update_room(broker, {"temperature": {"value": 24}})
    update_room(broker, {"temperature": {"value": 24}})
    notifications = receiver.wait_for(2)
    assert [json.loads(n.body)["data"][0]["temperature"] for n in notifications] == [23, 24]
    assert len(receiver.quiet_for(0.5)) == 2


def test_every_format(broker, receiver):
    for format in ["keyValues", "values", "simplifiedNormalized", "simplifiedKeyValues"]:
        subscribe(broker, {"http": {"url": receiver.url + "/" + format}, "attrsFormat": format,
                           "attrs": ["temperature"]})
    create_room(broker, temperature=23, name="Kitchen")
    bodies = {n.path: (n.text, n.header("Ngsiv2-AttrsFormat")) for n in receiver.wait_for(4)}
    text, _ = bodies["/keyValues"]
    assert json.loads(text)["data"] == [{"id": "Room1", "type": "Room", "temperature": 23}]
    assert json.loads(bodies["/values"][0])["data"] == [[23]]
    assert bodies["/simplifiedNormalized"] == (
        '{"id":"Room1","type":"Room","temperature":{"type":"Number","value":23,"metadata":{}}}',
        "simplifiedNormalized")
    assert bodies["/simplifiedKeyValues"] == ('{"id":"Room1","type":"Room","temperature":23}', "simplifiedKeyValues")


def test_http_custom_with_macros(broker, receiver):
    subscribe(broker, {"httpCustom": {
        "url": receiver.url + "/rooms/${id}", "method": "PUT", "qs": {"t": "${temperature}"},
        "headers": {"X-Room": "${name}"}, "payload": "%22${id}%22 is at ${temperature}"}})
    create_room(broker, temperature=23, name="Kitchen")
    [notification] = receiver.wait_for(1)
    assert notification.method == "PUT"
    assert notification.path == "/rooms/Room1"
    assert notification.query == {"t": ["23"]}
    assert notification.header("X-Room") == "Kitchen"
    assert notification.header("Content-Type") == "text/plain; charset=utf-8"
    assert notification.header("Ngsiv2-AttrsFormat") == "custom"
    assert notification.text == '"Room1" is at 23'


def test_http_custom_json_keeps_the_macro_types(broker, receiver):
    subscribe(broker, {"httpCustom": {"url": receiver.url, "json": {"t": "${temperature}", "s": "T ${temperature}"}}})
    create_room(broker, temperature=23)
    [notification] = receiver.wait_for(1)
    assert notification.text == '{"t":23,"s":"T 23"}'


def test_counters_after_success_and_failure(broker, receiver, free_port):
    ok_id = subscribe(broker, {"http": {"url": receiver.url}})
    down_id = subscribe(broker, {"http": {"url": f"http://127.0.0.1:{free_port()}/down"}})
    create_room(broker, temperature=23)
    receiver.wait_for(1)
    deadline = time.monotonic() + 10
    while "failsCounter" not in subscription(broker, down_id)["notification"] and time.monotonic() < deadline:
        time.sleep(0.05)
    ok = subscription(broker, ok_id)["notification"]
    assert ok["timesSent"] == 1
    assert ok["lastSuccessCode"] == 200
    assert set(ok) >= {"lastNotification", "lastSuccess"}
    assert "failsCounter" not in ok and "lastFailure" not in ok
    down = subscription(broker, down_id)["notification"]
    assert down["timesSent"] == 1
    assert down["failsCounter"] == 1
    assert down["lastFailureReason"] == "Couldn't connect to server"
    assert "lastSuccess" not in down


def test_any_status_is_a_success_with_its_code(broker, receiver):
    receiver.status = 404
    subscription_id = subscribe(broker, {"http": {"url": receiver.url}})
    create_room(broker, temperature=23)
    receiver.wait_for(1)
    deadline = time.monotonic() + 10
    while "lastSuccessCode" not in subscription(broker, subscription_id)["notification"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert subscription(broker, subscription_id)["notification"]["lastSuccessCode"] == 404


def test_max_fails_limit_deactivates(broker, free_port):
    subscription_id = subscribe(broker, {"http": {"url": f"http://127.0.0.1:{free_port()}/"}, "maxFailsLimit": 1})
    create_room(broker, temperature=1)
    update_room(broker, {"temperature": {"value": 2}})
    deadline = time.monotonic() + 10
    while subscription(broker, subscription_id)["status"] != "inactive":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    got = subscription(broker, subscription_id)
    assert got["notification"]["failsCounter"] == 2
    update_room(broker, {"temperature": {"value": 3}})
    time.sleep(0.3)
    assert subscription(broker, subscription_id)["notification"]["timesSent"] == 2


def test_throttling_discards_inside_the_guard_period(broker, receiver):
    subscribe(broker, {"http": {"url": receiver.url}}, throttling=5)
    create_room(broker, temperature=1)
    update_room(broker, {"temperature": {"value": 2}})
    receiver.wait_for(1)
    assert len(receiver.quiet_for(0.5)) == 1


def test_oneshot_notifies_once_then_is_inactive(broker, receiver):
    subscription_id = subscribe(broker, {"http": {"url": receiver.url}}, status="oneshot")
    create_room(broker, temperature=1)
    update_room(broker, {"temperature": {"value": 2}})
    receiver.wait_for(1)
    assert len(receiver.quiet_for(0.5)) == 1
    assert subscription(broker, subscription_id)["status"] == "inactive"
    # Re-armed by a PATCH.
    response = requests.patch(broker.url + "/v2/subscriptions/" + subscription_id, json={"status": "oneshot"})
    assert response.status_code == 204
    update_room(broker, {"temperature": {"value": 3}})
    receiver.wait_for(2)


def test_entity_delete_and_alteration_type(broker, receiver):
    subscribe(broker, {"http": {"url": receiver.url}, "attrs": ["alterationType"]},
              subject={"entities": [{"id": "Room1"}], "condition": {"alterationTypes": ["entityDelete"]}})
    create_room(broker, temperature=1)
    assert requests.delete(broker.url + "/v2/entities/Room1").status_code == 204
    [notification] = receiver.wait_for(1)
    assert json.loads(notification.body)["data"] == [
        {"id": "Room1", "type": "Room", "alterationType": {"type": "Text", "value": "entityDelete", "metadata": {}}}]


def test_numbered_notifications_of_one_request(broker, receiver):
    for path in ["/a", "/b"]:
        subscribe(broker, {"http": {"url": receiver.url + path}})
    create_room(broker, temperature=1)
    correlators = sorted(n.header("Fiware-Correlator") for n in receiver.wait_for(2))
    assert correlators == [CORRELATOR + "; cbnotif=1", CORRELATOR + "; cbnotif=2"]


def test_self_notification_loop_protection(broker, receiver, tmp_path):
    subscribe(broker, {"http": {"url": receiver.url}})
    create_room(broker, temperature=1)
    receiver.wait_for(1)
    # The receiver writes back with the correlator of the notification it got: no new notification.
    update_room(broker, {"temperature": {"value": 2}}, headers={"Fiware-Correlator": CORRELATOR + "; cbnotif=1"})
    assert len(receiver.quiet_for(0.5)) == 1
    log = (tmp_path / "contextBroker.log").read_text()
    assert ("lvl=WARN" in log and
            "msg=Notification loop detected for entity id <Room1> type <Room>, skipping subscription triggering" in log)
    # Another request changes the entity: notified again.
    update_room(broker, {"temperature": {"value": 3}}, headers={"Fiware-Correlator": "another"})
    assert receiver.wait_for(2)[1].header("Fiware-Correlator") == "another; cbnotif=1"


def test_auth_token_and_tenant_reach_the_notification(broker_with_flags, receiver):
    broker = broker_with_flags("-multiservice")
    headers = {"Fiware-Service": "smart", "Fiware-ServicePath": "/floor1"}
    subscribe(broker, {"http": {"url": receiver.url}}, headers=headers)
    create_room(broker, headers={**headers, "X-Auth-Token": "t0ken"}, temperature=1)
    [notification] = receiver.wait_for(1)
    assert notification.header("Fiware-Service") == "smart"
    assert notification.header("Fiware-ServicePath") == "/floor1"
    assert notification.header("X-Auth-Token") == "t0ken"


def test_threadpool_statistics(broker_with_flags, receiver):
    broker = broker_with_flags("-notificationMode", "threadpool:10:2", "-statNotifQueue")
    subscribe(broker, {"http": {"url": receiver.url}})
    create_room(broker, temperature=1)
    for value in range(2, 6):
        update_room(broker, {"temperature": {"value": value}})
    receiver.wait_for(5)
    deadline = time.monotonic() + 5
    while True:
        queue = requests.get(broker.url + "/statistics").json()["notifQueue"]
        if queue["sentOk"] == 5 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert list(queue) == ["avgTimeInQueue", "in", "out", "reject", "sentOk", "sentError", "timeInQueue", "size"]
    assert (queue["in"], queue["out"], queue["reject"], queue["sentOk"], queue["sentError"], queue["size"]) == (
        5, 5, 0, 5, 0, 0)


def test_simulated_notifications_are_counted_not_sent(broker_with_flags, receiver):
    broker = broker_with_flags("-simulatedNotification")
    subscribe(broker, {"http": {"url": receiver.url}})
    create_room(broker, temperature=1)
    update_room(broker, {"temperature": {"value": 2}})
    deadline = time.monotonic() + 5
    while requests.get(broker.url + "/statistics").json().get("simulatedNotifications") != 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert receiver.quiet_for(0.3) == []


def test_counters_survive_a_restart(broker_with_flags, receiver):
    broker = broker_with_flags("-subCacheIval", "1")
    subscription_id = subscribe(broker, {"http": {"url": receiver.url}})
    create_room(broker, temperature=1)
    receiver.wait_for(1)
    broker.stop()
    # The same data folder.
    again = broker_with_flags()
    got = subscription(again, subscription_id)["notification"]
    assert got["timesSent"] == 1
    assert got["lastSuccessCode"] == 200


def test_retries_deliver_once_the_receiver_is_back(broker_with_flags, free_port):
    from receiver import Receiver

    port = free_port()
    broker = broker_with_flags("-notifRetries", "5")
    subscription_id = subscribe(broker, {"http": {"url": f"http://127.0.0.1:{port}/late"}})
    create_room(broker, temperature=1)
    deadline = time.monotonic() + 5
    while "failsCounter" not in subscription(broker, subscription_id)["notification"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    receiver = Receiver(port)
    try:
        [notification] = receiver.wait_for(1, timeout=15)
        assert notification.path == "/late"
        assert json.loads(notification.body)["data"][0]["temperature"]["value"] == 1
    finally:
        receiver.stop()
    deadline = time.monotonic() + 5
    while "failsCounter" in subscription(broker, subscription_id)["notification"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert subscription(broker, subscription_id)["notification"]["timesSent"] == 1


def test_outbox_loses_nothing_across_an_outage_and_sigkill(broker_with_flags, free_port):
    import signal

    from receiver import Receiver

    port = free_port()
    broker = broker_with_flags("-notifOutbox", "-notificationMode", "threadpool:100:4")
    try:
        subscription_id = subscribe(broker, {"http": {"url": f"http://127.0.0.1:{port}/kept"}, "attrsFormat": "keyValues"})
        create_room(broker, temperature=1)
        for value in [2, 3, 4]:
            update_room(broker, {"temperature": {"value": value}})
        deadline = time.monotonic() + 5
        while subscription(broker, subscription_id)["notification"].get("failsCounter", 0) < 4:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        broker.process.send_signal(signal.SIGKILL)
        broker.process.wait()
        broker.log.close()
    receiver = Receiver(port)
    again = broker_with_flags("-notifOutbox", "-notificationMode", "threadpool:100:4")
    try:
        notifications = receiver.wait_for(4, timeout=15)
        assert sorted(json.loads(n.body)["data"][0]["temperature"] for n in notifications) == [1, 2, 3, 4]
        assert len(receiver.quiet_for(1.0)) == 4
    finally:
        again.stop()
        receiver.stop()
    # Delivered notifications leave the outbox: a third start sends nothing again.
    receiver = Receiver(port)
    third = broker_with_flags("-notifOutbox")
    try:
        assert receiver.quiet_for(1.0) == []
    finally:
        third.stop()
        receiver.stop()


def test_flow_control_holds_the_update_until_the_queue_drains(broker_with_flags, receiver):
    broker = broker_with_flags("-notificationMode", "threadpool:10:1", "-notifFlowControl", "0.5:10:5000")
    receiver.delay = 0.3
    for path in ["/a", "/b", "/c", "/d"]:
        subscribe(broker, {"http": {"url": receiver.url + path}})
    create_room(broker, temperature=1)
    receiver.wait_for(4)
    started = time.monotonic()
    update_room(broker, {"temperature": {"value": 2}})
    plain = time.monotonic() - started
    receiver.wait_for(8)
    started = time.monotonic()
    update_room(broker, {"temperature": {"value": 3}}, params={"options": "flowControl"})
    controlled = time.monotonic() - started
    # Four notifications, one worker, gauge 0.5: the update returns once two have left the queue.
    assert controlled >= 0.3
    assert plain < controlled
    receiver.wait_for(12)


def test_filip_subscribes_and_reads_the_notification(broker, receiver):
    import pytest

    pytest.importorskip("filip")
    from filip.clients.ngsi_v2 import ContextBrokerClient
    from filip.models.base import FiwareHeader
    from filip.models.ngsi_v2.context import ContextEntity
    from filip.models.ngsi_v2.subscriptions import Message, Subscription

    header = FiwareHeader(service="", service_path="/")
    with ContextBrokerClient(url=broker.url, fiware_header=header) as client:
        subscription_id = client.post_subscription(Subscription(**{
            "description": "filip", "subject": {"entities": [{"id": "Room1", "type": "Room"}]},
            "notification": {"http": {"url": receiver.url + "/filip"}, "attrs": ["temperature"]}}))
        client.post_entity(ContextEntity(id="Room1", type="Room",
                                         temperature={"type": "Number", "value": 21.5}))
        [notification] = receiver.wait_for(1)
        message = Message.model_validate_json(notification.body)
        assert message.subscriptionId == subscription_id
        assert message.data[0].id == "Room1"
        assert message.data[0].get_attribute("temperature").value == 21.5
        deadline = time.monotonic() + 5
        while client.get_subscription(subscription_id).notification.timesSent != 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_reactivation_resets_the_fails_counter(broker, free_port):
    subscription_id = subscribe(broker, {"http": {"url": f"http://127.0.0.1:{free_port()}/"}, "maxFailsLimit": 1})
    create_room(broker, temperature=1)
    update_room(broker, {"temperature": {"value": 2}})
    deadline = time.monotonic() + 10
    while subscription(broker, subscription_id)["status"] != "inactive":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    response = requests.patch(broker.url + "/v2/subscriptions/" + subscription_id, json={"status": "active"})
    assert response.status_code == 204
    got = subscription(broker, subscription_id)
    assert got["status"] == "active"
    assert "failsCounter" not in got["notification"]
