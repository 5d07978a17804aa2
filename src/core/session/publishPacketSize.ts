/**
 * The size on the wire of the PUBLISH a request becomes, computed without encoding it: fixed
 * header (1 byte + the Remaining Length's 1-4 bytes), topic (2 + its UTF-8 bytes), packet
 * identifier (2, QoS 1/2 only), MQTT 5 properties (their length's 1-4 bytes + each property) and
 * the payload. It is the size MQTT.js's encoder (mqtt-packet) writes for the same packet, which
 * test/unit/publishPacketSize.test.ts checks on random packets.
 */
import type { ProtocolVersion, QoS } from '../profile/profileTypes';

export interface PublishShape {
  topic: string;
  payload: string | Uint8Array;
  qos: QoS;
  properties?: Record<string, unknown>;
}

/** How many bytes a Variable Byte Integer takes (MQTT 5.0 §1.5.5). */
export function variableByteIntegerSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

export function publishPacketSize(request: PublishShape, version: ProtocolVersion): number {
  let remaining = 2 + Buffer.byteLength(request.topic);
  remaining +=
    typeof request.payload === 'string'
      ? Buffer.byteLength(request.payload)
      : request.payload.byteLength;
  if (request.qos > 0) remaining += 2;
  if (version === 5) {
    const props = propertiesSize(request.properties);
    remaining += variableByteIntegerSize(props) + props;
  }
  return 1 + variableByteIntegerSize(remaining) + remaining;
}

/** Bytes after the identifier, per property of a PUBLISH (MQTT 5.0 §3.3.2.3). */
const VALUE_SIZE: Record<string, (value: unknown) => number> = {
  payloadFormatIndicator: () => 1,
  messageExpiryInterval: () => 4,
  topicAlias: () => 2,
  responseTopic: (v) => 2 + Buffer.byteLength(String(v)),
  correlationData: (v) => 2 + byteLength(v),
  contentType: (v) => 2 + Buffer.byteLength(String(v)),
  subscriptionIdentifier: (v) => variableByteIntegerSize(Number(v)),
};

function byteLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  return Buffer.byteLength(String(value));
}

/** The property section's length, without the length's own bytes. */
export function propertiesSize(properties: Record<string, unknown> | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (value === undefined) continue;
    if (name === 'userProperties') {
      size += userPropertiesSize(value as Record<string, unknown>);
      continue;
    }
    const valueSize = VALUE_SIZE[name];
    // A property a PUBLISH cannot carry is left for the encoder to refuse.
    if (!valueSize) continue;
    for (const v of Array.isArray(value) ? value : [value]) size += 1 + valueSize(v);
  }
  return size;
}

/** Each name/value pair: identifier, then two length-prefixed UTF-8 strings. */
function userPropertiesSize(props: Record<string, unknown>): number {
  let size = 0;
  for (const name of Object.getOwnPropertyNames(props)) {
    const value = props[name];
    const nameBytes = Buffer.byteLength(name);
    for (const v of Array.isArray(value) ? value : [value])
      size += 1 + 2 + nameBytes + 2 + Buffer.byteLength(String(v));
  }
  return size;
}
