/**
 * How deeply a Sparkplug B Payload nests, read from the wire before decoding: Templates hold
 * Metrics which hold Templates, and PropertySets hold PropertySets, so a hostile payload of a
 * few hundred kilobytes could nest a hundred thousand levels. Past `MAX_DEPTH` the payload is
 * refused with a clear error instead of exhausting the stack.
 */
import { Reader } from 'protobufjs/light';
import { MAX_DEPTH } from '../decoders/decodedTree';

type Scan = (reader: Reader, end: number, depth: number) => void;

/** Throws when the payload nests deeper than `MAX_DEPTH`; wire errors are left to the decoder. */
export function checkNesting(bytes: Uint8Array): void {
  const reader = Reader.create(bytes);
  try {
    fields(reader, bytes.length, 0, { 2: metric });
  } catch (error) {
    if (error instanceof NestingError) throw error;
  }
}

class NestingError extends Error {}

function fields(reader: Reader, end: number, depth: number, nested: Record<number, Scan>): void {
  if (depth > MAX_DEPTH)
    throw new NestingError(
      `Sparkplug B: templates or properties nested deeper than ${MAX_DEPTH} levels`,
    );
  while (reader.pos < end) {
    const tag = reader.uint32();
    const scan = nested[tag >>> 3];
    if (scan && (tag & 7) === 2) {
      const length = reader.uint32();
      const inner = reader.pos + length;
      if (inner > end) return;
      scan(reader, inner, depth + 1);
      reader.pos = inner;
    } else reader.skipType(tag & 7);
  }
}

const metric: Scan = (r, end, depth) => fields(r, end, depth, { 9: propertySet, 18: template });
const template: Scan = (r, end, depth) => fields(r, end, depth, { 2: metric });
const propertySet: Scan = (r, end, depth) => fields(r, end, depth, { 2: propertyValue });
const propertyValue: Scan = (r, end, depth) =>
  fields(r, end, depth, { 9: propertySet, 10: propertySetList });
const propertySetList: Scan = (r, end, depth) => fields(r, end, depth, { 1: propertySet });
