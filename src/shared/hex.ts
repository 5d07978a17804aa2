/**
 * Bytes as hex, the one rule host and webview share: a one-line form (`toHex`) and a hex dump
 * whose lines (`hexDumpLines`) each caller lays out, as one text block (`hexDumpText`: Open in
 * Editor, the diff of binary payloads) or as three columns (the Message Log's detail pane).
 */

export const HEX_BYTES_PER_LINE = 16;

/** Two lower-case digits per byte, for the first `max` bytes, `separator` between them. */
export function toHex(bytes: Uint8Array, max = bytes.byteLength, separator = ' '): string {
  const end = Math.min(max, bytes.byteLength);
  const parts = new Array<string>(Math.max(end, 0));
  for (let i = 0; i < end; i++) parts[i] = HEX_DIGITS[bytes[i]];
  return parts.join(separator);
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** One line of a hex dump. */
export interface HexLine {
  /** The offset of the line's first byte, 8 hex digits. */
  offset: string;
  /** Up to 16 bytes in two groups of 8 (a short last line is not padded). */
  hex: string;
  /** The same bytes as printable ASCII, any other byte as ".". */
  ascii: string;
}

/** Width of a full line's `hex`: 16 × "xx " less the last space, plus the gap after 8 bytes. */
export const HEX_LINE_WIDTH = HEX_BYTES_PER_LINE * 3;

/** The hex dump of bytes [from, to), one line per 16 bytes. */
export function hexDumpLines(bytes: Uint8Array, from = 0, to = bytes.byteLength): HexLine[] {
  const lines: HexLine[] = [];
  const end = Math.min(to, bytes.byteLength);
  for (let line = Math.max(from, 0); line < end; line += HEX_BYTES_PER_LINE) {
    let hex = '';
    let ascii = '';
    const lineEnd = Math.min(line + HEX_BYTES_PER_LINE, end);
    for (let at = line; at < lineEnd; at++) {
      const b = bytes[at];
      if (at > line) hex += at - line === 8 ? '  ' : ' ';
      hex += HEX_DIGITS[b];
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push({ offset: line.toString(16).padStart(8, '0'), hex, ascii });
  }
  return lines;
}

/** The hex dump of the first `maxBytes` bytes as one text: "offset  hex  ascii" per line. */
export function hexDumpText(bytes: Uint8Array, maxBytes = bytes.byteLength): string {
  return hexDumpLines(bytes, 0, maxBytes)
    .map((l) => `${l.offset}  ${l.hex.padEnd(HEX_LINE_WIDTH)}  ${l.ascii}`)
    .join('\n');
}
