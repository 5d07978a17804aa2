/**
 * The CBOR, MessagePack, base64 and hex decoders through the registry, with corpora: valid,
 * truncated, wrong type, and hostile (huge declared lengths, deep nesting) payloads, each giving
 * a clear error that says where, fast.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error TS1479: cbor-x declares ES module types only; its Node build is CommonJS.
import { encode as cborEncode } from 'cbor-x';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { decodePayload } from '../../src/core/decoders/registry';
import type { DecodedPayload } from '../../src/protocol/decoded';
import { hexDumpText } from '../../src/shared/hex';

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const ct = (contentType: string) => ({ topic: 't', contentType });
const rule = (decoder: 'cbor' | 'msgpack' | 'base64' | 'hex' | 'protobuf') => ({
  decoder,
  topic: 't/#',
});

function timed(run: () => DecodedPayload): DecodedPayload {
  const start = performance.now();
  const result = run();
  const ms = performance.now() - start;
  assert.ok(ms < 200, `took ${ms} ms`);
  return result;
}

const sample = { device: 'pump-1', temp: 21.5, ok: true, counts: [1, 2, 3], none: null };
const sampleText = JSON.stringify(sample, null, 2).replace('"none": null', '"none": null');

describe('CBOR decoder', () => {
  it('decodes a map by content type into the value tree and JSON-like text', () => {
    const d = decodePayload(new Uint8Array(cborEncode(sample)), ct('application/cbor'));
    assert.equal(d.decoder, 'cbor');
    assert.equal(d.reason, 'content type application/cbor');
    assert.equal(d.error, undefined);
    assert.equal(d.text, sampleText);
    assert.deepEqual(d.value?.t, 'map');
  });

  it('keeps a 64-bit integer exact as {t:"int"} and a small one as a number', () => {
    const d = decodePayload(
      bytes(0x82, 0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x18, 0x2a),
      ct('application/cbor'),
    );
    assert.deepEqual(d.value, {
      t: 'list',
      items: [
        { t: 'int', v: '18446744073709551615' },
        { t: 'num', v: 42 },
      ],
    });
  });

  it('shows non-text keys, bytes and dates as text', () => {
    const d = decodePayload(
      new Uint8Array(
        cborEncode(
          new Map<unknown, unknown>([
            [1, new Uint8Array([0xab])],
            ['at', new Date(0)],
          ]),
        ),
      ),
      { topic: 't' },
      rule('cbor'),
    );
    assert.equal(d.reason, 'rule t/#');
    assert.match(d.text ?? '', /"1": h'ab' \(1 B\)/);
    assert.match(d.text ?? '', /"at": "1970-01-01T00:00:00.000Z"/);
  });

  it('is guessed from the bytes only with the self-described CBOR tag', () => {
    const tagged = bytes(0xd9, 0xd9, 0xf7, 0xa1, 0x61, 0x61, 0x01);
    assert.equal(decodePayload(tagged, { topic: 't' }).decoder, 'cbor');
    assert.equal(decodePayload(tagged.subarray(3), { topic: 't' }).decoder, 'hex');
  });

  it('says where the data ended for a truncated payload', () => {
    const full = new Uint8Array(cborEncode({ a: 1, b: 'hello world' }));
    const d = decodePayload(full.subarray(0, 9), ct('application/cbor'));
    assert.equal(
      d.error,
      'CBOR: unexpected end of data at byte 9 (the text string at byte 8 needs 11 bytes, 0 follow)',
    );
    assert.equal(d.text, undefined);
  });

  it('refuses a header claiming 4 GB, and 4 billion items, at once', () => {
    const huge = timed(() =>
      decodePayload(bytes(0x5a, 0xff, 0xff, 0xff, 0xff, 1), ct('application/cbor')),
    );
    assert.equal(
      huge.error,
      'CBOR: unexpected end of data at byte 6 (the byte string at byte 0 needs 4294967295 bytes, 1 follow)',
    );
    const many = timed(() =>
      decodePayload(bytes(0x9b, 0, 0, 0, 1, 0, 0, 0, 0, 1), ct('application/cbor')),
    );
    assert.match(
      many.error ?? '',
      /^CBOR: unexpected end of data at byte 10 \(the array of 4294967296 items at byte 0 needs 4294967296 bytes, 1 follow\)$/,
    );
  });

  it('refuses nesting deeper than 256 levels with the byte it starts at', () => {
    const d = timed(() =>
      decodePayload(new Uint8Array(1_000_000).fill(0x81), ct('application/cbor')),
    );
    assert.equal(d.error, 'CBOR: nested deeper than 256 levels at byte 256');
  });

  it('reads a big number of up to 1 KiB, and refuses a longer one at once', () => {
    const big = (n: number) => {
      const head = n < 256 ? [0xc2, 0x58, n] : [0xc2, 0x59, n >> 8, n & 0xff];
      return new Uint8Array([...head, ...new Uint8Array(n).fill(0xff)]);
    };
    const ok = timed(() => decodePayload(big(1024), ct('application/cbor')));
    assert.equal(ok.error, undefined);
    assert.equal(ok.value?.t, 'int');
    // 64 KB of digits take cbor-x a second: refused before it reads them.
    const d = timed(() => decodePayload(big(65_000), ct('application/cbor')));
    assert.equal(d.error, 'CBOR: a big number of 65000 bytes (at most 1024 are read) at byte 0');
    assert.match(
      decodePayload(bytes(0xc3, 0x01), ct('application/cbor')).error ?? '',
      /^CBOR: a big number \(tag 2 or 3\) that is not a byte string at byte 0/,
    );
  });

  it('names reserved codes, stray breaks and trailing bytes', () => {
    assert.equal(
      decodePayload(bytes(0x1c), ct('application/cbor')).error,
      'CBOR: reserved additional information 28 at byte 0',
    );
    assert.equal(
      decodePayload(bytes(0xff), ct('application/cbor')).error,
      'CBOR: break code outside an indefinite-length item at byte 0',
    );
    assert.equal(
      decodePayload(bytes(0x01, 0x02), ct('application/cbor')).error,
      'CBOR: 1 extra bytes after the value at byte 1',
    );
    assert.equal(decodePayload(bytes(0x9f, 0x01, 0xff), ct('application/cbor')).text, '[\n  1\n]');
  });

  it('a JSON text sent as CBOR fails with a CBOR error, not a crash', () => {
    const d = decodePayload(utf8('{"a":1}'), ct('application/cbor'));
    assert.match(d.error ?? '', /^CBOR: /);
  });
});

describe('MessagePack decoder', () => {
  it('decodes every content type it is registered for', () => {
    for (const type of [
      'application/msgpack',
      'application/x-msgpack',
      'application/vnd.msgpack; charset=x',
    ]) {
      const d = decodePayload(new Uint8Array(msgpackEncode(sample)), ct(type));
      assert.equal(d.decoder, 'msgpack', type);
      assert.equal(d.text, sampleText);
    }
  });

  it('keeps 64-bit integers exact and shows non-text keys as text', () => {
    const d = decodePayload(
      bytes(0x82, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x91, 0x02, 0x03),
      { topic: 't' },
      rule('msgpack'),
    );
    assert.deepEqual(d.value, {
      t: 'map',
      entries: [
        ['18446744073709551615', { t: 'num', v: 1 }],
        ['[2]', { t: 'num', v: 3 }],
      ],
    });
  });

  it('is never guessed from the bytes', () => {
    assert.notEqual(
      decodePayload(new Uint8Array(msgpackEncode([1, 2])), { topic: 't' }).decoder,
      'msgpack',
    );
  });

  it('says where a truncated payload ends and refuses 4 GB headers and deep nesting', () => {
    const full = new Uint8Array(msgpackEncode({ a: 1, b: 'hello world' }));
    assert.equal(
      decodePayload(full.subarray(0, 9), ct('application/msgpack')).error,
      'MessagePack: unexpected end of data at byte 9 (the string at byte 6 needs 11 bytes, 2 follow)',
    );
    const bin = timed(() =>
      decodePayload(bytes(0xc6, 0xff, 0xff, 0xff, 0xff, 1), ct('application/msgpack')),
    );
    assert.equal(
      bin.error,
      'MessagePack: unexpected end of data at byte 6 (the bin at byte 0 needs 4294967295 bytes, 1 follow)',
    );
    const map = timed(() =>
      decodePayload(bytes(0xdf, 0xff, 0xff, 0xff, 0xff, 1), ct('application/msgpack')),
    );
    assert.match(
      map.error ?? '',
      /^MessagePack: unexpected end of data at byte 6 \(the map of 4294967295 items at byte 0 needs 8589934590 bytes, 1 follow\)$/,
    );
    const deep = timed(() =>
      decodePayload(new Uint8Array(1_000_000).fill(0x91), ct('application/msgpack')),
    );
    assert.equal(deep.error, 'MessagePack: nested deeper than 256 levels at byte 256');
    assert.equal(
      decodePayload(bytes(0xc1), ct('application/msgpack')).error,
      'MessagePack: the never-used format byte 0xc1 at byte 0',
    );
    assert.equal(
      decodePayload(bytes(0x01, 0x02), ct('application/msgpack')).error,
      'MessagePack: 1 extra bytes after the value at byte 1',
    );
  });
});

describe('base64 decoder', () => {
  it('decodes base64 to JSON, to text, or to bytes shown as hex', () => {
    const json = decodePayload(
      utf8(Buffer.from('{"a":1}').toString('base64')),
      { topic: 't' },
      rule('base64'),
    );
    assert.equal(json.label, 'Base64 → JSON');
    assert.equal(json.text, '{\n  "a": 1\n}');
    const text = decodePayload(utf8('aGVsbG8='), { topic: 't' }, rule('base64'));
    assert.equal(text.label, 'Base64 → text');
    assert.equal(text.text, 'hello');
    assert.equal(text.value, undefined);
    const binary = decodePayload(utf8('3q2+7w==\r\n'), { topic: 't' }, rule('base64'));
    assert.equal(binary.label, 'Base64 → 4 bytes');
    assert.deepEqual(binary.value, { t: 'bytes', size: 4, hex: 'deadbeef' });
    assert.match(binary.text ?? '', /^00000000 {2}de ad be ef/);
    assert.equal(
      decodePayload(utf8('3q2-7w'), { topic: 't' }, rule('base64')).label,
      'Base64 → 4 bytes',
    );
  });

  it('names the first byte that is not base64', () => {
    assert.equal(
      decodePayload(utf8('aGVs!G8='), { topic: 't' }, rule('base64')).error,
      "Base64: invalid character '!' at byte 4",
    );
    assert.equal(
      decodePayload(utf8('aGVsbG8=x'), { topic: 't' }, rule('base64')).error,
      "Base64: 'x' after the padding at byte 8",
    );
    assert.equal(
      decodePayload(utf8('aGVsb'), { topic: 't' }, rule('base64')).error,
      'Base64: 5 digits and 0 padding characters do not make whole bytes',
    );
    assert.equal(
      decodePayload(bytes(0xff), { topic: 't' }, rule('base64')).error,
      'Base64: invalid byte 0xff at byte 0',
    );
  });

  it('is chosen by rule only (ordinary words are valid base64)', () => {
    assert.equal(decodePayload(utf8('test'), { topic: 't' }).decoder, 'text');
  });
});

describe('hex decoder', () => {
  it('shows a rule-chosen payload as a hex dump, and is the fallback for unknown bytes', () => {
    const d = decodePayload(utf8('AB'), { topic: 't' }, rule('hex'));
    assert.equal(d.decoder, 'hex');
    assert.equal(d.text, hexDumpText(utf8('AB')));
    assert.match(d.text ?? '', /^00000000 {2}41 42 +AB$/);
    assert.equal(decodePayload(bytes(0xff, 0xfe), { topic: 't' }).decoder, 'hex');
  });
});
