/**
 * Watches the bytes a broker sends before MQTT.js parses them, packet by packet, so that a
 * hostile broker or device cannot make the parser spend seconds and hundreds of MiB:
 * - a packet whose fixed header announces more than `maxPacketBytes` (a packet other than
 *   PUBLISH: `maxControlPacketBytes`, as it is all header and properties) is refused before any
 *   of its body is buffered (`PacketTooLarge`); the caller closes the connection;
 * - an MQTT 5 PUBLISH with more than `maxProperties` user properties (or subscription
 *   identifiers), or more than `maxPropertyBytes` of them, reaches the parser with only the
 *   first ones kept; the count and size it carried are recorded for that PUBLISH.
 * Only the fixed header and, for an MQTT 5 PUBLISH, the topic and properties are held;
 * payloads pass through as they come.
 */
import { MqttError } from './mqttError';

export interface IncomingLimits {
  /** The largest packet accepted, fixed header included (MQTT 5 Maximum Packet Size). */
  maxPacketBytes: number;
  /** User properties and subscription identifiers kept per message. */
  maxProperties: number;
  /** Bytes of properties kept per message. */
  maxPropertyBytes: number;
  /**
   * The largest packet other than PUBLISH accepted (CONNACK, SUBACK, DISCONNECT, …): with no
   * payload, its size is its properties and reason codes.
   */
  maxControlPacketBytes: number;
}

export const DEFAULT_MAX_PACKET_MEGABYTES = 16;
export const DEFAULT_INCOMING_LIMITS: IncomingLimits = {
  maxPacketBytes: DEFAULT_MAX_PACKET_MEGABYTES * 1024 * 1024,
  maxProperties: 256,
  maxPropertyBytes: 64 * 1024,
  maxControlPacketBytes: 256 * 1024,
};

/** What an MQTT 5 message carried when its properties were cut to the limits. */
export interface PropertiesTruncation {
  /** Properties in the packet as sent. */
  count: number;
  /** Bytes of its property section as sent. */
  bytes: number;
}

export class PacketTooLarge extends MqttError {
  /** A string code: MQTT.js passes a stream error with a code on as the client's 'error'. */
  readonly code = 'MQTT_PACKET_TOO_LARGE';
  constructor(
    readonly packetType: string,
    readonly size: number,
    readonly limit: number,
  ) {
    const which =
      packetType === 'PUBLISH'
        ? `${formatLimit(limit)} limit ("mqttScope.maximumPacketSizeMegabytes")`
        : `${formatLimit(limit)} limit for packets other than PUBLISH`;
    super(
      `the broker sent a ${packetType} packet of ${size.toLocaleString('en-US')} bytes, over the ` +
        `${which}; the connection was closed`,
    );
  }
}

const PUBLISH = 3;
const TYPE_NAMES = [
  'reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP',
  'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH',
]; // prettier-ignore
/** Value widths of the PUBLISH properties of fixed size; -1: a length-prefixed string or binary. */
const WIDTH: Record<number, number> = { 0x01: 1, 0x02: 4, 0x23: 2, 0x08: -1, 0x09: -1, 0x03: -1 };
const USER_PROPERTY = 0x26;
const SUBSCRIPTION_ID = 0x0b;

export class IncomingPacketGuard {
  /** Bytes of the current packet's head, not yet handed on. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Held bytes needed before the head is looked at again. */
  private needed = 0;
  /** Body bytes of the current packet still to pass through untouched. */
  private passing = 0;
  /** Set on a malformed header: everything passes, and the parser reports it. */
  private giveUp = false;
  /** One entry per PUBLISH handed on, in order: its truncation, or undefined. */
  private readonly publishes: (PropertiesTruncation | undefined)[] = [];

  constructor(
    private readonly limits: IncomingLimits,
    private readonly protocolVersion: number,
  ) {}

  /** The bytes to give the parser for this chunk, in order. Throws PacketTooLarge. */
  feed(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    while (chunk.length > 0) {
      if (this.giveUp) {
        out.push(chunk);
        break;
      }
      if (this.passing > 0) {
        const n = Math.min(this.passing, chunk.length);
        out.push(n === chunk.length ? chunk : chunk.subarray(0, n));
        this.passing -= n;
        chunk = chunk.subarray(n);
        continue;
      }
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      chunk = this.heldBytes < this.needed ? EMPTY : this.takeHead(out);
    }
    return out;
  }

  /** The truncation of the next PUBLISH the parser emits (call once per parsed PUBLISH). */
  nextPublish(): PropertiesTruncation | undefined {
    return this.publishes.shift();
  }

