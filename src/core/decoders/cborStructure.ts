/**
 * Checks that bytes are one well-formed CBOR data item (RFC 8949 §3) before cbor-x reads them:
 * every declared length fits in the bytes that follow, nesting stays under `MAX_NESTING`, and
 * nothing follows the item. Iterative, so a hostile payload costs one pass and no stack.
 */
import { MAX_NESTING, lengthError, structureError } from './structureLimits';

const F = 'CBOR';
/**
 * Bytes of a big number (tags 2 and 3) at most: cbor-x reads one in time that grows with the
 * square of its length (64 KB take a second), and no device sends a number of 2,400 digits.
 */
export const MAX_BIGNUM_BYTES = 1024;

/** A container being read: how many items it still holds (Infinity: until a break). */
interface Open {
  left: number;
  at: number;
}

export function checkCborStructure(bytes: Uint8Array): void {
  const end = bytes.byteLength;
  const stack: Open[] = [];
  let pos = 0;
  /** Where a big-number tag was read: the next item must be a short byte string. */
  let bignumAt = -1;
  for (;;) {
    const at = pos;
    if (pos >= end) throw structureError(F, 'unexpected end of data', pos);
    const initial = bytes[pos++];
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (bignumAt >= 0) {
      checkBignum(bytes, major, info, at, bignumAt);
      bignumAt = -1;
    }
    if (initial === 0xff) {
      const top = stack[stack.length - 1];
      if (!top || top.left !== Infinity)
        throw structureError(F, 'break code outside an indefinite-length item', at);
      stack.pop();
    } else if (info === 31) {
      if (major < 2 || major === 6 || major === 7)
        throw structureError(F, `indefinite length not allowed for major type ${major}`, at);
      open(stack, Infinity, at);
      continue;
    } else {
      if (info >= 28) throw structureError(F, `reserved additional information ${info}`, at);
      const size = info < 24 ? 0 : 1 << (info - 24);
      if (size > end - pos) throw structureError(F, 'unexpected end of data', end);
      let arg = info;
      if (size > 0) {
        arg = 0;
        for (let i = 0; i < size; i++) arg = arg * 256 + bytes[pos + i];
        pos += size;
      }
      if (major === 2 || major === 3) {
        const what = major === 2 ? 'byte string' : 'text string';
        if (arg > end - pos) throw lengthError(F, what, at, arg, end - pos, end);
        pos += arg;
      } else if (major === 4 || major === 5) {
        const items = major === 4 ? arg : arg * 2;
        // Every item takes at least one byte.
        if (items > end - pos)
          throw lengthError(
            F,
            `${major === 4 ? 'array' : 'map'} of ${arg} items`,
            at,
            items,
            end - pos,
            end,
          );
        if (items > 0) {
          open(stack, items, at);
          continue;
        }
      } else if (major === 6) {
        if (arg === 2 || arg === 3) bignumAt = at;
        open(stack, 1, at);
        continue;
      }
    }
    // An item is complete: count it in its container, closing every container it completes.
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        if (pos < end) throw structureError(F, `${end - pos} extra bytes after the value`, pos);
        return;
      }
      if (top.left === Infinity || --top.left > 0) break;
      stack.pop();
    }
  }
}

/** A big number's content: a definite byte string of at most `MAX_BIGNUM_BYTES`. */
function checkBignum(bytes: Uint8Array, major: number, info: number, at: number, tagAt: number) {
  if (major !== 2 || info === 31)
    throw structureError(F, 'a big number (tag 2 or 3) that is not a byte string', tagAt);
  const size = info < 24 ? 0 : 1 << (info - 24);
  let length = info;
  if (size > 0) {
    length = 0;
    for (let i = 0; i < size && at + 1 + i < bytes.byteLength; i++)
      length = length * 256 + bytes[at + 1 + i];
  }
  if (length > MAX_BIGNUM_BYTES)
    throw structureError(
      F,
      `a big number of ${length} bytes (at most ${MAX_BIGNUM_BYTES} are read)`,
      tagAt,
    );
}

function open(stack: Open[], left: number, at: number): void {
  if (stack.length >= MAX_NESTING)
    throw structureError(F, `nested deeper than ${MAX_NESTING} levels`, at);
  stack.push({ left, at });
}
