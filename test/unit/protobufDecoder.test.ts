/**
 * Protobuf: a message type from the user's .proto files (with imports and google/protobuf types),
 * the raw wire format without a schema, and hostile payloads (wrong wire types, huge lengths, a
 * recursive type nested without end), each with an error that names the byte.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { decodePayload, type RuleChoice } from '../../src/core/decoders/registry';
import { loadProtoSchema, type ProtoSchema } from '../../src/core/decoders/protoSchema';

const PROTO = path.resolve(__dirname, '../fixtures/proto/telemetry.proto');
const readText = (file: string) => readFile(file, 'utf8');
const bytes = (...b: number[]) => new Uint8Array(b);

let schema: ProtoSchema;
const rule = (messageType: string): RuleChoice => ({
  decoder: 'protobuf',
  topic: 'plant/+/telemetry',
  options: { protoRoot: schema.root, messageType },
});
const decode = (payload: Uint8Array, messageType = 'plant.Telemetry') =>
  decodePayload(payload, { topic: 'plant/a/telemetry' }, rule(messageType));

function timedMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

before(async () => {
  schema = await loadProtoSchema(PROTO, readText);
});

describe('Protobuf with a schema', () => {
  it('loads the file, its relative import and google/protobuf/timestamp.proto', () => {
    assert.deepEqual(
      schema.files.map((f) => path.basename(f)),
      ['telemetry.proto', 'common.proto'],
    );
  });

  it('decodes every field kind: enums by name, 64-bit integers exact, maps, bytes, imports', () => {
    const Telemetry = schema.root.lookupType('plant.Telemetry');
    const message = Telemetry.fromObject({
      device: 'pump-1',
      temperature: 21.5,
      counter: '-9223372036854775808',
      serial: '18446744073709551615',
      samples: [1, -2, 3],
      mode: 'MODE_RUN',
      raw: Buffer.from([0xde, 0xad]),
      readings: { flow: { value: 3.25, unit: 'l/min' } },
      at: { seconds: 60, nanos: 5 },
      site: { name: 'north' },
    });
    const d = decode(Telemetry.encode(message).finish());
    assert.equal(d.error, undefined);
    assert.equal(d.label, 'Protobuf plant.Telemetry');
    assert.equal(d.reason, 'rule plant/+/telemetry');
    assert.equal(
      d.text,
      [
        '{',
        '  "device": "pump-1",',
        '  "temperature": 21.5,',
        '  "counter": -9223372036854775808,',
        '  "serial": 18446744073709551615,',
        '  "samples": [',
        '    1,',
        '    -2,',
        '    3',
        '  ],',
        '  "mode": "MODE_RUN",',
        `  "raw": h'dead' (2 B),`,
        '  "readings": {',
        '    "flow": {',
        '      "value": 3.25,',
        '      "unit": "l/min"',
        '    }',
        '  },',
        '  "at": {',
        '    "seconds": 60,',
        '    "nanos": 5',
        '  },',
        '  "site": {',
        '    "name": "north"',
        '  }',
        '}',
      ].join('\n'),
    );
    assert.equal(d.value?.t, 'map');
    const counter = d.value?.t === 'map' ? d.value.entries[2][1] : undefined;
    assert.deepEqual(counter, { t: 'int', v: '-9223372036854775808' });
  });

  it('names an invalid wire type and its byte', () => {
    // device = "ab" (4 bytes), temperature double (9 bytes), then a tag with wire type 7 at byte 13.
    const d = decode(bytes(0x0a, 0x02, 0x61, 0x62, 0x11, 0, 0, 0, 0, 0, 0, 0x35, 0x40, 0x3f));
    assert.equal(d.error, 'Protobuf: invalid wire type 7 at byte 13');
  });

  it('names where a truncated payload ends, and a length claiming 4 GB', () => {
    assert.equal(
      decode(bytes(0x0a, 0x05, 0x61, 0x62)).error,
      'Protobuf: unexpected end of data at byte 4 (the field 1 at byte 0 needs 5 bytes, 2 follow)',
    );
    assert.equal(
      decode(bytes(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61)).error,
      'Protobuf: unexpected end of data at byte 7 (the field 1 at byte 0 needs 4294967295 bytes, 1 follow)',
    );
  });

  it('names a field sent with the wrong wire type (another message type)', () => {
    // A fixed32 (wire type 5) where the string `device` (wire type 2) belongs.
    assert.equal(
      decode(bytes(0x0d, 1, 2, 3, 4)).error,
      'Protobuf: field 1 (device, string) has wire type 5 where 2 belongs at byte 0',
    );
    // Packed and unpacked repeated scalars are both accepted.
    assert.equal(decode(bytes(0x28, 0x01, 0x2a, 0x02, 0x02, 0x03)).error, undefined);
  });

  it('refuses a recursive type nested 100,000 deep, fast and with its name', () => {
    // Node { Node child = 1; }: each level is 0a <length>; build from the inside out.
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 100_000; i++) {
      const w = protobuf.Writer.create();
      w.uint32(0x0a).bytes(inner);
      inner = w.finish();
    }
    let d: ReturnType<typeof decode> | undefined;
    const ms = timedMs(() => (d = decode(inner, 'plant.Node')));
    assert.ok(ms < 500, `${ms} ms`);
    assert.match(
      d?.error ?? '',
      /^Protobuf: messages nested deeper than 256 levels \(plant\.Node\) at byte \d+$/,
    );
  });
});

describe('Protobuf without a schema (raw wire format)', () => {
  it('reads field numbers to values when only the content type asks', () => {
    const w = protobuf.Writer.create();
    w.uint32(0x08).uint64('18446744073709551615');
    w.uint32(0x12).string('hi');
    w.uint32(0x1a).fork().uint32(0x08).int32(7).ldelim();
    w.uint32(0x25).fixed32(5);
    w.uint32(0x10).int32(1).uint32(0x10).int32(2);
    const d = decodePayload(w.finish(), { topic: 't', contentType: 'application/x-protobuf' });
    assert.equal(d.label, 'Protobuf (no schema)');
    assert.equal(
      d.text,
      '{\n  "1": 18446744073709551615,\n  "2": "hi",\n  "3": {\n    "1": 7\n  },\n  "4": 5\n}'.replace(
        '"2": "hi"',
        '"2": [\n    "hi",\n    1,\n    2\n  ]',
      ),
    );
  });

  it('names an invalid wire type and field number 0', () => {
    const ct = { topic: 't', contentType: 'application/protobuf' };
    assert.equal(
      decodePayload(bytes(0x08, 0x01, 0x0f), ct).error,
      'Protobuf: invalid wire type 7 at byte 2',
    );
    assert.equal(decodePayload(bytes(0x00), ct).error, 'Protobuf: field number 0 at byte 0');
    assert.equal(
      decodePayload(
        bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
        ct,
      ).error,
      'Protobuf: varint longer than 10 bytes at byte 1',
    );
  });

  it('guesses nested messages only so deep, fast', () => {
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 50_000; i++) {
      const w = protobuf.Writer.create();
      w.uint32(0x0a).bytes(inner);
      inner = w.finish();
    }
    const ms = timedMs(() =>
      decodePayload(inner, { topic: 't', contentType: 'application/protobuf' }),
    );
    assert.ok(ms < 500, `${ms} ms`);
  });
});

describe('loading .proto files', () => {
  it('names the file and line of a syntax error', async () => {
    const files: Record<string, string> = {
      '/p/bad.proto': 'syntax = "proto3";\nmessage A {\n  int32 x = ;\n}\n',
    };
    await assert.rejects(
      loadProtoSchema('/p/bad.proto', async (f) => files[f] ?? Promise.reject(new Error('ENOENT'))),
      /^Error: \/p\/bad\.proto: illegal .*line 3\)$/,
    );
  });

  it('names an import that cannot be read and an unknown type', async () => {
    const files: Record<string, string> = {
      '/p/a.proto': 'syntax = "proto3";\nimport "missing.proto";\n',
      '/p/b.proto': 'syntax = "proto3";\nmessage B { Unknown u = 1; }\n',
    };
    const read = async (f: string) => files[f] ?? Promise.reject(new Error('ENOENT: no such file'));
    await assert.rejects(loadProtoSchema('/p/a.proto', read), {
      message: '/p/a.proto: cannot read the import "missing.proto": ENOENT: no such file',
    });
    await assert.rejects(
      loadProtoSchema('/p/b.proto', read),
      /^Error: \/p\/b\.proto: no such Type or Enum 'Unknown' in Type \.B$/,
    );
  });
});
