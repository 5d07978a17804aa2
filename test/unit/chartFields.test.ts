import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
// @ts-expect-error TS1479: cbor-x declares ES module types only; its Node build is CommonJS.
import { encode as cborEncode } from 'cbor-x';
import { toDecodedNode } from '../../src/core/decoders/decodedTree';
import type { DecodedNode } from '../../src/protocol/decoded';
import {
  numericFields,
  parsePath,
  readField,
  type PathStep,
} from '../../src/core/charts/numericFields';
import { fieldValue, fieldsOf } from '../../src/core/charts/payloadFields';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const steps = (path: string): PathStep[] => {
  const parsed = parsePath(path);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.steps;
};

describe('chart fields: paths into a decoded payload', () => {
  it('finds every number of a JSON payload, with paths that read back', () => {
    const message = {
      topic: 'plant/1',
      payload: bytes('{"temp":21.5,"ok":true,"name":"x","a":{"b":[1,{"c":-3e2}]},"odd key":"7"}'),
    };
    const fields = fieldsOf(message);
    assert.deepEqual(fields, [
      { path: 'temp', value: 21.5 },
      { path: 'a.b[0]', value: 1 },
      { path: 'a.b[1].c', value: -300 },
      { path: '["odd key"]', value: 7 },
    ]);
    for (const f of fields) assert.equal(fieldValue(message, steps(f.path)), f.value, f.path);
  });

  it('reads the payload itself as a number ("21.5"), and nothing from text that is not one', () => {
    assert.deepEqual(fieldsOf({ topic: 't', payload: bytes(' 21.5\n') }), [
      { path: '', value: 21.5 },
    ]);
    assert.equal(fieldValue({ topic: 't', payload: bytes('-4') }, []), -4);
    for (const text of ['', 'abc', '0x10', '1,5', 'NaN', 'Infinity', '12 13'])
      assert.equal(fieldValue({ topic: 't', payload: bytes(text) }, []), undefined, text);
    assert.deepEqual(fieldsOf({ topic: 't', payload: new Uint8Array([0xff, 0xfe, 0x00]) }), []);
  });

  it('names an item of a list of named items by its name (Sparkplug metrics), from a MessagePack tree', () => {
    // A tree another decoder made: @msgpack/msgpack decodes a Sparkplug-like payload.
    const value = msgpackDecode(
      msgpackEncode({
        timestamp: 1700000000000,
        metrics: [
          { name: 'Motor/RPM', value: 1450 },
          { name: 'Motor/Temp', value: 61.5 },
        ],
        seq: 2 ** 40,
      }),
      { useBigInt64: true },
    ) as unknown;
    const tree = toDecodedNode(value);
    const fields = numericFields(tree);
    assert.deepEqual(
      fields.map((f) => f.path),
      ['timestamp', 'metrics["Motor/RPM"].value', 'metrics["Motor/Temp"].value', 'seq'],
    );
    assert.equal(readField(tree, steps('metrics["Motor/Temp"].value')), 61.5);
    assert.equal(readField(tree, steps('metrics[0].value')), 1450);
    // A metric renamed away is no point, not the wrong metric.
    assert.equal(readField(tree, steps('metrics["Motor/Volts"].value')), undefined);
  });

  it('reads CBOR (by its content type) and MessagePack (by a decoder rule) through the registry', () => {
    const cbor = {
      topic: 'plant/1',
      payload: cborEncode({ temp: 21.5, motor: { rpm: 1450 } }),
      properties: { contentType: 'application/cbor' },
    };
    assert.deepEqual(fieldsOf(cbor), [
      { path: 'temp', value: 21.5 },
      { path: 'motor.rpm', value: 1450 },
    ]);
    assert.equal(fieldValue(cbor, steps('motor.rpm')), 1450);
    const packed = { topic: 'pack/1', payload: msgpackEncode({ level: [3, 4.5] }) };
    const rule = () => ({ decoder: 'msgpack' as const, topic: 'pack/#' });
    assert.deepEqual(fieldsOf(packed, rule), [
      { path: 'level[0]', value: 3 },
      { path: 'level[1]', value: 4.5 },
    ]);
    assert.equal(fieldValue(packed, steps('level[1]'), rule), 4.5);
  });

  it('reads big integers (Protobuf / CBOR 64-bit) as numbers', () => {
    const tree = toDecodedNode({ counter: 2n ** 62n });
    assert.deepEqual(numericFields(tree), [{ path: 'counter', value: 2 ** 62 }]);
  });

  it('takes the decoder rule of the topic: a rule that reads the payload as text gives no JSON field', () => {
    const message = { topic: 'raw/1', payload: bytes('{"v":5}') };
    assert.equal(fieldValue(message, ['v']), 5);
    const asText = () => ({ decoder: 'text' as const, topic: 'raw/#' });
    assert.equal(fieldValue(message, ['v'], asText), undefined);
    assert.deepEqual(fieldsOf(message, asText), []);
  });

  it('parses paths and names what is wrong and where', () => {
    assert.deepEqual(steps('a.b[2]["x y"].c'), ['a', 'b', 2, 'x y', 'c']);
    assert.deepEqual(steps(''), []);
    assert.deepEqual(steps('["a\\"b"]'), ['a"b']);
    for (const [path, error] of [
      ['.a', 'a "." before any name at character 1'],
      ['a[', 'expected an index or a quoted name after "[" at character 2'],
      ['a b', 'expected "." or "[" at character 2'],
      ['a.', 'expected a name at character 3'],
    ])
      assert.deepEqual(parsePath(path), { error: `${error} of the field path` }, path);
  });

  it('lists at most 500 fields of a huge payload', () => {
    const payload = bytes(JSON.stringify(Array.from({ length: 5000 }, (_, i) => i)));
    assert.equal(fieldsOf({ topic: 't', payload }).length, 500);
  });

  it('lists the fields of a long list of same-named items fast, and stops walking at the limit', () => {
    const items = Array.from({ length: 30_000 }, () => ({ name: 'a', v: 1 }));
    const started = performance.now();
    const fields = fieldsOf({ topic: 't', payload: bytes(JSON.stringify(items)) });
    assert.ok(performance.now() - started < 2000, 'took longer than 2 s');
    assert.equal(fields.length, 500);
    assert.deepEqual(fields.slice(0, 2), [
      { path: '[0].v', value: 1 },
      { path: '[1].v', value: 1 },
    ]);
    let visited = 0;
    const item = (i: number): DecodedNode => ({
      t: 'map',
      get entries(): [string, DecodedNode][] {
        visited++;
        return [['v', { t: 'num', v: i }]];
      },
    });
    const items2 = Array.from({ length: 10_000 }, (_, i) => item(i));
    assert.equal(numericFields({ t: 'list', items: items2 }, 10).length, 10);
    // Names are counted once (one read per item), then only the first 10 items are walked (two reads each).
    assert.ok(visited <= 10_000 + 2 * 10, `read items ${visited} times for 10 fields`);
  });
});
