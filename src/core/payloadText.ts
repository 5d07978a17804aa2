/**
 * Lazy payload decoding for display: bytes stay bytes until something shows them, and what is
 * shown is always plain text (control and bidi characters made visible), never markup.
 */
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The payload as UTF-8 text, or undefined when it is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeUtf8Prefix(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
}

export function toHex(bytes: Uint8Array, max = bytes.byteLength): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(max, bytes.byteLength); i++)
    parts.push(bytes[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}

// C0/C1 controls, bidi overrides and zero-width characters would reorder or hide text.
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

export function makeVisible(text: string): string {
  return text.replace(INVISIBLE, (c) =>
    c === '\n' || c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A one-line preview of at most `maxChars` characters. `totalSize` is the payload's full size
 * when `bytes` holds only its beginning.
 */
export function payloadPreview(
  bytes: Uint8Array,
  maxChars = 60,
  totalSize = bytes.byteLength,
): string {
  if (totalSize === 0) return '(empty)';
  const truncated = totalSize > bytes.byteLength;
  // A cut payload may end inside a UTF-8 sequence: decode it as a stream, which holds back an
  // incomplete trailing sequence but still rejects invalid bytes (dropping any trailing bytes
  // until it decodes would pass off binary data as text).
  const text = truncated ? decodeUtf8Prefix(bytes) : decodeUtf8(bytes);
  if (text === undefined) {
    const shown = Math.min(Math.ceil(maxChars / 3), bytes.byteLength);
    return `0x ${toHex(bytes, shown)}${totalSize > shown ? '…' : ''}`;
  }
  const visible = makeVisible(text).trim();
  if (visible.length <= maxChars && !truncated) return visible;
  // Never cut a surrogate pair in half.
  const end = /[\ud800-\udbff]/.test(visible.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return `${visible.slice(0, end)}…`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  // 1,048,575 bytes would otherwise round to "1024.0 KiB".
  if (n < 1024 * 1023.95) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Text safe to put in a VS Code notification, which renders `[label](target)` as a link (a
 * `command:` target runs a command when clicked): link syntax is broken up, and invisible or
 * reordering characters are made visible.
 */
export function inertText(text: string): string {
  return makeVisible(text).replace(/\]\s*\(/g, '] (');
}
