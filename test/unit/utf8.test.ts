/**
 * UTF-8 decoding (src/shared/utf8.ts), the one rule of the host (row previews, the topic
 * explorer, Open in Editor, payload search) and the webview (the detail pane, the diff).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUtf8, decodeUtf8Lossy, withoutCutCharacter } from '../../src/shared/utf8';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('decodeUtf8', () => {
  it('decodes valid UTF-8, including multi-byte characters', () => {
    assert.equal(decodeUtf8(utf8('{"t":21.5}')), '{"t":21.5}');
    assert.equal(decodeUtf8(utf8('ü € 😀')), 'ü € 😀');
    assert.equal(decodeUtf8(new Uint8Array(0)), '');
  });

  for (const [label, bytes] of [
    ['a lone continuation byte', [0x80]],
    ['0xFF', [0x61, 0xff, 0x62]],
    ['a truncated three-byte sequence', [0xe2, 0x82]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ] as const) {
    it(`returns undefined for ${label}`, () => {
      assert.equal(decodeUtf8(new Uint8Array(bytes)), undefined);
    });
  }

  it('keeps working after a failure', () => {
    assert.equal(decodeUtf8(new Uint8Array([0xe2, 0x82])), undefined);
    assert.equal(decodeUtf8(utf8('ok')), 'ok');
  });

  it('keeps a leading byte-order mark, so it can be shown', () => {
    assert.equal(decodeUtf8(utf8('\uFEFF{"a":1}')), '\uFEFF{"a":1}');
    assert.equal(decodeUtf8Lossy(utf8('\uFEFFx')), '\uFEFFx');
  });
});

describe('decodeUtf8 of the start of a cut payload', () => {
  it('leaves out a character cut in half at the end', () => {
    const full = utf8('ab€😀'); // 61 62 e2 82 ac f0 9f 98 80
    assert.equal(decodeUtf8(full.subarray(0, 3), true), 'ab');
    assert.equal(decodeUtf8(full.subarray(0, 4), true), 'ab');
    assert.equal(decodeUtf8(full.subarray(0, 5), true), 'ab€');
    assert.equal(decodeUtf8(full.subarray(0, 8), true), 'ab€');
    assert.equal(decodeUtf8(full, true), 'ab€😀');
  });

  it('is not text when the cut half-character would be text only when cut', () => {
    assert.equal(decodeUtf8(utf8('ab€').subarray(0, 4)), undefined, 'a whole payload');
  });

  it('still refuses invalid bytes, also as the last ones', () => {
    assert.equal(decodeUtf8(new Uint8Array([0x61, 0x62, 0xff]), true), undefined);
    assert.equal(decodeUtf8(new Uint8Array([0x61, 0x62, 0x63, 0xc0]), true), undefined);
    assert.equal(decodeUtf8(new Uint8Array([0x61, 0x80]), true), undefined);
    assert.equal(decodeUtf8(new Uint8Array([0xff, 0x61, 0xe2]), true), undefined);
  });

  it('does not carry a held-back tail into the next call', () => {
    assert.equal(decodeUtf8(new Uint8Array([0x61, 0xe2, 0x82]), true), 'a');
    assert.equal(decodeUtf8(new Uint8Array([0xac, 0x62]), true), undefined);
    assert.equal(decodeUtf8(utf8('ok'), true), 'ok');
  });
});

describe('withoutCutCharacter', () => {
  it('drops only an incomplete last character', () => {
    const text = utf8('a温😀');
    for (const [end, kept] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 4],
      [5, 4],
      [7, 4],
      [8, 8],
    ])
      assert.equal(withoutCutCharacter(text.subarray(0, end)).byteLength, kept, `cut at ${end}`);
    const binary = new Uint8Array([0x00, 0xff, 0x80, 0x80, 0x80]);
    assert.equal(withoutCutCharacter(binary).byteLength, 5, 'bytes that are not UTF-8 stay');
  });
});

describe('decodeUtf8Lossy', () => {
  it('shows each invalid sequence as U+FFFD and keeps the rest', () => {
    assert.equal(decodeUtf8Lossy(new Uint8Array([0x61, 0xff, 0x62])), 'a\uFFFDb');
    assert.equal(decodeUtf8Lossy(utf8('grüße')), 'grüße');
    assert.equal(decodeUtf8Lossy(new Uint8Array([0xe2, 0x82])), '\uFFFD');
    assert.equal(decodeUtf8Lossy(new Uint8Array(0)), '');
  });
});
