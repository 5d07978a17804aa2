/**
 * Watches the bytes a broker sends before MQTT.js parses them, packet by packet, so that a
 * hostile broker or device cannot make the parser spend seconds and hundreds of MiB:
 * - a packet whose fixed header announces more than `maxPacketBytes` (a packet other than
 *   PUBLISH: `maxControlPacketBytes`, as it is all header and properties) is refused before any
 *   of its body is buffered (`PacketTooLarge`); the caller closes the connection;
 * - an MQTT 5 PUBLISH with more than `maxProperties` user properties (or subscription
 *   identifiers), or more than `maxPropertyBytes` of them, reaches the parser with only the
 *   first ones kept; the count and size it carried are recorded for that PUBLISH.
 * Only a fixed header and an MQTT 5 PUBLISH's topic are held; properties are read as they
 * arrive (`PropertyScan`), payloads pass through as they come.
 */
import { MqttError } from '../mqttError';
import type { IncomingLimits, PropertiesTruncation } from './limits';
import { PropertyScan } from './propertyScan';

export type { IncomingLimits, PropertiesTruncation } from './limits';

export const DEFAULT_MAX_PACKET_MEGABYTES = 16;
export const DEFAULT_INCOMING_LIMITS: IncomingLimits = {
  maxPacketBytes: DEFAULT_MAX_PACKET_MEGABYTES * 1024 * 1024,
  maxProperties: 256,
  maxPropertyBytes: 64 * 1024,
  maxControlPacketBytes: 256 * 1024,
};

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

