/**
 * What a broker allows on one connection, read from its CONNACK. An MQTT 5 broker announces its
 * limits as CONNACK properties and leaves out those at their default; the defaults are the ones
 * MQTT 5.0 §3.2.2.3 gives for an absent property. An MQTT 3.1.1 CONNACK carries no properties:
 * the 3.1.1 protocol's own limits apply (no topic aliases, no subscription identifiers).
 */
import type { IConnackPacket } from 'mqtt';
import type { ProtocolVersion, QoS } from '../profile/profileTypes';
import { userPropertyPairs } from './publishProperties';

/** The largest packet the protocol can carry: 1 byte of type, 4 of length, 268,435,455 more. */
export const PROTOCOL_MAX_PACKET_SIZE = 1 + 4 + 268_435_455;

/** The CONNACK properties a broker may announce, under MQTT.js's names. */
export type CapabilityName =
  | 'maximumQoS'
  | 'retainAvailable'
  | 'receiveMaximum'
  | 'maximumPacketSize'
  | 'topicAliasMaximum'
  | 'wildcardSubscriptionAvailable'
  | 'sharedSubscriptionAvailable'
  | 'subscriptionIdentifiersAvailable'
  | 'serverKeepAlive'
  | 'sessionExpiryInterval';

export interface BrokerCapabilities {
  protocolVersion: ProtocolVersion;
  /** When the CONNACK arrived (scheduler time). */
  receivedAt: number;
  sessionPresent: boolean;
  /** Absent: QoS 2. */
  maximumQoS: QoS;
  /** Absent: true. */
  retainAvailable: boolean;
  /** How many QoS 1/2 publishes the broker handles at once. Absent: 65,535. */
  receiveMaximum: number;
  /** The largest packet the broker accepts, in bytes; undefined: only the protocol's limit. */
  maximumPacketSize?: number;
  /** The highest topic alias the broker accepts; 0: none. Absent: 0. */
  topicAliasMaximum: number;
  /** Absent: true. */
  wildcardSubscriptionAvailable: boolean;
  /** Absent: true (a 3.1.1 broker announces nothing; shared subscriptions are left to it). */
  sharedSubscriptionAvailable: boolean;
  /** Absent: true in MQTT 5; MQTT 3.1.1 has no subscription identifiers. */
  subscriptionIdentifiersAvailable: boolean;
  /** The keep alive in force, in seconds: the broker's Server Keep Alive, else the profile's. */
  keepAlive: number;
  /** The session expiry in force, in seconds (MQTT 5): the broker's, else what was asked. */
  sessionExpiryInterval?: number;
  assignedClientIdentifier?: string;
  responseInformation?: string;
  serverReference?: string;
  reasonString?: string;
  /** The CONNACK's user properties, in order, a name once per value. */
  userProperties?: [string, string][];
  /** Which of the properties above the broker sent; the others are defaults. */
  announced: CapabilityName[];
}

/** What was asked for in the CONNECT, which an absent property leaves in force. */
export interface ConnectRequest {
  protocolVersion: ProtocolVersion;
  keepalive: number;
  sessionExpiryInterval?: number;
}

export function brokerCapabilities(
  connack: IConnackPacket,
  asked: ConnectRequest,
  receivedAt: number,
): BrokerCapabilities {
  const v5 = asked.protocolVersion === 5;
  const p = (v5 ? connack.properties : undefined) ?? {};
  const announced = (Object.keys(p) as string[]).filter(
    (k): k is CapabilityName => k in ANNOUNCEABLE && p[k as keyof typeof p] !== undefined,
  );
  const caps: BrokerCapabilities = {
    protocolVersion: asked.protocolVersion,
    receivedAt,
    sessionPresent: connack.sessionPresent,
    maximumQoS: p.maximumQoS === 0 || p.maximumQoS === 1 ? p.maximumQoS : 2,
    retainAvailable: p.retainAvailable ?? true,
    receiveMaximum: p.receiveMaximum ?? 65_535,
    topicAliasMaximum: p.topicAliasMaximum ?? 0,
    wildcardSubscriptionAvailable: p.wildcardSubscriptionAvailable ?? true,
    sharedSubscriptionAvailable: p.sharedSubscriptionAvailable ?? true,
    subscriptionIdentifiersAvailable: v5 ? (p.subscriptionIdentifiersAvailable ?? true) : false,
    keepAlive: p.serverKeepAlive ?? asked.keepalive,
    announced,
  };
  if (p.maximumPacketSize !== undefined) caps.maximumPacketSize = p.maximumPacketSize;
  const expiry = p.sessionExpiryInterval ?? asked.sessionExpiryInterval;
  if (v5) caps.sessionExpiryInterval = expiry ?? 0;
  if (p.assignedClientIdentifier !== undefined)
    caps.assignedClientIdentifier = p.assignedClientIdentifier;
  if (p.responseInformation !== undefined) caps.responseInformation = p.responseInformation;
  if (p.serverReference !== undefined) caps.serverReference = p.serverReference;
  if (p.reasonString !== undefined) caps.reasonString = p.reasonString;
  const pairs = userPropertyPairs(p.userProperties);
  if (pairs.length > 0) caps.userProperties = pairs;
  return caps;
}

const ANNOUNCEABLE: Record<CapabilityName, true> = {
  maximumQoS: true,
  retainAvailable: true,
  receiveMaximum: true,
  maximumPacketSize: true,
  topicAliasMaximum: true,
  wildcardSubscriptionAvailable: true,
  sharedSubscriptionAvailable: true,
  subscriptionIdentifiersAvailable: true,
  serverKeepAlive: true,
  sessionExpiryInterval: true,
};
