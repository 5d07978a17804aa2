/**
 * Lazy payload decoding for display: bytes stay bytes until something shows them, and what is
 * shown is always plain text (invisible characters made visible by src/shared/visibleText),
 * never markup.
 */
import { cutText, visibleLine } from '../shared/visibleText';
import { decodeUtf8 } from '../shared/utf8';
import { toHex } from '../shared/hex';

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
  const text = decodeUtf8(bytes, truncated);
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

/**
 * Text safe to put in a VS Code notification, which renders `[label](target)` as a link (a
 * `command:` target runs a command when clicked): the one-line form of src/shared/visibleText
 * (so no line break or invisible character is left to hide `](`), with link syntax broken up.
 */
export function inertText(text: string): string {
  return visibleLine(text).replace(/\]\s*\(/g, '] (');
}
