# The classic Eclipse Paho (1.x API) publisher example, unchanged but for the broker address:
# the tests pass host and port on the command line instead of a public broker's name.
import sys

import paho.mqtt.client as mqtt

broker_address = sys.argv[1]  # was "broker.hivemq.com"
broker_port = int(sys.argv[2])  # was 1883

client = mqtt.Client()
client.connect(broker_address, broker_port, 60)
client.publish("iot/lab/mqtt_test", "Hello from the MQTT Publisher!")
client.disconnect()
