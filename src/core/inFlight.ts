import type { MqttClient } from 'mqtt';

/**
 * MQTT.js keeps unacknowledged QoS 1/2 publishes (and SUBSCRIBE/UNSUBSCRIBE) waiting for an
 * ack, but the reconnect starts with fresh stores and never resends them: their promises
 * would never settle, and a later graceful end() would wait for them forever. This fails them.
 */
export function failInFlight(client: MqttClient): void {
  for (const [id, pending] of Object.entries(client.outgoing)) {
    delete client.outgoing[Number(id)];
    client.messageIdProvider.deallocate(Number(id));
    pending.cb(new Error('the connection was lost before the broker acknowledged it'));
  }
}
