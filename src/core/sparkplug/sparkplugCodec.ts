/**
 * Sparkplug B Payloads in and out, with protobufjs and the Eclipse Tahu schema
 * (`sparkplugSchema.ts`). Decoding gives a plain object: 64-bit fields as decimal strings, bytes
 * as Uint8Array, the metric value's oneof named by `value`.
 */
import { Root, type INamespace, type Type } from 'protobufjs/light';
import { SPARKPLUG_B_DESCRIPTOR } from './sparkplugSchema';
import { checkNesting } from './sparkplugNesting';

let payloadType: Type | undefined;

function payload(): Type {
  payloadType ??= Root.fromJSON(SPARKPLUG_B_DESCRIPTOR as unknown as INamespace).lookupType(
    'org.eclipse.tahu.protobuf.Payload',
  );
  return payloadType;
}

/** Sparkplug B DataType numbers (sparkplug_b.proto `enum DataType`). */
export const DataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
  DataSet: 16,
  Bytes: 17,
  File: 18,
  Template: 19,
} as const;

// prettier-ignore
const DATA_TYPE_NAMES = [
  'Unknown', 'Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float',
  'Double', 'Boolean', 'String', 'DateTime', 'Text', 'UUID', 'DataSet', 'Bytes', 'File',
  'Template', 'PropertySet', 'PropertySetList', 'Int8Array', 'Int16Array', 'Int32Array',
  'Int64Array', 'UInt8Array', 'UInt16Array', 'UInt32Array', 'UInt64Array', 'FloatArray',
  'DoubleArray', 'BooleanArray', 'StringArray', 'DateTimeArray',
];

export function dataTypeName(type: number | undefined): string {
  return type === undefined ? 'Unknown' : (DATA_TYPE_NAMES[type] ?? `DataType ${type}`);
}

/** A metric as decoded (the fields present only). */
export interface RawMetric {
  name?: string;
  alias?: string;
  timestamp?: string;
  datatype?: number;
  isHistorical?: boolean;
  isTransient?: boolean;
  isNull?: boolean;
  properties?: { keys?: string[]; values?: Record<string, unknown>[] };
  /** Which of the value fields is set. */
  value?: string;
  intValue?: number;
  longValue?: string;
  floatValue?: number;
  doubleValue?: number;
  booleanValue?: boolean;
  stringValue?: string;
  bytesValue?: Uint8Array;
  datasetValue?: Record<string, unknown>;
  templateValue?: Record<string, unknown>;
}

export interface RawPayload {
  timestamp?: string;
  metrics?: RawMetric[];
  seq?: string;
  uuid?: string;
  body?: Uint8Array;
}

/** Decodes a Payload; throws an Error saying what is wrong (truncated, bad wire type…). */
export function decodeSparkplugPayload(bytes: Uint8Array): RawPayload {
  checkNesting(bytes);
  let message;
  try {
    message = payload().decode(bytes);
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message))
      throw new Error('Sparkplug B: the payload is nested too deeply to read');
    throw new Error(`Sparkplug B: not a valid Payload (${(error as Error).message})`);
  }
  return payload().toObject(message, { longs: String, oneofs: true }) as RawPayload;
}

/** A metric to encode: 64-bit values as number, bigint or decimal string. */
export interface MetricInput {
  name?: string;
  alias?: number | bigint;
  timestamp?: number;
  datatype: number;
  value: number | bigint | string | boolean | Uint8Array | null;
}

/** Encodes a Payload from metrics, choosing each value's field by its datatype. */
export function encodeSparkplugPayload(input: {
  timestamp?: number;
  seq?: number;
  metrics: MetricInput[];
}): Uint8Array {
  const metrics = input.metrics.map((m) => {
    const out: Record<string, unknown> = { datatype: m.datatype };
    if (m.name !== undefined) out.name = m.name;
    if (m.alias !== undefined) out.alias = String(m.alias);
    if (m.timestamp !== undefined) out.timestamp = String(m.timestamp);
    if (m.value === null) out.isNull = true;
    else out[valueField(m.datatype)] = encodedValue(m.datatype, m.value);
    return out;
  });
  const object: Record<string, unknown> = { metrics };
  if (input.timestamp !== undefined) object.timestamp = String(input.timestamp);
  if (input.seq !== undefined) object.seq = String(input.seq);
  const type = payload();
  return type.encode(type.fromObject(object)).finish();
}

function valueField(datatype: number): string {
  if (datatype <= 3 || (datatype >= 5 && datatype <= 7)) return 'intValue';
  if (datatype === 4 || datatype === 8 || datatype === 13) return 'longValue';
  if (datatype === 9) return 'floatValue';
  if (datatype === 10) return 'doubleValue';
  if (datatype === 11) return 'booleanValue';
  if (datatype === 12 || datatype === 14 || datatype === 15) return 'stringValue';
  return 'bytesValue';
}

function encodedValue(datatype: number, value: unknown): unknown {
  const field = valueField(datatype);
  // Signed types travel as their two's complement in the unsigned field.
  if (field === 'intValue') return Number(value) >>> 0;
  if (field === 'longValue') return BigInt.asUintN(64, BigInt(value as number)).toString();
  return value;
}
