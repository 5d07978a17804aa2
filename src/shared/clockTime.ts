/** Times of day as the topic explorer, the Message Log and the Packet Trace show them. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** How finely a time of day is shown: seconds, milliseconds or microseconds. */
export type TimePrecision = 's' | 'ms' | 'us';

const UNKNOWN: Record<TimePrecision, string> = {
  s: '--:--:--',
  ms: '--:--:--.---',
  us: '--:--:--.------',
};

/**
 * HH:MM:SS, HH:MM:SS.mmm or HH:MM:SS.uuuuuu, 24-hour, local time, from epoch milliseconds
 * (with a fraction for microseconds).
 */
export function formatTime(ms: number, precision: TimePrecision = 'ms'): string {
  const d = new Date(Math.floor(ms));
  if (Number.isNaN(d.getTime())) return UNKNOWN[precision];
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (precision === 's') return clock;
  if (precision === 'ms') return `${clock}.${pad(d.getMilliseconds(), 3)}`;
  const micros = Math.floor((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${clock}.${pad(Math.min(micros, 999_999), 6)}`;
}

/** YYYY-MM-DD HH:MM:SS.mmm, local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  if (Number.isNaN(d.getTime())) return 'unknown time';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}
