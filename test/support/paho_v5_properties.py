"""A real Eclipse Paho (Python, 1.6.x) MQTT 5 subscriber that reports each message's properties.

Usage: /usr/bin/python3 paho_v5_properties.py '<json options>'
  {"port", "host", "topic", "qos", "count", "timeout": seconds, "subscription_identifier"}

Prints one JSON object per line on stdout:
  {"event": "ready"}                              after the SUBACK, so the test may publish
  {"event": "message", "topic", "payload_hex", "properties": {...}}
      properties as Paho's Properties.json() gives them (CorrelationData as hex, UserProperty
      as a list of [key, value] pairs in order, SubscriptionIdentifier as a list)
  {"event": "error", "message"}                   then exits 1
Exits 0 after `count` messages, 1 on error or timeout.
"""

import json
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho_common import emit, fail
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties


def main():
    opts = json.loads(sys.argv[1])
    deadline = time.monotonic() + float(opts.get("timeout", 10))
    subscribed = threading.Event()
    finished = threading.Event()
    state = {"received": 0, "error": None}
    client = mqtt.Client(client_id="", protocol=mqtt.MQTTv5)

    def on_connect(c, _userdata, _flags, rc, _properties=None):
        if (rc.value if hasattr(rc, "value") else rc) != 0:
            state["error"] = "connection refused: %s" % rc
            subscribed.set()
            return
        props = None
        if opts.get("subscription_identifier"):
            props = Properties(PacketTypes.SUBSCRIBE)
            props.SubscriptionIdentifier = opts["subscription_identifier"]
        c.subscribe(opts["topic"], qos=opts["qos"], properties=props)

    def on_subscribe(_client, _userdata, _mid, _granted, _properties=None):
        emit({"event": "ready"})
        subscribed.set()

    def on_message(_client, _userdata, msg):
        props = msg.properties.json() if msg.properties is not None else {}
        emit({"event": "message", "topic": msg.topic, "payload_hex": msg.payload.hex(), "properties": props})
        state["received"] += 1
        if state["received"] >= opts["count"]:
            finished.set()

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect(opts.get("host", "127.0.0.1"), opts["port"], keepalive=30, clean_start=True)
    client.loop_start()
    try:
        if not subscribed.wait(max(0.0, deadline - time.monotonic())) or state["error"]:
            fail(state["error"] or "no SUBACK before the timeout")
        if not finished.wait(max(0.0, deadline - time.monotonic())):
            fail("received %d of %d messages" % (state["received"], opts["count"]))
    finally:
        client.disconnect()
        client.loop_stop()


if __name__ == "__main__":
    main()
