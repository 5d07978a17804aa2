/**
 * Section d: what decoding costs per message, one reading (a device's telemetry: name,
 * temperature, 64-bit counter and serial, ten samples) encoded in every format, decoded through
 * `decodePayload` as the Message Log's detail does, and as a row's one-line preview
 * (`toLogRow`), in µs of CPU time. Baseline: `JSON.parse` of the JSON form, the least any decoder could cost.
 */
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
// @ts-expect-error TS1479: cbor-x declares ES module types only; its Node build is CommonJS.
import { encode as cborEncode } from 'cbor-x';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { decodePayload, type RuleChoice } from '../src/core/decoders/registry';
import { loadProtoSchema } from '../src/core/decoders/protoSchema';
import { toLogRow } from '../src/core/log/logRows';
import type { MessageEntry } from '../src/core/store/messageStoreTypes';

const READING = {
  device: 'press-2',
  temperature: 80.25,
  counter: -9_000_000_000,
  serial: 18446744073709551615n,
  samples: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
};

export interface DecodingCase {
  name: string;
  bytes: number;
  /** µs per message through decodePayload (the detail) and toLogRow (a row's preview). */
  detailMicros: number;
  rowMicros: number;
}

export interface DecodingResult {
  cases: DecodingCase[];
  /** µs per JSON.parse of the JSON form. */
  baselineMicros: number;
}

/**
 * µs of this process's CPU time per call of `fn`, over about `ms` of it after a warm-up: CPU time
 * counts only what the bench itself spent, so other work on a busy machine does not inflate it.
 */
function timePerCall(fn: () => unknown, ms = 300): number {
  for (let i = 0; i < 2_000; i++) fn();
  let calls = 0;
  const start = process.cpuUsage();
  let spent = 0;
  while (spent < ms * 1000) {
    for (let i = 0; i < 500; i++) fn();
    calls += 500;
    const used = process.cpuUsage(start);
    spent = used.user + used.system;
  }
  return spent / calls;
}

export async function benchDecoding(): Promise<DecodingResult> {
  const schema = await loadProtoSchema(
    path.resolve(__dirname, '../test/fixtures/proto/telemetry.proto'),
    (f) => readFile(f, 'utf8'),
  );
  const Telemetry = schema.root.lookupType('plant.Telemetry');
  const proto = Telemetry.encode(
    Telemetry.fromObject({
      ...READING,
      counter: String(READING.counter),
      serial: String(READING.serial),
    }),
  ).finish();
  const json = Buffer.from(
    JSON.stringify(READING, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
  );
  const rule = (decoder: RuleChoice['decoder'], options?: RuleChoice['options']): RuleChoice => ({
    decoder,
    topic: 'plant/#',
    ...(options ? { options } : {}),
  });
  const formats: { name: string; payload: Uint8Array; rule?: RuleChoice }[] = [
    { name: 'JSON (auto)', payload: json },
    { name: 'CBOR (cbor-x)', payload: new Uint8Array(cborEncode(READING)), rule: rule('cbor') },
    {
      name: 'MessagePack (@msgpack/msgpack)',
      payload: msgpackEncode(READING, { useBigInt64: true }),
      rule: rule('msgpack'),
    },
    {
      name: 'Protobuf plant.Telemetry (protobufjs)',
      payload: proto,
      rule: rule('protobuf', { protoRoot: schema.root, messageType: 'plant.Telemetry' }),
    },
    { name: 'Protobuf raw wire format', payload: proto, rule: rule('protobuf') },
    {
      name: 'base64 of the Protobuf',
      payload: Buffer.from(Buffer.from(proto).toString('base64')),
      rule: rule('base64'),
    },
    { name: 'text (the JSON as text)', payload: json, rule: rule('text') },
    { name: 'hex dump (the Protobuf)', payload: proto, rule: rule('hex') },
  ];
  const cases: DecodingCase[] = [];
  for (const f of formats) {
    const context = { topic: 'plant/line-1/telemetry' };
    const check = decodePayload(f.payload, context, f.rule);
    if (check.error) throw new Error(`${f.name}: ${check.error}`);
    const entry = {
      seq: 1,
      time: 0,
      connection: 'bench',
      direction: 'in',
      topic: context.topic,
      qos: 0,
      retain: false,
      dup: false,
      payload: f.payload,
    } as unknown as MessageEntry;
    cases.push({
      name: f.name,
      bytes: f.payload.byteLength,
      detailMicros: timePerCall(() => decodePayload(f.payload, context, f.rule)),
      rowMicros: timePerCall(() => toLogRow(entry, { decoderRule: () => f.rule })),
    });
  }
  const text = json.toString();
  return { cases, baselineMicros: timePerCall(() => JSON.parse(text)) };
}
