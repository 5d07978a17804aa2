/**
 * Checks that bytes are one well-formed MessagePack object (the msgpack spec's formats) before
 * @msgpack/msgpack reads them: every declared length fits in the bytes that follow, nesting stays
 * under `MAX_NESTING`, and nothing follows the object. Iterative: one pass, no stack.
 */
import { MAX_NESTING, lengthError, structureError } from './structureLimits';

const F = 'MessagePack';

/** Fixed-size formats 0xc0–0xdf: bytes after the format byte (-1: never used). */
const FIXED: Record<number, number> = {
  0xc0: 0,
  0xc1: -1,
  0xc2: 0,
  0xc3: 0,
  0xca: 4,
  0xcb: 8,
  0xcc: 1,
  0xcd: 2,
  0xce: 4,
  0xcf: 8,
  0xd0: 1,
  0xd1: 2,
  0xd2: 4,
  0xd3: 8,
  0xd4: 2,
  0xd5: 3,
  0xd6: 5,
  0xd7: 9,
  0xd8: 17,
};

/** Formats with a length field: its size, what follows it, and whether a type byte precedes the data. */
const SIZED: Record<number, { size: number; kind: 'bin' | 'ext' | 'str' | 'array' | 'map' }> = {
  0xc4: { size: 1, kind: 'bin' },
  0xc5: { size: 2, kind: 'bin' },
  0xc6: { size: 4, kind: 'bin' },
  0xc7: { size: 1, kind: 'ext' },
  0xc8: { size: 2, kind: 'ext' },
  0xc9: { size: 4, kind: 'ext' },
  0xd9: { size: 1, kind: 'str' },
  0xda: { size: 2, kind: 'str' },
  0xdb: { size: 4, kind: 'str' },
  0xdc: { size: 2, kind: 'array' },
  0xdd: { size: 4, kind: 'array' },
  0xde: { size: 2, kind: 'map' },
  0xdf: { size: 4, kind: 'map' },
};

export function checkMsgpackStructure(bytes: Uint8Array): void {
  const end = bytes.byteLength;
  const stack: number[] = [];
  let pos = 0;
  for (;;) {
    const at = pos;
    if (pos >= end) throw structureError(F, 'unexpected end of data', pos);
    const format = bytes[pos++];
    let items = 0;
    let container = 'fixarray';
    if (format <= 0x7f || format >= 0xe0) {
      // positive or negative fixint
    } else if (format <= 0x8f) {
      items = (format & 0x0f) * 2;
      container = 'fixmap';
    } else if (format <= 0x9f) items = format & 0x0f;
    else if (format <= 0xbf) pos = take(bytes, pos, format & 0x1f, 'string', at);
    else if (format in FIXED) {
      const size = FIXED[format];
      if (size < 0) throw structureError(F, 'the never-used format byte 0xc1', at);
      if (size > end - pos) throw structureError(F, 'unexpected end of data', end);
      pos += size;
    } else {
      const { size, kind } = SIZED[format];
      if (size > end - pos) throw structureError(F, 'unexpected end of data', end);
      let n = 0;
      for (let i = 0; i < size; i++) n = n * 256 + bytes[pos + i];
      pos += size;
      if (kind === 'array' || kind === 'map') {
        items = kind === 'map' ? n * 2 : n;
        container = `${kind} of ${n} items`;
      } else
        pos = take(bytes, pos, kind === 'ext' ? n + 1 : n, kind === 'str' ? 'string' : kind, at);
    }
    // Every item takes at least one byte.
    if (items > end - pos) throw lengthError(F, container, at, items, end - pos, end);
    if (items > 0) {
      if (stack.length >= MAX_NESTING)
        throw structureError(F, `nested deeper than ${MAX_NESTING} levels`, at);
      stack.push(items);
      continue;
    }
    // An object is complete: count it in its container, closing every container it completes.
    for (;;) {
      if (stack.length === 0) {
        if (pos < end) throw structureError(F, `${end - pos} extra bytes after the value`, pos);
        return;
      }
      if (--stack[stack.length - 1] > 0) break;
      stack.pop();
    }
  }
}

function take(bytes: Uint8Array, pos: number, length: number, what: string, at: number): number {
  const left = bytes.byteLength - pos;
  if (length > left) throw lengthError(F, what, at, length, left, bytes.byteLength);
  return pos + length;
}