export class IncomingPacketGuard {
  /** Bytes of the current packet's head, not yet handed on. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Held bytes needed before the head is looked at again. */
  private needed = 0;
  /** Body bytes of the current packet still to pass through untouched. */
  private passing = 0;
  /** The properties of the current MQTT 5 PUBLISH, read as they arrive. */
  private scan: PropertyScan | undefined;
  /** Set on a malformed header: everything passes, and the parser reports it. */
  private giveUp = false;
  /** PUBLISH packets handed on, and those the parser has emitted since (nextPublish). */
  private publishesPassed = 0;
  private publishesTaken = 0;
  /** Truncations by the number of their PUBLISH among those handed on. */
  private readonly truncations = new Map<number, PropertiesTruncation>();

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
      if (this.scan) {
        chunk = this.scan.feed(chunk);
        if (this.scan.done) this.endScan(out);
        continue;
      }
      if (this.passing > 0) {
        const n = Math.min(this.passing, chunk.length);
        append(out, n === chunk.length ? chunk : chunk.subarray(0, n));
        this.passing -= n;
        chunk = chunk.subarray(n);
        continue;
      }
      if (this.heldBytes === 0) {
        const whole = this.wholePackets(chunk);
        if (whole > 0) {
          append(out, whole === chunk.length ? chunk : chunk.subarray(0, whole));
          chunk = chunk.subarray(whole);
          continue;
        }
      }
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      chunk = this.heldBytes < this.needed ? EMPTY : this.takeHead(out);
    }
    return out;
  }

  /** The truncation of the next PUBLISH the parser emits (call once per parsed PUBLISH). */
  nextPublish(): PropertiesTruncation | undefined {
    const n = ++this.publishesTaken;
    if (this.truncations.size === 0) return undefined;
    const truncation = this.truncations.get(n);
    if (truncation) this.truncations.delete(n);
    return truncation;
  }

  /**
   * The fast path of a flood of ordinary messages: the bytes of the packets at the start of
   * `chunk` that are complete, within the size limit and need no rewriting, found without
   * allocating anything. The packets after them take the general path.
   */
  private wholePackets(chunk: Buffer): number {
    const { maxPacketBytes, maxControlPacketBytes, maxProperties, maxPropertyBytes } = this.limits;
    const shortSection = Math.min(maxPropertyBytes, maxProperties * 2);
    const v5 = this.protocolVersion === 5;
    let o = 0;
    for (;;) {
      let length = 0;
      let i = o + 1;
      for (let shift = 1; ; shift *= 128, i++) {
        if (i >= chunk.length || i > o + 4) return o;
        length += (chunk[i] & 0x7f) * shift;
        if ((chunk[i] & 0x80) === 0) break;
      }
      const start = i + 1;
      const end = start + length;
      const type = chunk[o] >> 4;
      if (end > chunk.length) return o;
      const limit =
        type === PUBLISH ? maxPacketBytes : Math.min(maxPacketBytes, maxControlPacketBytes);
      if (end - o > limit) return o;
      if (type === PUBLISH) {
        if (v5) {
          // Topic, packet id, then the property length: passed as is only when short.
          const q = start + 2 + ((chunk[start] << 8) | chunk[start + 1]) + (chunk[o] & 6 ? 2 : 0);
          if (q >= end || chunk[q] & 0x80 || chunk[q] > shortSection) return o;
        }
        this.publishesPassed++;
      }
      o = end;
    }
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
      if (type === PUBLISH) this.publishesPassed++;
      return this.pass(out, head, start, fixed.value);
    }
    // MQTT 5 PUBLISH: topic, packet id when QoS > 0, then the properties.
    if (head.length < start + 2) return this.wait(start + 2);
    const p = start + 2 + head.readUInt16BE(start) + (((head[0] >> 1) & 3) > 0 ? 2 : 0);
    const props = readVarInt(head, p);
    if (props === 'short' && head.length < total) return this.wait(head.length + 1);
    if (props === 'short' || props === 'bad') return this.release(out, head);
    const end = p + props.bytes + props.value;
    if (end > total) return this.release(out, head);
    // Each repeatable property takes 2 bytes or more: a short section is within the limits.
    const { maxProperties, maxPropertyBytes } = this.limits;
    if (props.value <= Math.min(maxPropertyBytes, maxProperties * 2)) {
      this.publishesPassed++;
      return this.pass(out, head, start, fixed.value);
    }
    // The properties are read as they arrive, never held whole; the head is rebuilt after them.
    const topicSection = Buffer.from(head.subarray(start, p));
    const scan = new PropertyScan(this.limits, head[0], topicSection, props.value, total - end);
    if (head.length >= end) {
      // All there already: unless some were let go, the packet passes as it came.
      scan.feed(head.subarray(p + props.bytes, end));
      if (!scan.truncation()) {
        this.publishesPassed++;
        return this.pass(out, head, start, fixed.value);
      }
    }
    this.scan = scan;
    this.held = [];
    this.heldBytes = 0;
    this.needed = 0;
    if (scan.done) {
      this.endScan(out);
      return head.subarray(end);
    }
    return head.subarray(p + props.bytes);
  }

  private endScan(out: Buffer[]): void {
    const scan = this.scan!;
    this.scan = undefined;
    const truncation = scan.truncation();
    this.publishesPassed++;
    if (truncation) this.truncations.set(this.publishesPassed, truncation);
    out.push(scan.head());
    this.passing = scan.payloadBytes;
  }

  /** Hands on `head` up to the end of its fixed header, then lets `length` body bytes pass. */
  private pass(out: Buffer[], head: Buffer, start: number, length: number): Buffer {
    this.held = [];
    this.heldBytes = 0;
    this.needed = 0;
    const body = head.subarray(start);
    if (body.length >= length) {
      if (start + length > 0) append(out, head.subarray(0, start + length));
      return body.subarray(length);
    }
    append(out, head);
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

/**
 * Adds `buf` to `out`, joined to the last piece when it continues it in memory: a chunk of a
 * thousand small packets reaches the parser as one write, not a thousand.
 */
function append(out: Buffer[], buf: Buffer): void {
  const last = out[out.length - 1];
  if (last && last.buffer === buf.buffer && last.byteOffset + last.length === buf.byteOffset)
    out[out.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + buf.length);
  else out.push(buf);
}

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

function formatLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (Number.isInteger(mib)) return `${mib} MiB`;
  const kib = bytes / 1024;
  return Number.isInteger(kib) ? `${kib} KiB` : `${bytes.toLocaleString('en-US')}-byte`;
}
