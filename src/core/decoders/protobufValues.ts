/**
 * A decoded protobufjs message as plain values for the value tree: the fields it carried in
 * declaration order, 64-bit integers as bigint (so a large one stays exact), enums by name (the
 * number when the schema has no name for it), bytes as bytes, maps as maps.
 */
import type { Enum, Message, Type } from 'protobufjs';

/** protobufjs's 64-bit integer (the `long` package). */
interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

export function protoToPlain(type: Type, message: Message): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const fields = message as unknown as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(fields, field.name)) continue;
    const value = fields[field.name];
    if (value === null || value === undefined) continue;
    const resolved = field.resolvedType;
    const one = (v: unknown): unknown => {
      if (resolved && 'fieldsArray' in resolved)
        return protoToPlain(resolved as Type, v as Message);
      if (resolved) return (resolved as Enum).valuesById[v as number] ?? v;
      return isLong(v) ? longValue(v) : v;
    };
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) out.set(field.name, new Map(entries.map(([k, v]) => [k, one(v)])));
    } else if (field.repeated) {
      if ((value as unknown[]).length > 0) out.set(field.name, (value as unknown[]).map(one));
    } else out.set(field.name, one(value));
  }
  return out;
}

function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && 'low' in v && 'high' in v && 'unsigned' in v;
}

function longValue(v: LongLike): bigint | number {
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  const value = v.unsigned ? bits : BigInt.asIntN(64, bits);
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}
