/**
 * A body's text to the bytes it stands for (`encoding: text | hex | base64`; whitespace in hex
 * and base64 is ignored), and back. One reading for the runner and the block writer.
 */

export type BodyEncoding = 'text' | 'hex' | 'base64';

export class BodyEncodingError extends Error {}

export function bodyBytes(text: string, encoding: BodyEncoding): Uint8Array {
  if (encoding === 'text') return new TextEncoder().encode(text);
  const compact = text.replace(/\s+/g, '');
  if (encoding === 'hex') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(compact)) {
      throw new BodyEncodingError('the body is not hex: write pairs of hex digits');
    }
    return new Uint8Array(Buffer.from(compact, 'hex'));
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new BodyEncodingError(
      'the body is not base64: use A–Z, a–z, 0–9, + and / with = padding',
    );
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** Bytes as base64 lines of 76 characters. */
export function base64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return lines.join('\n');
}
