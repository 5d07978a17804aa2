"""A Sparkplug B edge node or host made of the real Eclipse Paho (Python) client and Google's
python3-protobuf, independent of MQTT Scope's protobufjs code. The Payload schema is built at
run time as a descriptor (the fields of Eclipse Tahu's sparkplug_b.proto these tests use).

Usage: /usr/bin/python3 paho_sparkplug.py '<json options>'
  {"mode": "edge", "port", "group", "node", "bdseq", "timeout",
   "messages": [{"type": "NBIRTH", "device"?, "seq"?, "metrics": [{"name"?, "alias"?,
                 "datatype", "value"}]}],
   "drop": true}   edge: will = NDEATH(bdseq); publishes the messages (QoS 0), then drops the
                   socket without DISCONNECT when "drop", so the broker publishes the will
  {"mode": "sub", "port", "topic", "count", "timeout"}
                   sub: prints each message's Payload decoded, then exits after `count`
Prints JSON lines: {"event": "ready"}, {"event": "published", "count"},
{"event": "message", "topic", "payload": {...}}, {"event": "error", "message"}.
"""

import json
import socket
import sys
import threading
import time

import paho.mqtt.client as mqtt
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from paho_common import emit, fail

F = descriptor_pb2.FieldDescriptorProto
METRIC_FIELDS = [
    ("name", 1, F.TYPE_STRING), ("alias", 2, F.TYPE_UINT64), ("timestamp", 3, F.TYPE_UINT64),
    ("datatype", 4, F.TYPE_UINT32), ("is_null", 7, F.TYPE_BOOL), ("int_value", 10, F.TYPE_UINT32),
    ("long_value", 11, F.TYPE_UINT64), ("float_value", 12, F.TYPE_FLOAT),
    ("double_value", 13, F.TYPE_DOUBLE), ("boolean_value", 14, F.TYPE_BOOL),
    ("string_value", 15, F.TYPE_STRING), ("bytes_value", 16, F.TYPE_BYTES),
]
VALUE_FIELD = {1: "int_value", 2: "int_value", 3: "int_value", 5: "int_value", 6: "int_value",
               7: "int_value", 4: "long_value", 8: "long_value", 13: "long_value",
               9: "float_value", 10: "double_value", 11: "boolean_value", 12: "string_value",
               14: "string_value", 15: "string_value", 17: "bytes_value"}


def payload_class():
    file = descriptor_pb2.FileDescriptorProto(name="sparkplug_b_test.proto",
                                              package="org.eclipse.tahu.protobuf", syntax="proto2")
    payload = file.message_type.add(name="Payload")
    payload.field.add(name="timestamp", number=1, type=F.TYPE_UINT64, label=F.LABEL_OPTIONAL)
    payload.field.add(name="metrics", number=2, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                      type_name=".org.eclipse.tahu.protobuf.Payload.Metric")
    payload.field.add(name="seq", number=3, type=F.TYPE_UINT64, label=F.LABEL_OPTIONAL)
    metric = payload.nested_type.add(name="Metric")
    for name, number, kind in METRIC_FIELDS:
        metric.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    desc = pool.FindMessageTypeByName("org.eclipse.tahu.protobuf.Payload")
    return message_factory.MessageFactory(pool).GetPrototype(desc)


Payload = payload_class()


def encode(seq, metrics):
    p = Payload(timestamp=int(time.time() * 1000))
    if seq is not None:
        p.seq = seq
    for m in metrics:
        out = p.metrics.add(datatype=m["datatype"])
        if "name" in m:
            out.name = m["name"]
        if "alias" in m:
            out.alias = m["alias"]
        value = m["value"]
        if m["datatype"] in (1, 2, 3) and value < 0:
            value &= 0xFFFFFFFF
        if m["datatype"] in (4,) and value < 0:
            value &= 0xFFFFFFFFFFFFFFFF
        setattr(out, VALUE_FIELD[m["datatype"]], value)
    return p.SerializeToString()


def topic(opts, kind, device=None):
    base = "spBv1.0/%s/%s/%s" % (opts["group"], kind, opts["node"])
    return base if device is None else base + "/" + device


def main():
    opts = json.loads(sys.argv[1])
    deadline = time.monotonic() + float(opts.get("timeout", 10))
    connected = threading.Event()
    finished = threading.Event()
    state = {"received": 0}
    client = mqtt.Client(client_id="", clean_session=True, protocol=mqtt.MQTTv311)
    client.on_connect = lambda *_args: connected.set()
    if opts["mode"] == "edge":
        death = encode(None, [{"name": "bdSeq", "datatype": 8, "value": opts["bdseq"]}])
        client.will_set(topic(opts, "NDEATH"), death, qos=1)

    def on_message(_client, _userdata, msg):
        p = Payload()
        p.ParseFromString(msg.payload)
        emit({"event": "message", "topic": msg.topic,
              "payload": json_format.MessageToDict(p, preserving_proto_field_name=True)})
        state["received"] += 1
        if state["received"] >= opts["count"]:
            finished.set()

    client.on_message = on_message
    client.on_subscribe = lambda *_args: emit({"event": "ready"})
    client.connect("127.0.0.1", opts["port"], keepalive=30)
    client.loop_start()
    if not connected.wait(max(0.0, deadline - time.monotonic())):
        fail("no CONNACK before the timeout")
    if opts["mode"] == "sub":
        client.subscribe(opts["topic"], qos=1)
        if not finished.wait(max(0.0, deadline - time.monotonic())):
            fail("received %d of %d messages before the timeout" % (state["received"], opts["count"]))
        client.disconnect()
        client.loop_stop()
        return
    infos = [client.publish(topic(opts, m["type"], m.get("device")), encode(m.get("seq"), m["metrics"]), qos=1)
             for m in opts["messages"]]
    for info in infos:
        info.wait_for_publish(max(0.001, deadline - time.monotonic()))
        if not info.is_published():
            fail("publish %d was not acknowledged" % info.mid)
    emit({"event": "published", "count": len(infos)})
    if opts.get("drop"):
        # A power cut as the broker sees it: the socket closes without DISCONNECT.
        client.socket().shutdown(socket.SHUT_RDWR)
        client.loop_stop()
    else:
        client.disconnect()
        client.loop_stop()


if __name__ == "__main__":
    main()
