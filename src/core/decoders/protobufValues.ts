/**
 * A decoded protobufjs message as plain values for the value tree: fields in declaration order,
 * 64-bit integers as bigint (so a large one stays exact), enums by name, bytes as bytes.
 */
import type { Message, Type } from 'protobufjs';

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

export function protoToPlain(type: Type, message: Message): unknown {
  const object = type.toObject(message, { longs: String, enums: String });
  return withLongs(type, object);
}

/** `toObject` gives 64-bit integers as decimal strings: make them bigint, following the schema. */
function withLongs(type: Type, object: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const field of type.fieldsArray) {
    if (!(field.name in object)) continue;
    const value = object[field.name];
    const nested =
      field.resolvedType && 'fieldsArray' in field.resolvedType
        ? (field.resolvedType as Type)
        : undefined;
    const one = (v: unknown): unknown =>
      nested && v && typeof v === 'object'
        ? withLongs(nested, v as Record<string, unknown>)
        : LONG_TYPES.has(field.type) && typeof v === 'string'
          ? BigInt(v)
          : v;
    if (field.map && value && typeof value === 'object')
      out.set(field.name, new Map(Object.entries(value).map(([k, v]) => [k, one(v)])));
    else if (Array.isArray(value)) out.set(field.name, value.map(one));
    else out.set(field.name, one(value));
  }
  return out;
}
