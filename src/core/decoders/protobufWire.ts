/**
 * The Protobuf wire format (protobuf.dev/programming-guides/encoding) read without a library:
 * `checkProtobufWire` walks a message against its schema before protobufjs decodes it (wire
 * types, lengths, and how deep messages nest, so a recursive type cannot exhaust the stack), and
 * `readRawFields` reads a message without a schema: field numbers to values.
 */
import type { Type } from 'protobufjs';
import { MAX_NESTING, lengthError, structureError } from './structureLimits';
import { decodeUtf8 } from '../../shared/utf8';

const F = 'Protobuf';
/** A schema-less read guesses nested messages this deep at most. */
const RAW_NESTING = 16;

class WireReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  /** A varint as a number, or a bigint when above 2^53. */
  varint(): number | bigint {
    const at = this.pos;
    // Seven bytes (49 bits) add up exactly as a double; only longer varints need a bigint.
    let value = 0;
    for (let i = 0, scale = 1; i < 7; i++, scale *= 128) {
      if (this.pos >= this.end) throw structureError(F, 'unexpected end of data', this.pos);
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
    let big = BigInt(value);
    for (let shift = 49n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw structureError(F, 'unexpected end of data', this.pos);
      const b = this.bytes[this.pos++];
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    throw structureError(F, 'varint longer than 10 bytes', at);
  }

  /** A field's tag: its number and wire type. */
  tag(): { field: number; wire: number; at: number } {
    const at = this.pos;
    const tag = Number(this.varint());
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw structureError(F, 'field number 0', at);
    if (wire === 6 || wire === 7) throw structureError(F, `invalid wire type ${wire}`, at);
    return { field, wire, at };
  }

  /** Skips a fixed or length-delimited value; returns the length-delimited bytes' start. */
  skip(wire: number, at: number, field: number): number {
    const size = wire === 1 ? 8 : wire === 5 ? 4 : wire === 2 ? Number(this.varint()) : 0;
    const start = this.pos;
    if (size > this.end - this.pos)
      throw wire === 2
        ? lengthError(F, `field ${field}`, at, size, this.end - this.pos, this.end)
        : structureError(F, 'unexpected end of data', this.end);
    this.pos += size;
    return start;
  }
}

/** A message being read: its type (or, inside a map entry, the map's value type), and its end. */
interface Open {
  type?: Type;
  mapValue?: Type;
  end: number;
  /** A group (wire type 3) ends at its end-group tag for this field instead. */
  group?: number;
}

/** The message a field holds, as an entry for the walk, or undefined when it holds none. */
function nested(open: Open, field: number, end: number): Open | undefined {
  if (!open.type) return open.mapValue && field === 2 ? { type: open.mapValue, end } : undefined;
  const f = open.type.fieldsById[field];
  if (!f) return undefined;
  const resolved =
    f.resolvedType && 'fieldsById' in f.resolvedType ? (f.resolvedType as Type) : undefined;
  if (f.map) return resolved ? { mapValue: resolved, end } : undefined;
  return resolved ? { type: resolved, end } : undefined;
}

const VARINT = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);
const FIXED64 = new Set(['fixed64', 'sfixed64', 'double']);
const FIXED32 = new Set(['fixed32', 'sfixed32', 'float']);

/** The wire types a field of `type` may come with (a repeated scalar also packed). */
function checkWireType(type: Type | undefined, field: number, wire: number, at: number): void {
  const f = type?.fieldsById[field];
  if (!f || wire === 4) return;
  const isMessage = f.resolvedType !== null && 'fieldsById' in f.resolvedType;
  const scalar =
    VARINT.has(f.type) || (f.resolvedType !== null && !isMessage)
      ? 0
      : FIXED64.has(f.type)
        ? 1
        : FIXED32.has(f.type)
          ? 5
          : 2;
  const allowed = f.map
    ? [2]
    : isMessage
      ? [2, 3]
      : f.repeated && scalar !== 2
        ? [scalar, 2]
        : [scalar];
  if (!allowed.includes(wire))
    throw structureError(
      F,
      `field ${field} (${f.name}, ${f.type}) has wire type ${wire} where ${allowed.join(' or ')} belongs`,
      at,
    );
}

