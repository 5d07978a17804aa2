/**
 * What a chart webview draws and what Export CSV writes, built from a series set. The drawing
 * is decimated to the chart's width (decimate.ts) and aligned on one time axis (a series without
 * a point at a time has null there): each point at its own time while they are few, else on a
 * grid of two slots per pixel column, so a flood on many topics never means more than
 * 2 × width columns per update. The CSV has every point kept, one row per point.
 */
import { decimate, type Points } from './decimate';
import type { ChartSeries } from './chartSeriesSet';

export interface AlignedData {
  /** Epoch milliseconds, increasing. */
  times: number[];
  /** One array per series, as long as `times`. */
  values: (number | null)[][];
  /** The time range shown. */
  from: number;
  to: number;
}

/** The series over [from, to] (all of their points when absent), `width` buckets wide. */
export function alignedData(
  series: readonly ChartSeries[],
  width: number,
  range?: { from: number; to: number },
): AlignedData {
  let from = range?.from ?? Infinity;
  let to = range?.to ?? -Infinity;
  if (!range) {
    for (const { ring } of series) {
      if (ring.length === 0) continue;
      from = Math.min(from, ring.timeAt(0));
      to = Math.max(to, ring.timeAt(ring.length - 1));
    }
  }
  if (!(from <= to)) return { times: [], values: series.map(() => []), from: 0, to: 0 };
  const parts = series.map(({ ring }) => decimate(ring, from, to, width));
  let total = 0;
  for (const p of parts) total += p.times.length;
  // Few points: each at its own time. Many (a flood, many topics): on a grid of two slots per
  // pixel column, so the data sent stays 2 × width columns however many series there are.
  return total <= 2 * width
    ? exactly(parts, from, to)
    : onGrid(parts, from, to, Math.max(1, Math.floor(width)));
}

function exactly(parts: Points[], from: number, to: number): AlignedData {
  const times = [...new Set(parts.flatMap((p) => p.times))].sort((a, b) => a - b);
  const column = new Map(times.map((t, i) => [t, i]));
  const values = parts.map((p) => {
    const row: (number | null)[] = new Array<number | null>(times.length).fill(null);
    p.times.forEach((t, i) => (row[column.get(t)!] = p.values[i]));
    return row;
  });
  return { times, values, from, to };
}

/**
 * Each series' decimated points put in the slot of their bucket: the first of a bucket's points
 * in slot 0, the second in slot 1 (decimate keeps at most two, in time order). Slots no series
 * uses are left out.
 */
function onGrid(parts: Points[], from: number, to: number, buckets: number): AlignedData {
  const span = Math.max(to - from, 1e-9);
  const slots = 2 * buckets;
  const grid = parts.map(() => new Array<number | null>(slots).fill(null));
  const used = new Uint8Array(slots);
  parts.forEach((p, s) => {
    let last = -1;
    for (let i = 0; i < p.times.length; i++) {
      const bucket = Math.min(buckets - 1, Math.floor(((p.times[i] - from) / span) * buckets));
      const slot = 2 * bucket > last ? 2 * bucket : 2 * bucket + 1;
      if (slot >= slots || slot <= last) continue;
      grid[s][slot] = p.values[i];
      used[slot] = 1;
      last = slot;
    }
  });
  const times: number[] = [];
  const keep: number[] = [];
  for (let slot = 0; slot < slots; slot++) {
    if (!used[slot]) continue;
    keep.push(slot);
    times.push(from + ((slot >> 1) + (slot & 1 ? 0.75 : 0.25)) * (span / buckets));
  }
  const values = grid.map((row) => keep.map((slot) => row[slot]));
  return { times, values, from, to };
}

/** Every kept point as CSV (RFC 4180): time (ISO 8601), epoch ms, topic, value. */
export function chartCsv(series: readonly ChartSeries[], field: string): string {
  const lines = [`time,epoch_ms,topic,${csvCell(field === '' ? 'payload' : field)}`];
  for (const { topic, ring } of series) {
    const cell = csvCell(topic);
    for (let i = 0; i < ring.length; i++) {
      const t = ring.timeAt(i);
      lines.push(`${new Date(t).toISOString()},${t},${cell},${ring.valueAt(i)}`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * A text cell: quoted when it holds a comma, quote or line break; a leading =, +, -, @, tab or
 * CR is preceded by ' so a spreadsheet does not run a device's topic as a formula.
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
