/**
 * What the packet trace keeps of one MQTT packet: no payload bytes and never a password, only
 * what a user reads (fields as text) and the numbers that place it (time, size, round trip).
 */

export type TraceDirection = 'sent' | 'received';

/** One name/value line of a packet's detail, e.g. `properties.receiveMaximum` = `20`. */
export interface TraceField {
  name: string;
  value: string;
}

/**
 * A packet as kept: its fields copied out of MQTT.js's packet object at once (payloads replaced
 * by their size, the password by a mask, byte properties by hex), shaped to text only on read.
 */
export type PacketSnapshot = Record<string, unknown> & { cmd: string };

export interface TraceEntry {
  /** This entry's position in its connection's trace, counting every entry ever kept. */
  index: number;
  direction: TraceDirection;
  /** CONNECT, PUBLISH, PUBACK, … */
  type: string;
  /** Epoch milliseconds with a microsecond fraction (`performance.timeOrigin + performance.now()`). */
  time: number;
  /** Bytes on the wire: fixed header + remaining length; undefined when it could not be known. */
  size: number | undefined;
  packetId?: number;
  /** On an answer (CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK, PINGRESP): ms since its request. */
  rttMs?: number;
  /** The Message Log entry of a PUBLISH (its `seq`), once known. */
  seq?: number;
  protocolVersion: 4 | 5;
  snapshot: PacketSnapshot;
}
