/**
 * What the store counts an entry as costing, for its byte budget: a fixed overhead per entry
 * besides the payload and topic, and a rough size of MQTT 5 properties.
 */

/**
 * Estimated bytes of one entry besides its payload and topic: the row's columns (33 bytes)
 * plus the ring's unused slack and the interned topic's share.
 */
export const ENTRY_OVERHEAD_BYTES = 48;

/** Estimated bytes of a message's properties; 0 when it has none. */
export function propertiesBytes(properties: Record<string, unknown>): number {
  for (const _ in properties) return estimateBytes(properties, 3);
  return 0;
}

/** A rough size of MQTT 5 properties (user properties, correlation data), bounded in depth. */
function estimateBytes(value: unknown, depth: number): number {
  if (typeof value === 'string') return 16 + value.length * 2;
  if (value instanceof Uint8Array) return 64 + value.byteLength;
  if (typeof value !== 'object' || value === null) return 8;
  let n = 32;
  if (depth === 0) return n;
  if (Array.isArray(value)) for (const v of value) n += 8 + estimateBytes(v, depth - 1);
  else for (const [k, v] of Object.entries(value)) n += 16 + k.length + estimateBytes(v, depth - 1);
  return n;
}
