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

/** `beforeConnect`, when given, gets the client before it sends its CONNECT. */
export type MqttClientFactory = (
  options: IClientOptions,
  limits?: IncomingLimits,
  beforeConnect?: (client: MqttLink) => void,
) => MqttLink;

/**
 * MQTT.js writes debug lines (through the `debug` package) for every packet; checking whether
 * they are wanted costs a few percent of ingest under a flood. They are kept when DEBUG asks for
 * them (`DEBUG=mqttjs*`), and otherwise the client is given a logger that does nothing.
 */
export function mqttJsLog(debug = process.env.DEBUG): Pick<IClientOptions, 'log'> {
  const wanted = (debug ?? '')
    .split(/[\s,]+/)
    .some((name) => name !== '' && !name.startsWith('-') && /^(\*|mqttjs)/.test(name));
  return wanted ? {} : { log: noLog };
}

function noLog(): void {}

export const mqttJsClientFactory: MqttClientFactory = (options, limits, beforeConnect) => {
  options = { ...mqttJsLog(), ...options };
  if (!limits && !beforeConnect) return mqtt.connect(options);
  const client = mqtt.connect({ ...options, manualConnect: true });
  if (limits) guardIncoming(client, limits);
  beforeConnect?.(client);
  client.connect();
  return client;
};
