# The classic Eclipse Paho (1.x API) subscriber example, unchanged but for the broker address:
# the tests pass host and port on the command line instead of a public broker's name.
import sys

import paho.mqtt.client as mqtt

broker_address = sys.argv[1]  # was "broker.hivemq.com"
broker_port = int(sys.argv[2])  # was 1883


def on_connect(client, userdata, flags, rc):
    print("Connected with result code " + str(rc))
    client.subscribe("iot/lab/mqtt_test")


def on_message(client, userdata, msg):
    print(msg.topic + " " + str(msg.payload.decode()))


client = mqtt.Client()
client.on_connect = on_connect
client.on_message = on_message
client.connect(broker_address, broker_port, 60)
client.loop_forever()
