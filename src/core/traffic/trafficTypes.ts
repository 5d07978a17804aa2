/**
 * What a session sends and receives, as one stream (`TrafficEvent`): an outgoing message when
 * the session takes a publish (sent at once or queued), its outcome later, every incoming
 * message, and — only while someone listens for them — the MQTT packets themselves.
 */
import type { IPublishPacket, Packet } from 'mqtt';
import type { QoS } from '../profile/profile';
import type { PropertiesTruncation } from '../incoming/packetGuard';

/** One acknowledgement packet of a publish, timed from when the PUBLISH went out. */
export interface ExchangeStep {
  packet: 'PUBACK' | 'PUBREC' | 'PUBREL' | 'PUBCOMP';
  /** Milliseconds after the publish was handed to the client. */
  atMs: number;
  /** The packet's MQTT 5 reason code, when it carried one. */
  reasonCode?: number;
}

/**
 * How a publish ended. `ok`: acknowledged (at once for QoS 0); `refused`: the broker answered
 * with a reason code of 0x80 or more; `failed`: it never got an answer (not connected, queue
 * full or dropped, connection closed before the acknowledgement).
 */
export interface PublishResult {
  state: 'ok' | 'refused' | 'failed';
  /** When the PUBLISH was handed to the client; absent when it never was. */
  sentAt?: number;
  /** When the outcome was known. */
  settledAt: number;
  steps: ExchangeStep[];
  reasonCode?: number;
  reasonString?: string;
  /** Why a failed publish failed. */
  error?: string;
}

/** A publish the session took: the row appears now, before any echo from the broker. */
export interface OutgoingTraffic {
  kind: 'out';
  /** Unique across sessions; the outcome carries the same id. */
  id: number;
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Record<string, unknown>;
  time: number;
  /** Waits in the offline queue until the connection is back. */
  queued: boolean;
  /** Its Message Log entry, set by `TrafficLog` once recorded. */
  seq?: number;
}

export interface OutcomeTraffic {
  kind: 'outcome';
  id: number;
  result: PublishResult;
}

/** A received message; a session's `onMessage` and its traffic carry the same object. */
export interface ReceivedMessage {
  kind: 'in';
  topic: string;
  /** The bytes as received; decoded only when something shows them. */
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties?: Record<string, unknown>;
  /** Set when the MQTT 5 properties were cut to the limits: what the message carried. */
  propertiesTruncated?: PropertiesTruncation;
  receivedAt: number;
  /** Its Message Log entry, set by `TrafficLog` once recorded. */
  seq?: number;
  /** The PUBLISH packet it came in, set only while a listener wants packets (the trace). */
  packet?: IPublishPacket;
}

export interface PacketTraffic {
  kind: 'packet';
  direction: 'sent' | 'received';
  packet: Packet;
  time: number;
}

export type TrafficEvent = OutgoingTraffic | OutcomeTraffic | ReceivedMessage | PacketTraffic;

export interface TrafficOptions {
  /**
   * Also deliver packet events (each one costs an object; off by default). A function is asked
   * at each packet: a forwarder passes on whether its own listeners want them.
   */
  packets?: boolean | (() => boolean);
}
