/**
 * The entries of one connection's trace: a ring of fixed capacity, the oldest dropped first.
 * Entries are addressed by their `index`, which counts every entry ever added, so a page asked
 * for by index stays right while older entries fall out.
 */
import type { TraceEntry } from './traceTypes';

export class TraceRing {
  private readonly slots: (TraceEntry | undefined)[];
  private next: number;
  private size = 0;

  /** `firstIndex`: the index the first entry gets (a resized trace keeps its numbering). */
  constructor(
    readonly capacity: number,
    firstIndex = 0,
  ) {
    this.next = firstIndex;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(
        `packet trace capacity must be a whole number of at least 1, got ${capacity}`,
      );
    this.slots = new Array<TraceEntry | undefined>(capacity);
  }

  /** Index of the oldest entry kept (equal to `end` when empty). */
  get start(): number {
    return this.next - this.size;
  }

  /** Index the next entry will get. */
  get end(): number {
    return this.next;
  }

  get length(): number {
    return this.size;
  }

  /**
   * The entry the next push drops (the ring is full), for its object to be filled again: a
   * traced flood then allocates no entries. Undefined while the ring has room.
   */
  get recyclable(): TraceEntry | undefined {
    return this.size === this.capacity ? this.slots[this.next % this.capacity] : undefined;
  }

  /** Adds an entry, giving it its index; drops the oldest when full. */
  push(kept: TraceEntry): TraceEntry {
    kept.index = this.next;
    this.slots[this.next % this.capacity] = kept;
    this.next++;
    if (this.size < this.capacity) this.size++;
    return kept;
  }

  get(index: number): TraceEntry | undefined {
    if (index < this.start || index >= this.next) return undefined;
    return this.slots[index % this.capacity];
  }

  /** The entries of [from, from + count) still kept, in order. */
  page(from: number, count: number): TraceEntry[] {
    const out: TraceEntry[] = [];
    const first = Math.max(from, this.start);
    const last = Math.min(from + count, this.next);
    for (let i = first; i < last; i++) out.push(this.slots[i % this.capacity] as TraceEntry);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.size = 0;
  }
}
