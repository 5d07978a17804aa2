/**
 * Reads the property section of one MQTT 5 PUBLISH as its bytes arrive, chunk by chunk, and
 * keeps only what the limits allow: the first occurrence of each single-valued property, and
 * user properties and subscription identifiers while within `maxProperties` and
 * `maxPropertyBytes`. The rest is counted and let go, so a section of a million properties is
 * never held whole, and each chunk costs only its own bytes. At the end, `head()` is the
 * PUBLISH's fixed header and variable header rewritten around the kept properties.
 */
import { MqttError } from '../mqttError';
import type { IncomingLimits, PropertiesTruncation } from './limits';

export class MalformedPacket extends MqttError {
  /** A string code: MQTT.js passes a stream error with a code on as the client's 'error'. */
  readonly code = 'MQTT_MALFORMED_PACKET';
}

const USER_PROPERTY = 0x26;
const SUBSCRIPTION_ID = 0x0b;
/**
 * Value widths of the MQTT 5 properties (as mqtt-packet reads them, whatever the packet):
 * bytes of a fixed-size value; -1 a length-prefixed string or binary; -2 a string pair;
 * -3 a variable byte integer.
 */
const WIDTH = new Int8Array(256);
for (const id of [0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2a]) WIDTH[id] = 1;
for (const id of [0x13, 0x21, 0x22, 0x23]) WIDTH[id] = 2;
for (const id of [0x02, 0x11, 0x18, 0x27]) WIDTH[id] = 4;
for (const id of [0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1a, 0x1c, 0x1f]) WIDTH[id] = -1;
WIDTH[USER_PROPERTY] = -2;
WIDTH[SUBSCRIPTION_ID] = -3;

export class PropertyScan {
  /** Property bytes not yet received. */
  private left: number;
  /** The start of a property split across chunks. */
  private carry: Buffer = Buffer.alloc(0);
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private repeated = 0;
  private readonly seen = new Uint8Array(256);
  private count = 0;
  private dropped = false;

  constructor(
    private readonly limits: IncomingLimits,
    /** The PUBLISH's first byte (type and flags). */
    private readonly firstByte: number,
    /** Topic name and packet identifier, as sent. */
    private readonly topicSection: Buffer,
    /** Bytes of the property section as sent. */
    private readonly sectionBytes: number,
    /** Payload bytes after the properties. */
    readonly payloadBytes: number,
  ) {
    this.left = sectionBytes;
  }

  get done(): boolean {
    return this.left === 0 && this.carry.length === 0;
  }

  /** Reads the section's bytes from `chunk`; returns the bytes after the section. */
  feed(chunk: Buffer): Buffer {
    const take = Math.min(chunk.length, this.left);
    this.left -= take;
    const part = chunk.subarray(0, take);
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, part]) : part;
    const used = this.readProperties(data);
    if (used < data.length) {
      if (this.left === 0) throw this.malformed('a property runs past the end of the properties');
      // A copy: at most one property (a user property is at most 128 KiB).
      this.carry = Buffer.from(data.subarray(used));
    } else this.carry = Buffer.alloc(0);
    return chunk.subarray(take);
  }

  /** What the message carried, when some of it was let go. */
  truncation(): PropertiesTruncation | undefined {
    return this.dropped ? { count: this.count, bytes: this.sectionBytes } : undefined;
  }

  /** The fixed header and variable header of the PUBLISH with the kept properties. */
  head(): Buffer {
    const propLength = encodeVarInt(this.keptBytes);
    const body = this.topicSection.length + propLength.length + this.keptBytes + this.payloadBytes;
    return Buffer.concat([
      Buffer.from([this.firstByte]),
      encodeVarInt(body),
      this.topicSection,
      propLength,
      ...this.kept,
    ]);
  }

  /** Reads the whole properties at the start of `data`; returns the bytes they take. */
  private readProperties(data: Buffer): number {
    const { maxProperties, maxPropertyBytes } = this.limits;
    const end = data.length;
    let p = 0;
    while (p < end) {
      const id = data[p];
      const width = WIDTH[id];
      let next: number;
      // Read inline: this loop may run a million times for one hostile message.
      if (width > 0) next = p + 1 + width;
      else if (width === -2) {
        if (p + 3 > end) break;
        const value = p + 3 + ((data[p + 1] << 8) | data[p + 2]);
        if (value + 2 > end) break;
        next = value + 2 + ((data[value] << 8) | data[value + 1]);
      } else if (width === -1) {
        if (p + 3 > end) break;
        next = p + 3 + ((data[p + 1] << 8) | data[p + 2]);
      } else if (width === -3) {
        let q = p + 1;
        while (q < end && q < p + 5 && data[q] & 0x80) q++;
        if (q >= end) break;
        if (q === p + 5) throw this.malformed('a subscription identifier is too long');
        next = q + 1;
      } else throw this.malformed(`unknown property 0x${id.toString(16).padStart(2, '0')}`);
      if (next > end) break;
      this.count++;
      const size = next - p;
      const repeatable = id === USER_PROPERTY || id === SUBSCRIPTION_ID;
      const keep = repeatable
        ? this.repeated < maxProperties && this.keptBytes + size <= maxPropertyBytes
        : this.seen[id] === 0;
      if (keep) {
        // A view, not a copy: what it keeps alive is part of this packet, within its size limit.
        this.kept.push(data.subarray(p, next));
        this.keptBytes += size;
        if (repeatable) this.repeated++;
        else this.seen[id] = 1;
      } else this.dropped = true;
      p = next;
    }
    return p;
  }

  private malformed(why: string): MalformedPacket {
    return new MalformedPacket(
      `the broker sent a malformed PUBLISH packet (${why}); the connection was closed`,
    );
  }
}

export function encodeVarInt(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}
