/**
 * Turns what an MQTT.js client reports (packets, errors, DISCONNECT, close) into the events of
 * the session's transition table, remembering why a link is going down so that the close that
 * follows can say it.
 */
import type { IConnackPacket, IPublishPacket, Packet } from 'mqtt';
import type { MqttLink } from './mqttClientFactory';
import type { Logger } from '../ports';
import type { ConnectionProfile } from '../profile/profile';
import {
  describeConnectionError,
  describeLinkLoss,
  isRetryableRefusal,
  reasonName,
} from '../reasons';
import type { SessionEvent } from './sessionMachine';
import type { ReceivedMessage, SessionState } from './sessionTypes';
import { propertiesTruncationOf } from '../incoming/incomingGuard';

export interface ClientEventHost {
  readonly profile: ConnectionProfile;
  readonly name: string;
  readonly target: string;
  readonly clientId: string;
  readonly logger: Logger;
  /** False once the session has moved on to another client (or none). */
  isCurrent(client: MqttLink): boolean;
  stateKind(): SessionState['kind'];
  dispatch(event: SessionEvent): void;
  /** MQTT.js re-sent what it held in flight and emitted 'connect'. */
  replayed(): void;
  observe(direction: 'sent' | 'received', packet: Packet): void;
  message(topic: string, payload: Buffer, packet: IPublishPacket): void;
}

export interface LinkCause {
  /** Says why the link will close, for a close the session causes itself. */
  set(cause: string): void;
}

export function translateClientEvents(client: MqttLink, host: ClientEventHost): LinkCause {
  const { profile, logger } = host;
  const current = () => host.isCurrent(client);
  let dropCause: string | undefined;
  client.on('packetreceive', (packet: Packet) => {
    host.observe('received', packet);
    // Acted on before MQTT.js handles the CONNACK: without the session, what it holds in
    // flight must be failed before it re-sends any of it.
    if (packet.cmd === 'connack' && current() && connackOk(packet)) {
      logger.info(`[${host.name}] connected${packet.sessionPresent ? ' (session present)' : ''}`);
      host.dispatch({ type: 'connackAccepted', sessionPresent: packet.sessionPresent });
    }
  });
  client.on('packetsend', (packet: Packet) => host.observe('sent', packet));
  client.on('connect', () => {
    if (current()) host.replayed();
  });
  client.on('error', (error) => {
    if (!current()) return;
    const { protocolVersion, connectTimeout, keepalive } = profile;
    const message = describeConnectionError(
      error,
      host.target,
      protocolVersion,
      connectTimeout,
      profile.tls,
    );
    // A link that was up was lost: what a failed connection attempt suggests does not apply.
    const lost =
      host.stateKind() === 'connected'
        ? describeLinkLoss(error, host.target, keepalive)
        : undefined;
    logger.error(`[${host.name}] ${lost ?? message}`);
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') {
      const retryable = isRetryableRefusal(code, protocolVersion);
      host.dispatch({ type: 'connackRefused', message, reasonCode: code, retryable });
    } else {
      dropCause = lost ?? describeLinkLoss(error, host.target, keepalive) ?? message;
      host.dispatch({ type: 'transportError', message: lost ?? message });
    }
  });
  client.on('disconnect', (packet) => {
    const code = packet.reasonCode ?? 0;
    const reasonString = packet.properties?.reasonString;
    const why = `${reasonName(code)}${reasonString ? ` (${reasonString})` : ''}`;
    logger.warn(`[${host.name}] the broker sent DISCONNECT: ${why}`);
    if (!current()) return;
    dropCause = `the broker closed the connection: ${why}`;
    if (code === 0x8e) {
      host.dispatch({
        type: 'sessionEnded',
        message: `Another client with the client id "${host.clientId}" took over the session (${why}). Give this profile its own "clientId".`,
      });
    }
  });
  client.on('close', () => {
    if (!current()) return;
    const cause =
      host.stateKind() === 'connecting'
        ? `${host.target} closed the connection before accepting it. Check the port and whether it expects TLS.`
        : (dropCause ?? 'the connection was lost');
    dropCause = undefined;
    host.dispatch({ type: 'linkClosed', cause });
  });
  client.on('message', (topic, payload, packet) => host.message(topic, payload, packet));
  return { set: (cause) => (dropCause = cause) };
}

function connackOk(packet: Packet): packet is IConnackPacket {
  const connack = packet as IConnackPacket;
  return (connack.reasonCode ?? connack.returnCode ?? 0) === 0;
}

/** A received PUBLISH as the session hands it on (to the topic tree, the log, listeners). */
export function receivedMessage(
  topic: string,
  payload: Buffer,
  packet: IPublishPacket,
  now: number,
): ReceivedMessage {
  const message: ReceivedMessage = {
    kind: 'in',
    topic,
    payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    properties: packet.properties as Record<string, unknown> | undefined,
    receivedAt: now,
    // Filled in later (the log's seq; the packet while the trace wants it): in the object's
    // shape from the start, so filling them allocates nothing.
    seq: undefined,
    packet: undefined,
  };
  const truncation = propertiesTruncationOf(packet);
  if (truncation) message.propertiesTruncated = truncation;
  return message;
}