/** Walks a message of `type`: wire types, lengths and nesting, with the byte of any problem. */
export function checkProtobufWire(bytes: Uint8Array, type: Type): void {
  const reader = new WireReader(bytes, 0, bytes.byteLength);
  const stack: Open[] = [{ type, end: bytes.byteLength }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (reader.pos >= top.end) {
      if (top.group !== undefined) throw structureError(F, 'group without its end tag', reader.pos);
      stack.pop();
      continue;
    }
    const { field, wire, at } = reader.tag();
    checkWireType(top.type, field, wire, at);
    if (wire === 4) {
      if (top.group !== field) throw structureError(F, `unexpected end-group tag ${field}`, at);
      stack.pop();
    } else if (wire === 0) reader.varint();
    else if (wire === 3)
      push({ ...(nested(top, field, top.end) ?? { end: top.end }), group: field }, at);
    else {
      const start = reader.skip(wire, at, field);
      const inner = wire === 2 ? nested(top, field, reader.pos) : undefined;
      if (inner) {
        reader.pos = start;
        push(inner, at);
      }
    }
  }
  function push(open: Open, at: number): void {
    if (stack.length >= MAX_NESTING) {
      const name = open.type ?? open.mapValue;
      throw structureError(
        F,
        `messages nested deeper than ${MAX_NESTING} levels${name ? ` (${name.fullName.slice(1)})` : ''}`,
        at,
      );
    }
    stack.push(open);
  }
}

/** A field's values without a schema, by field number (repeated numbers as a list). */
export type RawMessage = Map<string, unknown>;

/**
 * Reads a message without its schema, like `protoc --decode_raw`: varints as integers, fixed64 and
 * fixed32 as unsigned integers, and length-delimited fields as text when they are printable
 * UTF-8, else as a nested message when they read as one, else as bytes.
 */
export function readRawFields(bytes: Uint8Array): RawMessage {
  return readRaw(bytes, 0, bytes.byteLength, 0);
}

function readRaw(bytes: Uint8Array, from: number, end: number, depth: number): RawMessage {
  const reader = new WireReader(bytes, from, end);
  const fields: RawMessage = new Map();
  while (reader.pos < end) {
    const { field, wire, at } = reader.tag();
    let value: unknown;
    if (wire === 0) value = reader.varint();
    else if (wire === 3 || wire === 4)
      throw structureError(F, `group (wire type ${wire}) needs a schema`, at);
    else {
      const start = reader.skip(wire, at, field);
      value =
        wire === 2
          ? lengthDelimited(bytes, start, reader.pos, depth)
          : fixed(bytes, start, wire === 1 ? 8 : 4);
    }
    const key = String(field);
    const seen = fields.get(key);
    if (seen === undefined) fields.set(key, value);
    // Values read here are never lists, so a list is a repeated field.
    else if (Array.isArray(seen)) seen.push(value);
    else fields.set(key, [seen, value]);
  }
  return fields;
}

function lengthDelimited(bytes: Uint8Array, start: number, end: number, depth: number): unknown {
  const slice = bytes.subarray(start, end);
  const text = decodeUtf8(slice);
  if (text !== undefined && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return text;
  if (depth < RAW_NESTING && end > start && readsAsMessage(bytes, start, end)) {
    try {
      return readRaw(bytes, start, end, depth + 1);
    } catch {
      // A nested field does not read: bytes.
    }
  }
  return slice;
}

/** Whether the bytes read as one message's fields (tags, wire types, lengths), without throwing. */
function readsAsMessage(bytes: Uint8Array, start: number, end: number): boolean {
  let pos = start;
  const varint = (): number => {
    let value = 0;
    for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
      if (pos >= end) return -1;
      const b = bytes[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
    return -1;
  };
  while (pos < end) {
    const tag = varint();
    const wire = tag & 7;
    if (tag < 8 || wire === 3 || wire === 4 || wire > 5) return false;
    const size = wire === 0 ? (varint() < 0 ? -1 : 0) : wire === 1 ? 8 : wire === 5 ? 4 : varint();
    if (size < 0 || size > end - pos) return false;
    pos += size;
  }
  return true;
}

function fixed(bytes: Uint8Array, start: number, size: 4 | 8): number | bigint {
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[start + i]);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
