/**
 * Copies what the trace keeps out of an MQTT.js packet object, at once, before MQTT.js reuses
 * or drops it: every field but the payloads (kept as their size) and the password (kept as
 * "set" only — never the text). Byte properties (correlation data, authentication data) become
 * hex, at most 64 bytes, so no slice of a socket buffer stays alive. Also the packet's size on
 * the wire: read from the parsed remaining length, or counted by encoding a sent packet with
 * mqtt-packet into a sink that only adds up lengths (no bytes are copied); a PUBLISH is counted
 * from its fields.
 */
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt';
import type { PacketSnapshot } from './traceTypes';
import { toHex } from '../../shared/hex';
import { publishPacketSize, variableByteIntegerSize } from '../session/publishPacketSize';

const MAX_HEX_BYTES = 64;

export function snapshotPacket(packet: Packet, reuse?: PacketSnapshot): PacketSnapshot {
  if (packet.cmd === 'publish') return snapshotPublish(packet, reuse);
  const source = packet as unknown as Record<string, unknown>;
  const copy: Record<string, unknown> = { cmd: packet.cmd };
  for (const key in source) {
    const value = source[key];
    if (value === undefined || key === 'cmd' || key === 'length') continue;
    if (key === 'payload') copy.payloadSize = byteLength(value);
    else if (key === 'password') copy.password = '••••••';
    else if (key === 'will') copy.will = snapshotWill(value as Record<string, unknown>);
    else if (key === 'properties') copy.properties = plainValue(value);
    else copy[key] = plainValue(value);
  }
  return copy as PacketSnapshot;
}

/**
 * The common case, in one shape: a PUBLISH's fields without its payload, written into `reuse`
 * (the snapshot of a PUBLISH the trace dropped) when given.
 */
function snapshotPublish(p: Packet & { cmd: 'publish' }, reuse?: PacketSnapshot): PacketSnapshot {
  const properties = p.properties === undefined ? undefined : plainValue(p.properties);
  if (reuse?.cmd === 'publish') {
    reuse.topic = p.topic;
    reuse.qos = p.qos;
    reuse.retain = p.retain;
    reuse.dup = p.dup;
    reuse.messageId = p.messageId;
    reuse.payloadSize = byteLength(p.payload);
    reuse.properties = properties;
    return reuse;
  }
  return {
    cmd: 'publish',
    topic: p.topic,
    qos: p.qos,
    retain: p.retain,
    dup: p.dup,
    messageId: p.messageId,
    payloadSize: byteLength(p.payload),
    properties,
  };
}

function snapshotWill(will: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in will) {
    const value = will[key];
    if (value === undefined) continue;
    copy[key === 'payload' ? 'payloadSize' : key] =
      key === 'payload' ? byteLength(value) : plainValue(value);
  }
  return copy;
}

/** A copy holding no Buffer: bytes become hex text. */
function plainValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return hexOf(value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = plainValue(v);
    return copy;
  }
  return value;
}

function hexOf(bytes: Uint8Array): string {
  const more = bytes.length > MAX_HEX_BYTES ? '…' : '';
  return `${toHex(bytes, MAX_HEX_BYTES, '')}${more} (${bytes.length} bytes)`;
}

function byteLength(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value);
  return 0;
}

/** Bytes of a received packet: fixed header (type byte + remaining-length varint) + the rest. */
export function receivedSize(packet: Packet): number | undefined {
  const length = (packet as { length?: number }).length;
  if (typeof length !== 'number') return undefined;
  return 1 + variableByteIntegerSize(length) + length;
}

/** Bytes a sent packet takes, counted by encoding it into a sink that keeps nothing. */
export function sentSize(packet: Packet, protocolVersion: 4 | 5): number | undefined {
  // The flood case, counted without encoding (publishPacketSize is checked against mqtt-packet).
  if (packet.cmd === 'publish')
    return publishPacketSize(
      packet as Packet & { cmd: 'publish'; properties?: Record<string, unknown> },
      protocolVersion,
    );
  let bytes = 0;
  let failed = false;
  const sink = {
    write(chunk: Uint8Array | string) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return true;
    },
    destroy() {
      failed = true;
    },
    emit() {
      failed = true;
      return true;
    },
  };
  try {
    mqttPacket.writeToStream(
      packet as mqttPacket.Packet,
      sink as unknown as NodeJS.WritableStream,
      {
        protocolVersion,
      },
    );
    return failed ? undefined : bytes;
  } catch {
    return undefined;
  }
}
