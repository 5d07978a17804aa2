/**
 * The port through which a session gets its MQTT client. The real factory wraps MQTT.js's
 * `connect`; unit tests pass a scripted client instead, so every transition of the session can
 * be driven without a broker or a clock.
 */
import * as mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';

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

export type MqttClientFactory = (options: IClientOptions) => MqttLink;

export const mqttJsClientFactory: MqttClientFactory = (options) => mqtt.connect(options);
