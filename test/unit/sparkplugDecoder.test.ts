/**
 * The Sparkplug B decoder: chosen by topic, every datatype read by its type (64-bit beyond 2^53
 * as digits, signed small ints, arrays, DataSet, Template, bytes), aliases named from a birth,
 * and truncated or hostile payloads answered with a clear error, fast.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { decodePayload } from '../../src/core/decoders/registry';
import { decodedText } from '../../src/core/decoders/decodedTree';
import { toLogRow } from '../../src/core/log/logRows';
import { SparkplugTracker } from '../../src/core/sparkplug/sparkplugTracker';
import { FakeScheduler } from './fakeScheduler';
import type { MessageEntry } from '../../src/core/store/messageStoreTypes';
import type { DecodedNode } from '../../src/protocol/decoded';
import { SPARKPLUG_B_DESCRIPTOR } from '../../src/core/sparkplug/sparkplugSchema';
import {
  DataType,
  decodeSparkplugPayload,
  encodeSparkplugPayload,
} from '../../src/core/sparkplug/sparkplugCodec';
import { parseSparkplugTopic } from '../../src/core/sparkplug/sparkplugTopic';

const proto = readFileSync('src/core/sparkplug/sparkplug_b.proto', 'utf8');
const fullRoot = protobuf.parse(proto).root;
const Payload = fullRoot.lookupType('org.eclipse.tahu.protobuf.Payload');
const encode = (object: Record<string, unknown>) =>
  Payload.encode(Payload.fromObject(object)).finish();

function get(node: DecodedNode | undefined, ...path: string[]): DecodedNode | undefined {
  for (const key of path) {
    if (node?.t !== 'map') return undefined;
    node = node.entries.find(([k]) => k === key)?.[1];
  }
  return node;
}

const topic = 'spBv1.0/plant/NDATA/edge-1';

describe('Sparkplug B decoder', () => {
  it('the checked-in descriptor is the Tahu .proto', () => {
    const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    assert.deepEqual(plain(SPARKPLUG_B_DESCRIPTOR), plain(fullRoot.toJSON()));
  });

  it('is chosen by topic, not for STATE or other topics', () => {
    const bytes = encode({ seq: 1, metrics: [] });
    assert.equal(decodePayload(bytes, { topic }).decoder, 'sparkplug');
    assert.equal(decodePayload(bytes, { topic }).label, 'Sparkplug B NDATA');
    assert.equal(decodePayload(bytes, { topic }).reason, 'topic spBv1.0/…');
    const state = Buffer.from('{"online":true,"timestamp":1}');
    assert.equal(decodePayload(state, { topic: 'spBv1.0/STATE/host-1' }).decoder, 'json');
    assert.notEqual(decodePayload(bytes, { topic: 'plant/NDATA/edge-1' }).decoder, 'sparkplug');
    assert.equal(parseSparkplugTopic('spBv1.0/g/DDATA/n'), undefined, 'a DDATA needs a device');
    assert.deepEqual(parseSparkplugTopic('spBv1.0/g/DDATA/n/d'), {
      group: 'g',
      type: 'DDATA',
      node: 'n',
      device: 'd',
    });
  });

  it('reads each value by its datatype', () => {
    const bytes = encode({
      timestamp: '1700000000000',
      seq: 7,
      metrics: [
        { name: 'i8', datatype: DataType.Int8, intValue: 0xfffffffb },
        { name: 'i16', datatype: DataType.Int16, intValue: 0xffff8000 },
        { name: 'i32', datatype: DataType.Int32, intValue: 0xffffffff },
        { name: 'u32', datatype: DataType.UInt32, intValue: 0xffffffff },
        { name: 'i64', datatype: DataType.Int64, longValue: '18446744073709551615' },
        { name: 'u64', datatype: DataType.UInt64, longValue: '18446744073709551615' },
        { name: 'small', datatype: DataType.UInt64, longValue: '42' },
        { name: 'f', datatype: DataType.Float, floatValue: 1.5 },
        { name: 'd', datatype: DataType.Double, doubleValue: 2.25 },
        { name: 'b', datatype: DataType.Boolean, booleanValue: true },
        { name: 's', datatype: DataType.String, stringValue: 'hi\u202e' },
        { name: 'raw', datatype: DataType.Bytes, bytesValue: Buffer.from([1, 2, 255]) },
        { name: 'gone', datatype: DataType.Double, isNull: true },
        { name: 'temp', alias: 3, timestamp: '1700000000001', datatype: 10, doubleValue: 20.5 },
      ],
    });
    const out = decodePayload(bytes, { topic });
    assert.equal(out.error, undefined);
    const v = (name: string) => get(out.value, 'metrics', name, 'value');
    assert.deepEqual(get(out.value, 'timestamp'), { t: 'num', v: 1700000000000 });
    assert.deepEqual(get(out.value, 'seq'), { t: 'num', v: 7 });
    assert.deepEqual(v('i8'), { t: 'num', v: -5 });
    assert.deepEqual(v('i16'), { t: 'num', v: -32768 });
    assert.deepEqual(v('i32'), { t: 'num', v: -1 });
    assert.deepEqual(v('u32'), { t: 'num', v: 4294967295 });
    assert.deepEqual(v('i64'), { t: 'num', v: -1 });
    assert.deepEqual(v('u64'), { t: 'int', v: '18446744073709551615' });
    assert.deepEqual(v('small'), { t: 'num', v: 42 });
    assert.deepEqual(v('f'), { t: 'num', v: 1.5 });
    assert.deepEqual(v('d'), { t: 'num', v: 2.25 });
    assert.deepEqual(v('b'), { t: 'bool', v: true });
    assert.deepEqual(v('s'), { t: 'str', v: 'hi\u202e' });
    assert.deepEqual(v('raw'), { t: 'bytes', size: 3, hex: '0102ff' });
    assert.deepEqual(v('gone'), { t: 'null' });
    assert.deepEqual(get(out.value, 'metrics', 'temp', 'datatype'), { t: 'str', v: 'Double' });
    assert.deepEqual(get(out.value, 'metrics', 'temp', 'alias'), { t: 'num', v: 3 });
    assert.deepEqual(get(out.value, 'metrics', 'temp', 'timestamp'), {
      t: 'num',
      v: 1700000000001,
    });
    assert.match(out.text ?? '', /"temp": \{\n\s+"value": 20.5/);
  });

  it('reads arrays, a DataSet and a Template', () => {
    const ints = Buffer.alloc(8);
    ints.writeInt32LE(-2, 0);
    ints.writeInt32LE(70000, 4);
    const bytes = encode({
      metrics: [
        { name: 'ints', datatype: 24, bytesValue: ints },
        { name: 'names', datatype: 33, bytesValue: Buffer.from('a\0bc\0') },
        { name: 'flags', datatype: 32, bytesValue: Buffer.from([3, 0, 0, 0, 0b10100000]) },
        {
          name: 'table',
          datatype: DataType.DataSet,
          datasetValue: {
            numOfColumns: 2,
            columns: ['id', 'label'],
            types: [DataType.Int32, DataType.String],
            rows: [{ elements: [{ intValue: 1 }, { stringValue: 'one' }] }],
          },
        },
        {
          name: 'motor',
          datatype: DataType.Template,
          templateValue: {
            templateRef: 'Motor',
            parameters: [{ name: 'rated', type: DataType.Float, floatValue: 7.5 }],
            metrics: [{ name: 'rpm', datatype: DataType.Int32, intValue: 1500 }],
          },
        },
      ],
    });
    const out = decodePayload(bytes, { topic });
    assert.equal(out.error, undefined);
    const m = (...path: string[]) => get(out.value, 'metrics', ...path);
    assert.deepEqual(m('ints', 'value'), {
      t: 'list',
      items: [
        { t: 'num', v: -2 },
        { t: 'num', v: 70000 },
      ],
    });
    assert.deepEqual(m('names', 'value'), {
      t: 'list',
      items: [
        { t: 'str', v: 'a' },
        { t: 'str', v: 'bc' },
      ],
    });
    assert.deepEqual(m('flags', 'value'), {
      t: 'list',
      items: [
        { t: 'bool', v: true },
        { t: 'bool', v: false },
        { t: 'bool', v: true },
      ],
    });
    const table = m('table', 'value');
    assert.match(decodedText(table!), /"id": 1,\n\s+"label": "one"/);
    assert.match(decodedText(table!), /"id: Int32"/);
    assert.deepEqual(m('motor', 'value', 'templateRef'), { t: 'str', v: 'Motor' });
    assert.deepEqual(m('motor', 'value', 'parameters', 'rated'), { t: 'num', v: 7.5 });
    assert.deepEqual(m('motor', 'value', 'metrics', 'rpm', 'value'), { t: 'num', v: 1500 });
  });

  it('previews a row decoded, not as hex', () => {
    const bytes = encode({ seq: 7, metrics: [{ name: 'Speed', datatype: 10, doubleValue: 1.5 }] });
    const row = toLogRow({
      seq: 1,
      time: 0,
      connection: 'c',
      direction: 'in',
      topic,
      qos: 0,
      retain: false,
      dup: false,
      payload: bytes,
    } as MessageEntry);
    assert.match(row.preview, /"seq": 7/);
    assert.match(row.preview, /"Speed"/);
    // Sent by alias: the row names it from the birth before it, as the detail does.
    const tracker = new SparkplugTracker(new FakeScheduler());
    const birth = encode({
      seq: 0,
      metrics: [{ name: 'Speed', alias: 4, datatype: 10, doubleValue: 1 }],
    });
    tracker.observe({
      connection: 'c',
      topic: 'spBv1.0/g/NBIRTH/n',
      payload: birth,
      time: 0,
      seq: 1,
    });
    const data = encode({ seq: 1, metrics: [{ alias: 4, datatype: 10, doubleValue: 2 }] });
    const byAlias = {
      seq: 2,
      time: 0,
      connection: 'c',
      direction: 'in',
      topic: 'spBv1.0/g/NDATA/n',
      qos: 0,
      retain: false,
      dup: false,
      payload: data,
    } as MessageEntry;
    assert.doesNotMatch(toLogRow(byAlias).preview, /"Speed"/);
    const hints = { sparkplugAliases: tracker.aliasesFor.bind(tracker) };
    assert.match(toLogRow(byAlias, hints).preview, /"Speed": \{"value": 2/);
    tracker.dispose();
  });

  it('names metrics sent by alias through the context, and says when it cannot', () => {
    const bytes = encode({
      seq: 2,
      metrics: [
        { alias: 1, datatype: 10, doubleValue: 1 },
        { alias: 9, datatype: 10, doubleValue: 2 },
      ],
    });
    const named = decodePayload(bytes, {
      topic,
      metricAlias: (alias) =>
        alias === '1' ? { name: 'Temperature' } : { unknown: 'not in its birth' },
    });
    assert.ok(get(named.value, 'metrics', 'Temperature'));
    assert.ok(get(named.value, 'metrics', 'alias 9 (not in its birth)'));
    const bare = decodePayload(bytes, { topic });
    assert.ok(get(bare.value, 'metrics', 'alias 1'));
  });

  it('round-trips what it encodes (the Rebirth command)', () => {
    const bytes = encodeSparkplugPayload({
      timestamp: 5,
      metrics: [{ name: 'Node Control/Rebirth', datatype: DataType.Boolean, value: true }],
    });
    const raw = Payload.toObject(Payload.decode(bytes), { longs: String }) as {
      metrics: { name: string; datatype: number; booleanValue: boolean }[];
    };
    assert.deepEqual(raw.metrics[0], {
      name: 'Node Control/Rebirth',
      datatype: 11,
      booleanValue: true,
    });
    const negative = decodeSparkplugPayload(
      encodeSparkplugPayload({ metrics: [{ name: 'x', datatype: DataType.Int64, value: -3 }] }),
    );
    assert.equal(negative.metrics?.[0].longValue, '18446744073709551613');
  });

  it('gives a clear error for truncated and hostile payloads, fast', () => {
    const good = encode({
      seq: 1,
      metrics: [{ name: 'a', datatype: 12, stringValue: 'x'.repeat(50) }],
    });
    const truncated = decodePayload(good.subarray(0, good.length - 10), { topic });
    assert.match(truncated.error ?? '', /^Sparkplug B: not a valid Payload \(index out of range/);
    // A metric claiming 2 GB of bytes.
    const huge = Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x07, 0x0a, 0x01]);
    assert.match(decodePayload(huge, { topic }).error ?? '', /not a valid Payload/);
    assert.match(decodePayload(Buffer.from([0x0f]), { topic }).error ?? '', /wire type 7/);
    // Templates nested 100,000 deep: metrics(2) → template_value(18) → metrics(2) → …, built
    // inside out (each level's length prefix is at most 3 bytes).
    const levels = 100_000;
    const hostile = nestedTemplates(levels);
    const started = Date.now();
    const deep = decodePayload(hostile, { topic });
    assert.match(
      deep.error ?? '',
      /^Sparkplug B: templates or properties nested deeper than 64 levels/,
    );
    assert.ok(Date.now() - started < 200, `took ${Date.now() - started} ms`);
  });

  it('reads a string array as the shared UTF-8 rule does: a byte-order mark is kept', () => {
    const bytes = encode({
      metrics: [
        { name: 'names', datatype: 33, bytesValue: Buffer.from('\ufeffa\0\xff\0', 'utf8') },
      ],
    });
    const value = get(decodePayload(bytes, { topic }).value, 'metrics', 'names', 'value');
    assert.deepEqual(value, {
      t: 'list',
      items: [
        { t: 'str', v: '\ufeffa' },
        { t: 'str', v: '\u00ff' },
      ],
    });
  });

  it('keeps the 100,000-value budget in property sets, template parameters and data set cells', () => {
    const count = (node: DecodedNode): number =>
      1 +
      (node.t === 'map'
        ? node.entries.reduce((n, [, v]) => n + count(v), 0)
        : node.t === 'list'
          ? node.items.reduce((n, v) => n + count(v), 0)
          : 0);
    const cut = (node: DecodedNode): boolean =>
      node.t === 'cut' ||
      (node.t === 'map' && node.entries.some(([, v]) => cut(v))) ||
      (node.t === 'list' && node.items.some(cut));
    const keys = Array.from({ length: 300_000 }, (_, i) => `k${i}`);
    const values = keys.map(() => ({ type: DataType.Int32, intValue: 1 }));
    const property = { name: 'p', datatype: 3, intValue: 1, properties: { keys, values } };
    const parameters = keys.map((name) => ({ name, type: DataType.Int32, intValue: 1 }));
    const template = { name: 't', datatype: 19, templateValue: { parameters } };
    const elements = Array.from({ length: 300_000 }, () => ({ intValue: 1 }));
    const dataset = {
      name: 'd',
      datatype: 16,
      datasetValue: { numOfColumns: 1, columns: ['c'], types: [3], rows: [{ elements }] },
    };
    for (const metric of [property, template, dataset]) {
      const decoded = decodePayload(encode({ seq: 1, metrics: [metric] }), { topic });
      assert.ok(decoded.value, decoded.error);
      const nodes = count(decoded.value);
      assert.ok(nodes <= 100_100, `${metric.name}: ${nodes} nodes`);
      assert.ok(cut(decoded.value), `${metric.name}: says it was cut`);
    }
  });
});

function nestedTemplates(levels: number): Uint8Array {
  const parts: Buffer[] = [];
  let length = 0;
  for (let i = 0; i < levels; i++) {
    const metric = Buffer.concat([Buffer.from([0x92, 0x01]), varint(length)]);
    length += metric.length;
    const wrapped = Buffer.concat([Buffer.from([0x12]), varint(length)]);
    length += wrapped.length;
    parts.push(metric, wrapped);
  }
  return Buffer.concat(parts.reverse());
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
