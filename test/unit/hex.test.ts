/**
 * Hex (src/shared/hex.ts): the one-line form and the hex dump whose lines Open in Editor and
 * the diff lay out as one text, and the Message Log's detail pane as three columns.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HEX_LINE_WIDTH, hexDumpLines, hexDumpText, toHex } from '../../src/shared/hex';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('toHex', () => {
  it('writes two lower-case digits per byte, up to max bytes', () => {
    assert.equal(toHex(new Uint8Array([0, 10, 255])), '00 0a ff');
    assert.equal(toHex(new Uint8Array([1, 2, 3]), 2), '01 02');
    assert.equal(toHex(new Uint8Array([1, 2, 3]), 10), '01 02 03');
    assert.equal(toHex(new Uint8Array(0)), '');
  });

  it('takes a separator (none for a compact form)', () => {
    assert.equal(toHex(new Uint8Array([0xde, 0xad, 0xbe, 0xef]), 4, ''), 'deadbeef');
    assert.equal(toHex(new Uint8Array([0xde, 0xad]), 1, ''), 'de');
  });

  it('reads a view at its offset', () => {
    const whole = new Uint8Array([1, 2, 3, 4]);
    assert.equal(toHex(whole.subarray(2)), '03 04');
  });
});

describe('hexDumpLines', () => {
  it('gives offset, 16 bytes in two groups of 8, and printable ASCII per line', () => {
    const lines = hexDumpLines(bytes('Hello, MQTT!\u0000\u0001abcdef'));
    assert.deepEqual(lines, [
      {
        offset: '00000000',
        hex: '48 65 6c 6c 6f 2c 20 4d  51 54 54 21 00 01 61 62',
        ascii: 'Hello, MQTT!..ab',
      },
      { offset: '00000010', hex: '63 64 65 66', ascii: 'cdef' },
    ]);
    assert.equal(lines[0].hex.length, HEX_LINE_WIDTH);
  });

  it('shows control bytes, DEL and bytes over 0x7E as "."', () => {
    const [line] = hexDumpLines(new Uint8Array([0x41, 0x00, 0xff, 0x7e, 0x20, 0x7f, 0x1f]));
    assert.equal(line.hex, '41 00 ff 7e 20 7f 1f');
    assert.equal(line.ascii, 'A..~ ..');
  });

  it('dumps a range, with offsets from the start of the bytes', () => {
    const data = new Uint8Array(64).map((_, i) => i);
    const lines = hexDumpLines(data, 32, 40);
    assert.deepEqual(
      lines.map((l) => l.offset),
      ['00000020'],
    );
    assert.equal(lines[0].hex, '20 21 22 23 24 25 26 27');
    assert.deepEqual(hexDumpLines(data, 0, 1000).length, 4, 'bounded by the bytes');
    assert.deepEqual(hexDumpLines(new Uint8Array(0)), []);
  });
});

describe('hexDumpText', () => {
  it('lays the lines out as "offset  hex  ascii", the ASCII column aligned', () => {
    const text = hexDumpText(bytes('Hello, MQTT!\u0000\u0001abcdef'));
    const [first, second] = text.split('\n');
    assert.equal(
      first,
      '00000000  48 65 6c 6c 6f 2c 20 4d  51 54 54 21 00 01 61 62  Hello, MQTT!..ab',
    );
    assert.equal(second.indexOf('cdef'), first.indexOf('Hello'));
    assert.match(second, /^00000010 {2}63 64 65 66 +cdef$/);
  });

  it('covers at most maxBytes', () => {
    const text = hexDumpText(new Uint8Array(100), 32);
    assert.equal(text.split('\n').length, 2);
    assert.equal(hexDumpText(new Uint8Array(0)), '');
  });
});
