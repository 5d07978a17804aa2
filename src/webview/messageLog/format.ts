/** Formatting for the Message Log: times, sizes, counts, UTF-8 decoding and hex dumps. */
import { formatCount as groupedCount } from '../../shared/counts';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** HH:MM:SS.mmm, 24-hour, local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
}

/** YYYY-MM-DD HH:MM:SS.mmm, local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'unknown time';
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatTime(ms)}`;
}

/** 512 B, 1.5 KiB, 256 KiB, 10 MiB. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[unit]}`;
}

/**
 * The locale the host asked for (VS Code's display language, `data-locale` on #app), so counts
 * group as they do in the topic explorer; the browser's own language otherwise.
 */
function countLocale(): string {
  const fromHost =
    typeof document === 'undefined'
      ? undefined
      : document.getElementById('app')?.dataset.locale?.trim();
  if (fromHost) return fromHost;
  return typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';
}

/** 12,345 in English, 12.345 in German: grouped as the user's locale does (src/shared/counts). */
export function formatCount(n: number, locale: string = countLocale()): string {
  return groupedCount(n, locale);
}

/**
 * The bytes as UTF-8, or undefined when they are not valid UTF-8. When `truncated`, the bytes
 * are the start of a longer payload and may end inside a character: that tail is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, truncated = false): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, {
      stream: truncated,
    });
  } catch {
    return undefined;
  }
}

/** Lossy decoding, for a diff of binary data or a forced text view. */
export function decodeLossy(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

export const HEX_BYTES_PER_LINE = 16;

export interface HexLines {
  offsets: string;
  hex: string;
  ascii: string;
}

/**
 * A hex dump of bytes [from, to): offset (8 hex digits), 16 bytes in two groups of 8, and the
 * printable ASCII (other bytes as "."), one line per 16 bytes.
 */
export function hexDump(bytes: Uint8Array, from: number, to: number): HexLines {
  const offsets: string[] = [];
  const hex: string[] = [];
  const ascii: string[] = [];
  for (let line = from; line < to; line += HEX_BYTES_PER_LINE) {
    offsets.push(line.toString(16).padStart(8, '0'));
    let h = '';
    let a = '';
    for (let i = 0; i < HEX_BYTES_PER_LINE; i++) {
      const at = line + i;
      if (i === 8) h += ' ';
      if (at < to) {
        const b = bytes[at];
        h += (b < 16 ? '0' : '') + b.toString(16) + (i < HEX_BYTES_PER_LINE - 1 ? ' ' : '');
        a += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        h += i < HEX_BYTES_PER_LINE - 1 ? '   ' : '  ';
      }
    }
    hex.push(h.trimEnd());
    ascii.push(a);
  }
  return { offsets: offsets.join('\n'), hex: hex.join('\n'), ascii: ascii.join('\n') };
}

/** Hex dump as one text (for the diff of binary payloads). */
export function hexDumpText(bytes: Uint8Array, max: number): string {
  const to = Math.min(bytes.byteLength, max);
  const d = hexDump(bytes, 0, to);
  const o = d.offsets.split('\n');
  const h = d.hex.split('\n');
  const a = d.ascii.split('\n');
  return o.map((off, i) => `${off}  ${h[i].padEnd(48)}  ${a[i]}`).join('\n');
}