  /**
   * Hands on the held head once it is complete: pushes it (rewritten if need be) to `out` and
   * returns the bytes after it. Returns an empty buffer while more bytes are needed.
   */
  private takeHead(out: Buffer[]): Buffer {
    const head = this.joined();
    const fixed = readVarInt(head, 1);
    if (fixed === 'short') return this.wait(head.length + 1);
    if (fixed === 'bad') return this.release(out, head);
    const start = 1 + fixed.bytes;
    const total = start + fixed.value;
    const type = head[0] >> 4;
    const { maxPacketBytes, maxControlPacketBytes } = this.limits;
    const limit =
      type === PUBLISH ? maxPacketBytes : Math.min(maxPacketBytes, maxControlPacketBytes);
    if (total > limit) throw new PacketTooLarge(TYPE_NAMES[type], total, limit);
    if (type !== PUBLISH || this.protocolVersion !== 5) {
      if (type === PUBLISH) this.publishes.push(undefined);
      return this.pass(out, head, start, fixed.value);
    }
    // MQTT 5 PUBLISH: topic, packet id when QoS > 0, then the properties.
    if (head.length < start + 2) return this.wait(start + 2);
    let p = start + 2 + head.readUInt16BE(start) + (((head[0] >> 1) & 3) > 0 ? 2 : 0);
    const props = readVarInt(head, p);
    if (props === 'short' && head.length < total) return this.wait(head.length + 1);
    if (props === 'short' || props === 'bad') return this.release(out, head);
    p += props.bytes;
    const end = p + props.value;
    if (end > total) return this.release(out, head);
    // The whole property section is held (at most maxPacketBytes) before it is looked at.
    if (head.length < end) return this.wait(end);
    const cut = this.cutProperties(head, p, end);
    this.publishes.push(cut && { count: cut.count, bytes: props.value });
    if (!cut) return this.pass(out, head, start, fixed.value);
    const rest = total - end;
    const propLength = encodeVarInt(cut.kept.length);
    const bodyLength = p - props.bytes - start + propLength.length + cut.kept.length + rest;
    out.push(
      Buffer.concat([
        head.subarray(0, 1),
        encodeVarInt(bodyLength),
        head.subarray(start, p - props.bytes),
        propLength,
        cut.kept,
      ]),
    );
    return this.pass(out, head.subarray(end), 0, rest);
  }

  /**
   * Keeps the first occurrence of each single-valued property, and user properties and
   * subscription identifiers while within the limits. Undefined when all are kept (or the
   * section is malformed: the parser then reports it).
   */
  private cutProperties(
    buf: Buffer,
    from: number,
    end: number,
  ): { kept: Buffer; count: number } | undefined {
    const { maxProperties, maxPropertyBytes } = this.limits;
    // Each repeatable property takes at least 2 bytes: a short section is within the limits.
    if (end - from <= maxPropertyBytes && end - from <= maxProperties * 2) return undefined;
    const kept: Buffer[] = [];
    const seen = new Set<number>();
    let count = 0;
    let many = 0;
    let keptBytes = 0;
    let dropped = false;
    for (let p = from; p < end;) {
      const id = buf[p];
      let next: number;
      if (id === USER_PROPERTY) {
        if (p + 3 > end) return undefined;
        const value = p + 3 + buf.readUInt16BE(p + 1);
        if (value + 2 > end) return undefined;
        next = value + 2 + buf.readUInt16BE(value);
      } else if (id === SUBSCRIPTION_ID) {
        const n = readVarInt(buf, p + 1);
        if (typeof n === 'string') return undefined;
        next = p + 1 + n.bytes;
      } else if (WIDTH[id] === -1) {
        if (p + 3 > end) return undefined;
        next = p + 3 + buf.readUInt16BE(p + 1);
      } else if (WIDTH[id] !== undefined) {
        next = p + 1 + WIDTH[id];
      } else return undefined;
      if (next > end) return undefined;
      count++;
      const repeatable = id === USER_PROPERTY || id === SUBSCRIPTION_ID;
      const keep = repeatable
        ? many < maxProperties && keptBytes + next - p <= maxPropertyBytes
        : !seen.has(id);
      if (keep) {
        kept.push(buf.subarray(p, next));
        keptBytes += next - p;
        if (repeatable) many++;
        else seen.add(id);
      } else dropped = true;
      p = next;
    }
    return dropped ? { kept: Buffer.concat(kept), count } : undefined;
  }

  /** Hands on `head` up to the end of its fixed header, then lets `length` body bytes pass. */
  private pass(out: Buffer[], head: Buffer, start: number, length: number): Buffer {
    this.held = [];
    this.heldBytes = 0;
    this.needed = 0;
    const body = head.subarray(start);
    if (body.length >= length) {
      if (start + length > 0) out.push(head.subarray(0, start + length));
      return body.subarray(length);
    }
    out.push(head);
    this.passing = length - body.length;
    return EMPTY;
  }

  private release(out: Buffer[], head: Buffer): Buffer {
    this.giveUp = true;
    this.held = [];
    this.heldBytes = 0;
    this.needed = 0;
    out.push(head);
    return EMPTY;
  }

  private wait(bytes: number): Buffer {
    this.needed = bytes;
    return EMPTY;
  }

  private joined(): Buffer {
    if (this.held.length > 1) this.held = [Buffer.concat(this.held, this.heldBytes)];
    return this.held[0];
  }
}

const EMPTY = Buffer.alloc(0);

function readVarInt(buf: Buffer, at: number): { value: number; bytes: number } | 'short' | 'bad' {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    if (at + i >= buf.length) return 'short';
    const byte = buf[at + i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, bytes: i + 1 };
  }
  return 'bad';
}

function encodeVarInt(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

function formatLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (Number.isInteger(mib)) return `${mib} MiB`;
  const kib = bytes / 1024;
  return Number.isInteger(kib) ? `${kib} KiB` : `${bytes.toLocaleString('en-US')}-byte`;
}
