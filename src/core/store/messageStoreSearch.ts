/**
 * The two costly parts of a filtered scan, made cheap for the next page too: topic filter
 * verdicts remembered per topic id (a log view asks for page after page with one filter), and
 * a payload substring found with Buffer's native search across a whole slab, reused for every
 * row it passes over, instead of a search per row.
 */
import { topicMatches } from '../topics/topics';

const MAX_FILTERS = 8;

/** topicMatches results per (filter, topic id): 0 not known yet, 1 matches, 2 does not. */
export class TopicMatchCache {
  private readonly verdicts = new Map<string, Uint8Array>();

  /** The verdicts of a filter, sized for `ids` topic ids; most recently used filters stay. */
  verdictsFor(filter: string, ids: number): Uint8Array {
    let v = this.verdicts.get(filter);
    this.verdicts.delete(filter);
    if (v === undefined || v.length < ids) {
      const grown = new Uint8Array(Math.max(64, ids * 2));
      if (v) grown.set(v);
      v = grown;
    }
    this.verdicts.set(filter, v);
    if (this.verdicts.size > MAX_FILTERS) this.verdicts.delete(this.verdicts.keys().next().value!);
    return v;
  }

  /** A topic id was given to a (possibly different) topic: what was known about it is void. */
  forget(id: number): void {
    for (const v of this.verdicts.values()) if (id < v.length) v[id] = 0;
  }

  clear(): void {
    this.verdicts.clear();
  }
}

/** Whether the topic of `id` matches, asking topicMatches once per id. */
export function matchesCached(verdicts: Uint8Array, id: number, filter: string, topic: string) {
  let known = verdicts[id];
  if (known === 0) verdicts[id] = known = topicMatches(filter, topic) ? 1 : 2;
  return known === 1;
}

/**
 * Finds a byte string in payloads stored back to back in slabs, for rows visited in one
 * direction. It keeps the nearest occurrence found in the current slab: while a row lies before
 * it (forwards) or after it (backwards), the row cannot contain the needle and costs nothing.
 */
export class SlabSearch {
  private slabNo = -1;
  private slab: Buffer | undefined;
  /** Forwards: first occurrence at or after the last row start asked (-1: none to the end). */
  private hit = -1;
  private readonly n: number;

  constructor(
    private readonly needle: Buffer,
    private readonly forward: boolean,
    private readonly slabOf: (slabNo: number) => Uint8Array,
  ) {
    this.n = needle.length;
  }

  contains(slabNo: number, offset: number, length: number): boolean {
    if (this.n === 0) return true;
    const end = offset + length;
    if (slabNo !== this.slabNo) {
      const s = this.slabOf(slabNo);
      this.slab = Buffer.from(s.buffer, s.byteOffset, s.byteLength);
      this.slabNo = slabNo;
      this.search(offset, end);
    } else if (this.forward ? this.hit !== -1 && this.hit < offset : this.hit > end - this.n) {
      this.search(offset, end);
    }
    return this.hit >= offset && this.hit + this.n <= end;
  }

  private search(offset: number, end: number): void {
    if (this.forward) {
      this.hit = this.slab!.indexOf(this.needle, offset);
      return;
    }
    // A row too short to hold the needle: look for the last occurrence before it instead.
    const from = end - this.n < offset ? offset - 1 : end - this.n;
    // lastIndexOf counts a negative position from the end of the buffer.
    this.hit = from < 0 ? -1 : this.slab!.lastIndexOf(this.needle, from);
  }
}

/** Whether `needle` occurs in `bytes` (a payload kept outside the slabs). */
export function containsBytes(bytes: Uint8Array, needle: Buffer): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}
