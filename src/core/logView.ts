/**
 * One view of the message store: the rows a message log shows under its filter, addressed by
 * row index, so a virtualised list can ask for rows [start, start + count) and size its
 * scrollbar from `length`. Unfiltered, row i is simply seq firstSeq + i; filtered, the view keeps
 * the matching seqs and extends them as messages arrive, testing each new message once.
 */
import type { MessageEntry, MessageFilter } from './messageStoreTypes';
import type { MessageStore } from './messageStore';

const SCAN_CHUNK = 65_536;

export class LogView {
  private filter: MessageFilter | undefined;
  /** Matching seqs, ascending; rows start at `head` (evicted ones are skipped, not spliced). */
  private seqs: number[] = [];
  private head = 0;
  /** Highest seq already tested against the filter. */
  private indexedUpTo = 0;

  constructor(private readonly store: MessageStore) {
    this.indexedUpTo = store.stats().lastSeq;
  }

  get activeFilter(): MessageFilter | undefined {
    return this.filter;
  }

  /** Replaces the filter; undefined shows every stored message. */
  setFilter(filter: MessageFilter | undefined): void {
    this.filter = filter && Object.keys(filter).length > 0 ? filter : undefined;
    this.seqs = [];
    this.head = 0;
    const { firstSeq } = this.store.stats();
    this.indexedUpTo = firstSeq - 1;
    this.catchUp();
  }

  /** Number of rows; call after appends (it catches up with the store first). */
  get length(): number {
    this.catchUp();
    if (!this.filter) return this.store.stats().count;
    return this.seqs.length - this.head;
  }

  /** The seq of row `index`, or undefined when out of range. */
  seqAt(index: number): number | undefined {
    this.catchUp();
    if (index < 0) return undefined;
    if (!this.filter) {
      const { firstSeq, lastSeq } = this.store.stats();
      const seq = firstSeq + index;
      return seq <= lastSeq ? seq : undefined;
    }
    return this.seqs[this.head + index];
  }

  /** The row index of `seq` in this view, or -1. */
  indexOf(seq: number): number {
    this.catchUp();
    if (!this.filter) {
      const { firstSeq, lastSeq } = this.store.stats();
      return seq >= firstSeq && seq <= lastSeq ? seq - firstSeq : -1;
    }
    let lo = this.head;
    let hi = this.seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] === seq) return mid - this.head;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Rows [start, start + count), clamped to the view. */
  rows(start: number, count: number): MessageEntry[] {
    this.catchUp();
    const result: MessageEntry[] = [];
    const end = Math.min(start + count, this.length);
    if (!this.filter) {
      const first = this.seqAt(Math.max(0, start));
      if (first === undefined || end <= start) return result;
      return this.store.page({ fromSeq: first, limit: end - Math.max(0, start) }).entries;
    }
    for (let i = Math.max(0, start); i < end; i++) {
      const entry = this.store.get(this.seqs[this.head + i]);
      if (entry) result.push(entry);
    }
    return result;
  }

  /** Tests the messages appended since the last call and drops evicted ones. */
  private catchUp(): void {
    const { firstSeq, lastSeq } = this.store.stats();
    if (!this.filter) {
      this.indexedUpTo = lastSeq;
      return;
    }
    if (this.indexedUpTo < firstSeq - 1) this.indexedUpTo = firstSeq - 1;
    while (this.indexedUpTo < lastSeq) {
      const page = this.store.page({
        fromSeq: this.indexedUpTo + 1,
        limit: SCAN_CHUNK,
        maxScan: SCAN_CHUNK,
        filter: this.filter,
      });
      for (const entry of page.entries) this.seqs.push(entry.seq);
      this.indexedUpTo = page.next - 1;
      if (!page.more) break;
    }
    while (this.head < this.seqs.length && this.seqs[this.head] < firstSeq) this.head++;
    // Compact once the skipped head is most of the array, so memory follows the live rows.
    if (this.head > 1024 && this.head > this.seqs.length / 2) {
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
  }
}
