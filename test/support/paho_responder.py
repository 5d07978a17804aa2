"""A real Eclipse Paho (Python, 1.6.x callback API, MQTT 5) responder for request/response tests.

Usage: /usr/bin/python3 paho_responder.py '<json options>'
  {"port", "host", "topic": the request topic, "qos", "timeout": seconds,
   "replies": how many replies to send per request (default 1),
   "wrong": true to answer with correlation data that is NOT the request's,
   "count": exit after answering this many requests (default: run until the timeout),
   "replyJson": a JSON value sent as every reply's payload instead of "reply:<request payload>"}

Subscribes to the request topic; each request that carries a response topic is answered on it
with the payload "reply:<request payload>" and the request's correlation data (or, with
"wrong", that data with its last byte changed, or b"wrong" when it had none).
Prints one JSON object per line on stdout:
  {"event": "ready", "granted": [..]}                      after the SUBACK
  {"event": "answered", "response_topic", "correlation_hex", "sent_hex"}
  {"event": "error", "message"}                            then exits 1
Exits 0 after `count` requests, or at the timeout when no count was given.
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
    count = opts.get("count")
    replies = int(opts.get("replies", 1))
    connected = threading.Event()
    subscribed = threading.Event()
    finished = threading.Event()
    state = {"answered": 0, "connect_rc": None}

    client = mqtt.Client(client_id="", protocol=mqtt.MQTTv5)

    def on_connect(_client, _userdata, _flags, rc, _properties=None):
        state["connect_rc"] = rc
        connected.set()

    def on_subscribe(_client, _userdata, _mid, granted, _properties=None):
        emit({"event": "ready", "granted": [g.value if hasattr(g, "value") else g for g in granted]})
        subscribed.set()

    def on_message(_client, _userdata, msg):
        props = getattr(msg, "properties", None)
        response_topic = getattr(props, "ResponseTopic", None)
        if not response_topic:
            return
        correlation = getattr(props, "CorrelationData", None)
        sent = correlation
        if opts.get("wrong"):
            sent = (correlation[:-1] + bytes([correlation[-1] ^ 1])) if correlation else b"wrong"
        reply_props = Properties(PacketTypes.PUBLISH)
        if sent is not None:
            reply_props.CorrelationData = sent
        for i in range(replies):
            payload = b"reply:" + msg.payload + (b"" if i == 0 else (" #%d" % (i + 1)).encode())
            if opts.get("replyJson") is not None:
                payload = json.dumps(opts["replyJson"]).encode()
            client.publish(response_topic, payload, qos=msg.qos, properties=reply_props)
        emit(
            {
                "event": "answered",
                "response_topic": response_topic,
                "correlation_hex": correlation.hex() if correlation else None,
                "sent_hex": sent.hex() if sent else None,
            }
        )
        state["answered"] += 1
        if count is not None and state["answered"] >= count:
            finished.set()

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect(opts.get("host", "127.0.0.1"), opts["port"], keepalive=30, clean_start=True)
    client.loop_start()
    try:
        if not connected.wait(max(0.0, deadline - time.monotonic())):
            fail("no CONNACK before the timeout")
        rc = state["connect_rc"]
        if (rc.value if hasattr(rc, "value") else rc) != 0:
            fail("connection refused: %s" % rc)
        client.subscribe(opts["topic"], qos=opts.get("qos", 0))
        if not subscribed.wait(max(0.0, deadline - time.monotonic())):
            fail("no SUBACK before the timeout")
        if count is None:
            finished.wait(max(0.0, deadline - time.monotonic()))
        elif not finished.wait(max(0.0, deadline - time.monotonic())):
            fail("answered %d of %d requests before the timeout" % (state["answered"], count))
        time.sleep(0.2)  # let the last replies leave before DISCONNECT
    finally:
        client.disconnect()
        client.loop_stop()


if __name__ == "__main__":
    main()
