import type { DecodeOutput, PayloadDecoder } from './decoder';
import { bytesNode } from './decodedTree';
import { jsonDecoder } from './jsonDecoder';
import { decodeUtf8 } from '../../shared/utf8';
import { hexDump } from './hexDecoder';

const WHITE_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Base64 text (RFC 4648, standard or URL-safe alphabet, padding optional, line breaks allowed)
 * turned back into the bytes it carries, which are then shown as JSON or text when they are,
 * else as hex. Chosen by rule only: much ordinary text ("test", "1234") is valid base64 too.
 */
export const base64Decoder: PayloadDecoder = {
  id: 'base64',
  label: 'Base64',
  decode(bytes) {
    const decoded = Buffer.from(base64Text(bytes), 'base64');
    const inner = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
    return describe(inner);
  },
};

/** What each byte is in base64 text: a digit of either alphabet, padding, white space, or not. */
const enum Kind {
  Invalid,
  Digit,
  Standard,
  UrlSafe,
  Pad,
  Space,
}
const KINDS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const c = String.fromCharCode(b);
  KINDS[b] = /[A-Za-z0-9]/.test(c)
    ? Kind.Digit
    : c === '+' || c === '/'
      ? Kind.Standard
      : c === '-' || c === '_'
        ? Kind.UrlSafe
        : c === '='
          ? Kind.Pad
          : WHITE_SPACE.has(b)
            ? Kind.Space
            : Kind.Invalid;
}

/** The payload's base64 characters without white space, or an error naming the first bad byte. */
function base64Text(bytes: Uint8Array): string {
  let alphabet: Kind | undefined;
  let digits = 0;
  let padding = 0;
  let spaces = 0;
  for (let i = 0; i < bytes.byteLength; i++) {
    const b = bytes[i];
    const kind = KINDS[b] as Kind;
    const c = String.fromCharCode(b);
    if (kind === Kind.Space) spaces++;
    else if (kind === Kind.Pad) padding++;
    else if (kind === Kind.Invalid)
      throw fail(
        b >= 0x21 && b < 0x7f
          ? `invalid character '${c}'`
          : `invalid byte 0x${b.toString(16).padStart(2, '0')}`,
        i,
      );
    else if (padding > 0) throw fail(`'${c}' after the padding`, i);
    else {
      if (kind !== Kind.Digit) {
        if (alphabet !== undefined && alphabet !== kind)
          throw fail(`'${c}' mixes the standard and URL-safe alphabets`, i);
        alphabet = kind;
      }
      digits++;
    }
  }
  if (digits === 0) throw new Error('Base64: the payload holds no base64 digits');
  if (padding > 2 || digits % 4 === 1 || (padding > 0 && (digits + padding) % 4 !== 0))
    throw new Error(
      `Base64: ${digits} digits and ${padding} padding characters do not make whole bytes`,
    );
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return spaces > 0 ? text.replace(/[ \t\r\n]/g, '') : text;
}

function fail(what: string, at: number): Error {
  return new Error(`Base64: ${what} at byte ${at}`);
}

function describe(inner: Uint8Array): DecodeOutput {
  if (jsonDecoder.sniff?.(inner, '')) {
    try {
      return { ...jsonDecoder.decode(inner, { topic: '' }), label: 'Base64 → JSON' };
    } catch {
      // Text that only looks like JSON: shown as text below.
    }
  }
  const text = decodeUtf8(inner);
  // Text without a value tree: views show it as text, not as one quoted string.
  if (text !== undefined) return { text, label: 'Base64 → text' };
  return {
    value: bytesNode(inner),
    text: hexDump(inner),
    label: `Base64 → ${inner.byteLength} bytes`,
  };
}
