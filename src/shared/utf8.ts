/**
 * UTF-8 decoding of device bytes, the one rule host and webview share: strict (text or not
 * text), strict for the start of a cut payload, and lossy (a forced text view, a payload
 * search). A byte-order mark is kept as a character, so it is shown (⟨U+FEFF⟩), never dropped.
 */

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The bytes as UTF-8 text, or undefined when they are not valid UTF-8. With `cut`, the bytes
 * are the start of a longer payload and may end inside a character: that incomplete tail is
 * left out, but any invalid byte still makes them not text (dropping trailing bytes until they
 * decode would pass off binary data as text).
 */
export function decodeUtf8(bytes: Uint8Array, cut = false): string | undefined {
  try {
    // A streaming decode keeps state between calls: a cut payload gets a decoder of its own.
    if (cut)
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, {
        stream: true,
      });
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The bytes as UTF-8 with each invalid sequence as U+FFFD (�). */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  return lossy.decode(bytes);
}

/**
 * The start of a cut payload without an incomplete UTF-8 sequence at its end (at most 3 bytes
 * dropped), so a decoder reads a cut text as text. Bytes that are not UTF-8 are left as they are.
 */
export function withoutCutCharacter(bytes: Uint8Array): Uint8Array {
  const end = bytes.byteLength;
  for (let back = 1; back <= 3 && back <= end; back++) {
    const b = bytes[end - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    // A lead byte whose sequence needs more bytes than are left: cut before it.
    const needs = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needs > back ? bytes.subarray(0, end - back) : bytes;
  }
  return bytes;
}
