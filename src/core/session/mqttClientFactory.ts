/**
 * The port through which a session gets its MQTT client. The real factory wraps MQTT.js's
 * `connect` and puts an `IncomingPacketGuard` between each of the client's streams and its
 * parser (see `guardIncoming`); unit tests pass a scripted client instead, so every transition
 * of the session can be driven without a broker or a clock.
 */
import * as mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { guardIncoming } from '../incoming/incomingGuard';
import type { IncomingLimits } from '../incoming/packetGuard';

/** The part of an MQTT.js client a session uses. */
export type MqttLink = Pick<
  MqttClient,
  | 'on'
  | 'end'
  | 'reconnect'
  | 'publish'
  | 'subscribe'
  | 'unsubscribe'
  | 'outgoing'
  | 'outgoingStore'
  | 'incomingStore'
  | 'messageIdProvider'
  | 'options'
  | 'stream'
  | 'connected'
>;

export type MqttClientFactory = (options: IClientOptions, limits?: IncomingLimits) => MqttLink;

export const mqttJsClientFactory: MqttClientFactory = (options, limits) => {
  if (!limits) return mqtt.connect(options);
  const client = mqtt.connect({ ...options, manualConnect: true });
  guardIncoming(client, limits);
  client.connect();
  return client;
};
