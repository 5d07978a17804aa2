/**
 * Lazy payload decoding for display: bytes stay bytes until something shows them, and what is
 * shown is always plain text (invisible characters made visible by src/shared/visibleText),
 * never markup.
 */
import { cutText, visibleLine } from '../shared/visibleText';

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

/**
 * The start of a payload as text for a one-line preview, as sent (nothing made visible yet: the
 * caller shows it through src/shared/visibleText), at most `maxChars` characters, with … when
 * more follows; invalid UTF-8 as hex. `totalSize` is the payload's full size when `bytes` holds
 * only its beginning.
 */
export function payloadSnippet(
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
  const cut = cutText(text, maxChars);
  return cut.length < text.length || truncated ? `${cut}…` : cut;
}

/** A one-line preview to show as it is (tree rows, tooltips): the snippet, made visible. */
export function payloadPreview(
  bytes: Uint8Array,
  maxChars = 60,
  totalSize = bytes.byteLength,
): string {
  return visibleLine(payloadSnippet(bytes, maxChars, totalSize));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  // 1,048,575 bytes would otherwise round to "1024.0 KiB".
  if (n < 1024 * 1023.95) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Text safe to put in a VS Code notification, which renders `[label](target)` as a link (a
 * `command:` target runs a command when clicked): the one-line form of src/shared/visibleText
 * (so no line break or invisible character is left to hide `](`), with link syntax broken up.
 */
export function inertText(text: string): string {
  return visibleLine(text).replace(/\]\s*\(/g, '] (');
}
