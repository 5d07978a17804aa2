"""A real Eclipse Paho (Python, 1.6.x) MQTT 5 publisher that sends one sample reading in each
binary format, encoded by Debian's Python libraries: cbor2, msgpack and protobuf (the message
type built at run time from a descriptor, as protoc would generate it).

Usage: /usr/bin/python3 paho_decoders_publisher.py '<json options>'
  {"port", "host", "prefix", "timeout": seconds}

Publishes at QoS 1, each with the MQTT 5 content type where the format has one:
  <prefix>/cbor       cbor2, application/cbor
  <prefix>/msgpack    msgpack, application/msgpack
  <prefix>/telemetry  protobuf plant.Telemetry, no content type (a decoder rule names the type)
  <prefix>/raw        protobuf plant.Telemetry, application/x-protobuf (read without a schema)
  <prefix>/base64     the protobuf bytes as base64 text (a decoder rule)
Prints {"event": "published", "count"} once every PUBACK arrived; {"event": "error", "message"}
and exit 1 otherwise.
"""

import base64
import json
import sys
import threading

import cbor2
import msgpack
import paho.mqtt.client as mqtt
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho_common import emit, fail

SAMPLE = {
    "device": "pump-7",
    "temperature": 21.5,
    "counter": -9223372036854775808,
    "serial": 18446744073709551615,
    "samples": [1, -2, 3],
}


def telemetry_class():
    """plant.Telemetry, fields 1-5 of test/fixtures/proto/telemetry.proto."""
    f = descriptor_pb2.FileDescriptorProto(name="paho_telemetry.proto", package="plant", syntax="proto3")
    m = f.message_type.add(name="Telemetry")
    T = descriptor_pb2.FieldDescriptorProto
    for number, name, kind, label in [
        (1, "device", T.TYPE_STRING, T.LABEL_OPTIONAL),
        (2, "temperature", T.TYPE_DOUBLE, T.LABEL_OPTIONAL),
        (3, "counter", T.TYPE_INT64, T.LABEL_OPTIONAL),
        (4, "serial", T.TYPE_UINT64, T.LABEL_OPTIONAL),
        (5, "samples", T.TYPE_INT32, T.LABEL_REPEATED),
    ]:
        m.field.add(name=name, number=number, type=kind, label=label)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("plant.Telemetry"))


def with_content_type(content_type):
    if content_type is None:
        return None
    props = Properties(PacketTypes.PUBLISH)
    props.ContentType = content_type
    return props


def main():
    opts = json.loads(sys.argv[1])
    prefix = opts["prefix"]
    proto = telemetry_class()(**SAMPLE).SerializeToString()
    messages = [
        ("cbor", cbor2.dumps(SAMPLE), "application/cbor"),
        ("msgpack", msgpack.packb(SAMPLE), "application/msgpack"),
        ("telemetry", proto, None),
        ("raw", proto, "application/x-protobuf"),
        ("base64", base64.b64encode(proto), None),
    ]
    connected = threading.Event()
    state = {"acked": 0, "error": None}
    done = threading.Event()
    client = mqtt.Client(client_id="", protocol=mqtt.MQTTv5)

    def on_connect(_c, _u, _f, rc, _p=None):
        if (rc.value if hasattr(rc, "value") else rc) != 0:
            state["error"] = "connection refused: %s" % rc
        connected.set()

    def on_publish(_c, _u, _mid):
        state["acked"] += 1
        if state["acked"] >= len(messages):
            done.set()

    client.on_connect = on_connect
    client.on_publish = on_publish
    client.connect(opts.get("host", "127.0.0.1"), opts["port"], keepalive=30, clean_start=True)
    client.loop_start()
    timeout = float(opts.get("timeout", 10))
    try:
        if not connected.wait(timeout) or state["error"]:
            fail(state["error"] or "no CONNACK before the timeout")
        for name, payload, content_type in messages:
            client.publish("%s/%s" % (prefix, name), payload, qos=1, properties=with_content_type(content_type))
        if not done.wait(timeout):
            fail("%d of %d publishes acknowledged" % (state["acked"], len(messages)))
        emit({"event": "published", "count": len(messages)})
    finally:
        client.disconnect()
        client.loop_stop()


if __name__ == "__main__":
    main()
