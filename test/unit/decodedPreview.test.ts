/**
 * Row and topic previews of binary formats: decoded on one line (cut with …) when a rule, the
 * content type or the bytes choose CBOR, MessagePack, Protobuf or base64; the usual text or hex
 * preview otherwise, and for payloads too large or that do not decode.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { decodedPreview, PREVIEW_DECODE_MAX_BYTES } from '../../src/core/decoders/decodedPreview';
import { toLogRow } from '../../src/core/log/logRows';
import type { MessageEntry } from '../../src/core/store/messageStoreTypes';

const msgpack = (v: unknown) => msgpackEncode(v);
const entry = (payload: Uint8Array, contentType?: string) =>
  ({
    seq: 1,
    time: 0,
    connection: 'c',
    direction: 'in',
    topic: 'a/b',
    qos: 0,
    retain: false,
    dup: false,
    payload,
    ...(contentType ? { properties: { contentType } } : {}),
  }) as unknown as MessageEntry;

describe('decoded previews', () => {
  it('shows a MessagePack payload as one line of its values, by content type or rule', () => {
    const payload = msgpack({ a: 1, list: [true, null, 'x\ny'] });
    assert.equal(
      toLogRow(entry(payload, 'application/msgpack')).preview,
      '{"a": 1, "list": [true, null, "x\\ny"]}',
    );
    assert.equal(
      toLogRow(entry(payload), { decoderRule: () => ({ decoder: 'msgpack', topic: '#' }) }).preview,
      '{"a": 1, "list": [true, null, "x\\ny"]}',
    );
    // Without either, the bytes are not guessed: the usual hex preview.
    assert.match(toLogRow(entry(payload)).preview, /^0x 82 a1 61/);
  });

  it('cuts a long line with …, and keeps the usual preview for JSON, text and failures', () => {
    const long = msgpack({ values: Array.from({ length: 500 }, (_, i) => i) });
    const line = decodedPreview(long, { topic: 't' }, { decoder: 'msgpack', topic: '#' }, 40);
    assert.equal(line, '{"values": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9…');
    const json = new Uint8Array(Buffer.from('{"a":1}'));
    assert.equal(decodedPreview(json, { topic: 't' }, undefined, 40), undefined);
    assert.equal(toLogRow(entry(json)).preview, '{"a":1}');
    const broken = new Uint8Array([0x82, 0xa1]);
    assert.equal(
      decodedPreview(broken, { topic: 't', contentType: 'application/msgpack' }, undefined, 40),
      undefined,
    );
  });

  it('does not decode payloads over 64 KiB for a preview', () => {
    const big = msgpack({ blob: new Uint8Array(PREVIEW_DECODE_MAX_BYTES) });
    assert.equal(
      decodedPreview(big, { topic: 't', contentType: 'application/msgpack' }, undefined, 40),
      undefined,
    );
  });
});
