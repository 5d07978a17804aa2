"""A real Eclipse Paho (Python, 1.6.x callback API) client driven by the MQTT Scope tests.

Usage: /usr/bin/python3 paho_client.py '<json options>'
  {"mode": "sub"|"pub", "port", "host", "topic", "qos", "count", "protocol": 4|5,
   "timeout": seconds, "payload": text with "{i}" replaced by the message index, "retain",
   "linger": seconds a subscriber keeps listening after `count` messages, to catch extras}

Prints one JSON object per line on stdout:
  {"event": "ready", "granted": [..]}          sub: after the SUBACK, so the test may publish
  {"event": "message", "topic", "payload_hex", "qos", "retain"}
  {"event": "published", "count"}              pub: every publish acknowledged
  {"event": "error", "message"}                then exits 1
Exits 0 after `count` messages (sub) or acknowledgements (pub), 1 on error or timeout.
"""

import json
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho_common import emit, fail


def main():
    opts = json.loads(sys.argv[1])
    v5 = opts.get("protocol", 4) == 5
    deadline = time.monotonic() + float(opts.get("timeout", 10))
    connected = threading.Event()
    subscribed = threading.Event()
    finished = threading.Event()
    state = {"received": 0, "connect_rc": None}

    if v5:
        client = mqtt.Client(client_id="", protocol=mqtt.MQTTv5)
    else:
        client = mqtt.Client(client_id="", clean_session=True, protocol=mqtt.MQTTv311)
    # Publish everything at once; Paho queues beyond this many in flight.
    client.max_inflight_messages_set(100)

    def on_connect(_client, _userdata, _flags, rc, _properties=None):
        state["connect_rc"] = rc
        connected.set()

    def on_subscribe(_client, _userdata, _mid, granted, _properties=None):
        codes = [g.value if hasattr(g, "value") else g for g in granted]
        emit({"event": "ready", "granted": codes})
        subscribed.set()

    def on_message(_client, _userdata, msg):
        emit(
            {
                "event": "message",
                "topic": msg.topic,
                "payload_hex": msg.payload.hex(),
                "qos": msg.qos,
                "retain": bool(msg.retain),
            }
        )
        state["received"] += 1
        if state["received"] >= opts["count"]:
            finished.set()

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    if opts.get("username") is not None:
        client.username_pw_set(opts["username"], opts.get("password"))

    if v5:
        client.connect(opts.get("host", "127.0.0.1"), opts["port"], keepalive=30, clean_start=True)
    else:
        client.connect(opts.get("host", "127.0.0.1"), opts["port"], keepalive=30)
    client.loop_start()
    try:
        if not connected.wait(max(0.0, deadline - time.monotonic())):
            fail("no CONNACK before the timeout")
        rc = state["connect_rc"]
        if (rc.value if hasattr(rc, "value") else rc) != 0:
            fail("connection refused: %s" % rc)

        if opts["mode"] == "sub":
            client.subscribe(opts["topic"], qos=opts["qos"])
            if not subscribed.wait(max(0.0, deadline - time.monotonic())):
                fail("no SUBACK before the timeout")
            if not finished.wait(max(0.0, deadline - time.monotonic())):
                fail("received %d of %d messages before the timeout" % (state["received"], opts["count"]))
            time.sleep(float(opts.get("linger", 0)))
        else:
            template = opts.get("payload", "{i}")
            infos = [
                client.publish(opts["topic"], template.replace("{i}", str(i)), qos=opts["qos"], retain=bool(opts.get("retain", False)))
                for i in range(opts["count"])
            ]
            for info in infos:
                info.wait_for_publish(max(0.001, deadline - time.monotonic()))
                if not info.is_published():
                    fail("publish %d was not acknowledged before the timeout (rc %s)" % (info.mid, info.rc))
            emit({"event": "published", "count": len(infos)})
    finally:
        client.disconnect()
        client.loop_stop()


if __name__ == "__main__":
    main()
