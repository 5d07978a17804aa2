/**
 * Fewer points that draw the same line: the time range is cut into `buckets` (one per pixel
 * column) and each bucket keeps its minimum and its maximum, in time order, so peaks survive and
 * a series never sends more than 2 × buckets points however many messages arrived.
 */
import type { SeriesRing } from './seriesRing';

export interface Points {
  times: number[];
  values: number[];
}

export function decimate(ring: SeriesRing, from: number, to: number, buckets: number): Points {
  const times: number[] = [];
  const values: number[] = [];
  const first = ring.firstAtOrAfter(from);
  let end = ring.firstAtOrAfter(to);
  while (end < ring.length && ring.timeAt(end) <= to) end++;
  const n = Math.max(1, Math.floor(buckets));
  if (end - first <= 2 * n) {
    for (let i = first; i < end; i++) {
      times.push(ring.timeAt(i));
      values.push(ring.valueAt(i));
    }
    return { times, values };
  }
  const span = Math.max(to - from, 1e-9);
  const bucketOf = (i: number) => Math.min(n - 1, Math.floor(((ring.timeAt(i) - from) / span) * n));
  let i = first;
  while (i < end) {
    const bucket = bucketOf(i);
    let min = i;
    let max = i;
    for (i++; i < end && bucketOf(i) === bucket; i++) {
      if (ring.valueAt(i) < ring.valueAt(min)) min = i;
      if (ring.valueAt(i) > ring.valueAt(max)) max = i;
    }
    for (const k of min === max ? [min] : min < max ? [min, max] : [max, min]) {
      times.push(ring.timeAt(k));
      values.push(ring.valueAt(k));
    }
  }
  return { times, values };
}
