/**
 * Property: `decodePayload` never throws, and answers fast, for any bytes under any decoder (by
 * rule, by content type, or chosen automatically), including bytes shaped like each format.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { decodePayload, type RuleChoice } from '../../src/core/decoders/registry';
import { loadProtoSchema } from '../../src/core/decoders/protoSchema';
import { DECODER_IDS } from '../../src/protocol/decoded';

const PROTO = path.resolve(__dirname, '../fixtures/proto/telemetry.proto');
/** Generous for one decode of at most a few KiB on a busy machine; a hang or blow-up is far beyond. */
const MAX_MS = 250;

const rules: RuleChoice[] = DECODER_IDS.map((decoder) => ({ decoder, topic: '#' }));

/** Random bytes, and bytes built from each format's header bytes so the scanners go deep. */
const payloads = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(0x81, 0x9f, 0xbf, 0xff, 0x5a, 0x9b, 0xd9, 0xf7, 0x1b, 0xc1),
        fc.constantFrom(0x91, 0xdc, 0xdd, 0xdf, 0xc6, 0xc7, 0xd4, 0xcf, 0x0a, 0x12, 0x3f),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 512 },
    )
    .map((b) => new Uint8Array(b)),
  fc.string({ maxLength: 512 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
);

function check(run: () => unknown): void {
  const start = performance.now();
  const result = run() as { decoder?: string };
  const ms = performance.now() - start;
  assert.ok(result && typeof result.decoder === 'string');
  assert.ok(ms < MAX_MS, `took ${ms} ms`);
}

describe('decodePayload for any bytes', () => {
  let protoRules: RuleChoice[] = [];
  before(async () => {
    const schema = await loadProtoSchema(PROTO, (f) => readFile(f, 'utf8'));
    protoRules = ['plant.Telemetry', 'plant.Node'].map((messageType) => ({
      decoder: 'protobuf',
      topic: '#',
      options: { protoRoot: schema.root, messageType },
    }));
  });

  it('never throws and stays fast under every decoder id chosen by rule', () => {
    fc.assert(
      fc.property(payloads, fc.constantFrom(...rules), (bytes, rule) =>
        check(() => decodePayload(bytes, { topic: 'a/b' }, rule)),
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws under a Protobuf schema, a recursive type included', () => {
    fc.assert(
      fc.property(payloads, fc.integer({ min: 0, max: 1 }), (bytes, i) =>
        check(() => decodePayload(bytes, { topic: 'a/b' }, protoRules[i])),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws when chosen by content type or automatically', () => {
    const types = [
      undefined,
      'application/cbor',
      'application/msgpack',
      'application/protobuf',
      'application/json',
      'text/plain',
      'x/unknown',
    ];
    fc.assert(
      fc.property(payloads, fc.constantFrom(...types), (bytes, contentType) =>
        check(() =>
          decodePayload(bytes, { topic: 'a/b', ...(contentType ? { contentType } : {}) }),
        ),
      ),
      { numRuns: 3000 },
    );
  });
});
