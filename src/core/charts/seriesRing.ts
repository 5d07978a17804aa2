/**
 * The points of one chart series, newest last, in a fixed-size ring of typed arrays: pushing
 * past the capacity drops the oldest point, so a series never grows beyond `capacity` × 16 bytes.
 */
export class SeriesRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`A series holds at least one point, got a capacity of ${capacity}`);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(time: number, value: number): void {
    const at = (this.start + this.size) % this.capacity;
    this.times[at] = time;
    this.values[at] = value;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th oldest point's time (0 ≤ i < length). */
  timeAt(i: number): number {
    return this.times[(this.start + i) % this.capacity];
  }

  valueAt(i: number): number {
    return this.values[(this.start + i) % this.capacity];
  }

  /** The index of the first point at or after `time` (length when none). */
  firstAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
  }
}
