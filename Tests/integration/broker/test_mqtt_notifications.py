"""MQTT notifications end to end, through a private mosquitto: Orion's payload on the subscription's topic with
each QoS, retain, mqttCustom's topic and payload macros, user and password, and a broker that is down."""

import json
import time

import requests

from test_notifications import create_room, subscribe, subscription, update_room


def mqtt(port, topic, **fields):
    return {"mqtt": {"url": f"mqtt://127.0.0.1:{port}", "topic": topic, **fields}}


def test_each_qos_delivers_orions_payload(broker, mosquitto):
    server = mosquitto()
    subscriber = server.subscribe("rooms/#")
    ids = {qos: subscribe(broker, {**mqtt(server.port, f"rooms/q{qos}", qos=qos), "attrsFormat": "keyValues"})
           for qos in (0, 1, 2)}
    create_room(broker, temperature=21)
    messages = sorted(subscriber.wait_for(3))
    assert [message.split(" ", 1)[0] for message in messages] == ["rooms/q0", "rooms/q1", "rooms/q2"]
    for message in messages:
        topic, payload = message.split(" ", 1)
        qos = int(topic[-1])
        assert payload == ('{"subscriptionId":"' + ids[qos] + '","data":[{"id":"Room1","type":"Room",'
                           '"temperature":21}]}')
    deadline = time.monotonic() + 5
    for qos, subscription_id in ids.items():
        while subscription(broker, subscription_id)["notification"].get("lastSuccess") is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        notification = subscription(broker, subscription_id)["notification"]
        assert notification["timesSent"] == 1
        # HTTP only, as in Orion.
        assert "lastSuccessCode" not in notification


def test_mqtt_custom_topic_and_payload_macros(broker, mosquitto):
    server = mosquitto()
    subscriber = server.subscribe("custom/#")
    subscribe(broker, {"mqttCustom": {"url": f"mqtt://127.0.0.1:{server.port}", "topic": "custom/${id}",
                                      "payload": "${id} is at ${temperature}"}})
    create_room(broker, temperature=21)
    assert subscriber.wait_for(1) == ["custom/Room1 Room1 is at 21"]


def test_retained_notification_reaches_a_later_subscriber(broker, mosquitto):
    server = mosquitto()
    first = server.subscribe("kept")
    subscribe(broker, {**mqtt(server.port, "kept", retain=True, qos=1), "attrsFormat": "values",
                       "attrs": ["temperature"]})
    create_room(broker, temperature=7)
    first.wait_for(1)
    later = server.subscribe("kept")
    assert later.wait_for(1) == ['kept {"subscriptionId":"' + first.messages[0].split('"')[3] + '","data":[[7]]}']


def test_user_and_password(broker, mosquitto):
    server = mosquitto(users={"atrium": "s3cret"})
    subscriber = server.subscribe("secure", user="atrium", password="s3cret")
    good = subscribe(broker, mqtt(server.port, "secure", user="atrium", passwd="s3cret"))
    bad = subscribe(broker, mqtt(server.port, "secure", user="atrium", passwd="wrong"))
    create_room(broker, temperature=1)
    subscriber.wait_for(1)
    deadline = time.monotonic() + 10
    while "failsCounter" not in subscription(broker, bad)["notification"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert subscription(broker, bad)["notification"]["failsCounter"] == 1
    assert "lastFailureReason" not in subscription(broker, bad)["notification"]
    assert subscription(broker, good)["notification"]["timesSent"] == 1
    assert len(subscriber.messages) == 1
    # The password is hidden on GET.
    assert subscription(broker, good)["notification"]["mqtt"]["passwd"] == "*****"


def test_a_broker_that_is_down_counts_a_failure_then_recovers(broker, mosquitto, free_port):
    port = free_port()
    subscription_id = subscribe(broker, mqtt(port, "late"))
    create_room(broker, temperature=1)
    deadline = time.monotonic() + 10
    while "failsCounter" not in subscription(broker, subscription_id)["notification"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    from mosquitto import Mosquitto

    folder = broker.log.name.rsplit("/", 1)[0]
    import pathlib

    server = Mosquitto(port, pathlib.Path(folder))
    try:
        subscriber = server.subscribe("late")
        update_room(broker, {"temperature": {"value": 2}})
        [message] = subscriber.wait_for(1)
        assert json.loads(message.split(" ", 1)[1])["data"][0]["temperature"]["value"] == 2
        deadline = time.monotonic() + 5
        while "failsCounter" in subscription(broker, subscription_id)["notification"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        server.stop()
