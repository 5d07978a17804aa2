/**
 * One view of the message store: the rows a message log shows under its filter, addressed by
 * row index, so a virtualised list can ask for rows [start, start + count) and size its
 * scrollbar from `length`. Unfiltered, row i is simply seq firstSeq + i; filtered, the view keeps
 * the matching seqs and extends them as messages arrive, testing each new message once.
 *
 * Filters on flags, connection and topic are tested at once, synchronously. A payload filter
 * never blocks the thread: text is searched in slices between which the event loop runs, and a
 * regular expression is tested on a worker thread (payloadMatcher.ts) that is stopped when a
 * batch runs over its limit. While such a filter is being built the previous one keeps serving
 * rows; it takes over only when complete.
 */
import { Emitter, type Event } from '../event';
import { toFilterIndex, type FilterIndex } from './logViewIndex';
import type { MessageEntry, MessageFilter } from '../store/messageStoreTypes';
import type { MessageStore } from '../store/messageStore';
import {
  FilterCancelledError,
  FilterStoppedError,
  RegexWorkerMatcher,
  type PayloadMatcher,
} from './payloadMatcher';

/** Rows per synchronous scan of a flag/topic filter. */
const SCAN_CHUNK = 65_536;
/** Rows per slice of a text search; the event loop gets a turn every SLICE_MS at least. */
const TEXT_CHUNK = 4096;
const SLICE_MS = 12;
/** Rows sent to the regex worker per slice, fewer when payloads are large… */
const REGEX_CHUNK = 4096;
/** …so that a slice copies about this many payload bytes. */
const REGEX_SLICE_BYTES = 4 * 1024 * 1024;

export type FilterOutcome =
  | { kind: 'applied' }
  /** A batch of payloads took longer than `limitMs`: the previous filter stays in force. */
  | { kind: 'stopped'; limitMs: number }
  /** Another setFilter came first; this one was dropped. */
  | { kind: 'replaced' }
  | { kind: 'failed'; error: Error };

export interface LogViewOptions {
  /** Tests regular expressions; by default a worker started when the first one is used. */
  matcher?: PayloadMatcher;
  /** The limit on one batch of payloads, for the default matcher (milliseconds). */
  limitMs?: number;
}

export class LogView {
  /** The filter in force. */
  private index: FilterIndex;
  /** A payload filter being built, not yet in force. */
  private pending: FilterIndex | undefined;
  private matcherInstance: PayloadMatcher | undefined;
  private readonly ownsMatcher: boolean;
  private readonly updated = new Emitter<void>();
  private readonly stopped = new Emitter<FilterStoppedError | Error>();
  /** Rows were added in the background (a payload filter tested new messages). */
  readonly onDidUpdate: Event<void> = this.updated.event;
  /**
   * The payload filter in force could not test new messages (a batch ran over its limit): it
   * stays in force but no longer grows; the owner should replace it.
   */
  readonly onDidStop: Event<FilterStoppedError | Error> = this.stopped.event;

  constructor(
    private readonly store: MessageStore,
    private readonly options: LogViewOptions = {},
  ) {
    this.matcherInstance = options.matcher;
    this.ownsMatcher = options.matcher === undefined;
    this.index = toFilterIndex(undefined, store.stats().lastSeq);
  }

  get activeFilter(): MessageFilter | undefined {
    return this.index.filter;
  }

  /**
   * Replaces the filter; undefined shows every stored message. A filter without a payload part
   * is in force when this returns; a payload filter when the promise resolves "applied" (the
   * promise never rejects).
   */
  setFilter(filter: MessageFilter | undefined): Promise<FilterOutcome> {
    this.pending?.abort.abort();
    this.pending = undefined;
    const next = toFilterIndex(filter, this.store.stats().firstSeq - 1);
    if (!next.payload) {
      this.replace(next);
      this.catchUp();
      return Promise.resolve({ kind: 'applied' });
    }
    this.pending = next;
    return this.extend(next).then(
      (): FilterOutcome => {
        if (this.pending !== next) return { kind: 'replaced' };
        this.pending = undefined;
        this.replace(next);
        return { kind: 'applied' };
      },
      (error: Error): FilterOutcome => {
        if (this.pending === next) this.pending = undefined;
        if (error instanceof FilterCancelledError) return { kind: 'replaced' };
        if (error instanceof FilterStoppedError) return { kind: 'stopped', limitMs: error.limitMs };
        return { kind: 'failed', error };
      },
    );
  }

  /** Whether a payload filter is still being built. */
  get filtering(): boolean {
    return this.pending !== undefined;
  }

  /** Number of rows; call after appends (it catches up with the store first). */
  get length(): number {
    this.catchUp();
    if (!this.index.filter) return this.store.stats().count;
    return this.index.seqs.length - this.index.head;
  }

  /** The seq of row `index`, or undefined when out of range. */
  seqAt(index: number): number | undefined {
    this.catchUp();
    if (index < 0) return undefined;
    if (!this.index.filter) {
      const { firstSeq, lastSeq } = this.store.stats();
      const seq = firstSeq + index;
      return seq <= lastSeq ? seq : undefined;
    }
    return this.index.seqs[this.index.head + index];
  }

  /** The row index of `seq` in this view, or -1. */
  indexOf(seq: number): number {
    this.catchUp();
    const { seqs, head, filter } = this.index;
    if (!filter) {
      const { firstSeq, lastSeq } = this.store.stats();
      return seq >= firstSeq && seq <= lastSeq ? seq - firstSeq : -1;
    }
    let lo = head;
    let hi = seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid] === seq) return mid - head;
      if (seqs[mid] < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Rows [start, start + count), clamped to the view. */
  rows(start: number, count: number): MessageEntry[] {
    this.catchUp();
    const result: MessageEntry[] = [];
    const end = Math.min(start + count, this.length);
    if (!this.index.filter) {
      const first = this.seqAt(Math.max(0, start));
      if (first === undefined || end <= start) return result;
      return this.store.page({ fromSeq: first, limit: end - Math.max(0, start) }).entries;
    }
    const { seqs, head } = this.index;
    for (let i = Math.max(0, start); i < end; i++) {
      const entry = this.store.get(seqs[head + i]);
      if (entry) result.push(entry);
    }
    return result;
  }

  dispose(): void {
    this.pending?.abort.abort();
    this.index.abort.abort();
    if (this.ownsMatcher) this.matcherInstance?.dispose();
    this.updated.dispose();
    this.stopped.dispose();
  }

  private replace(next: FilterIndex): void {
    this.index.abort.abort();
    this.index = next;
  }

  /** Tests the messages appended since the last call and drops evicted ones. */
  private catchUp(): void {
    const index = this.index;
    const { firstSeq, lastSeq } = this.store.stats();
    if (!index.filter) {
      index.indexedUpTo = lastSeq;
      return;
    }
    if (index.indexedUpTo < firstSeq - 1) index.indexedUpTo = firstSeq - 1;
    if (index.payload) this.extendInBackground(index);
    else this.scanNow(index, lastSeq);
    index.dropBefore(firstSeq);
  }

  private scanNow(index: FilterIndex, lastSeq: number): void {
    while (index.indexedUpTo < lastSeq) {
      const page = this.store.page({
        fromSeq: index.indexedUpTo + 1,
        limit: SCAN_CHUNK,
        maxScan: SCAN_CHUNK,
        filter: index.scan,
      });
      for (const entry of page.entries) index.seqs.push(entry.seq);
      index.indexedUpTo = page.next - 1;
      if (!page.more) break;
    }
  }

  private extendInBackground(index: FilterIndex): void {
    if (index.extending || index.stoppedBy || index.indexedUpTo >= this.store.stats().lastSeq)
      return;
    this.extend(index).then(
      () => {
        if (this.index === index) this.updated.fire();
      },
      (error: Error) => {
        if (error instanceof FilterCancelledError) return;
        index.stoppedBy = error;
        if (this.index === index) this.stopped.fire(error);
      },
    );
  }

  /** Brings `index` up to the newest stored message, slice by slice. */
  private extend(index: FilterIndex): Promise<void> {
    index.extending ??= this.runExtend(index).finally(() => (index.extending = undefined));
    return index.extending;
  }

  private async runExtend(index: FilterIndex): Promise<void> {
    let sliceStart = performance.now();
    let chunk = index.regex ? REGEX_CHUNK : TEXT_CHUNK;
    for (;;) {
      if (index.abort.signal.aborted) throw new FilterCancelledError();
      const { firstSeq, lastSeq } = this.store.stats();
      if (index.indexedUpTo < firstSeq - 1) index.indexedUpTo = firstSeq - 1;
      if (index.indexedUpTo >= lastSeq) return;
      const page = this.store.page({
        fromSeq: index.indexedUpTo + 1,
        limit: chunk,
        maxScan: chunk,
        filter: index.scan,
      });
      let entries = page.entries;
      if (index.regex && entries.length > 0) {
        const payloads = entries.map((e) => e.payload);
        const bytes = payloads.reduce((sum, p) => sum + p.byteLength, 0);
        chunk = Math.max(
          16,
          Math.min(REGEX_CHUNK, Math.floor((chunk * REGEX_SLICE_BYTES) / (bytes + 1))),
        );
        const matches = await this.matcher().match(index.regex, payloads, index.abort.signal);
        entries = entries.filter((_, k) => matches[k] === 1);
        sliceStart = performance.now();
      } else if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (index.abort.signal.aborted) throw new FilterCancelledError();
        sliceStart = performance.now();
      }
      // The store may have been cleared meanwhile: seqs are never reused, so stale ones are
      // skipped like evicted ones.
      for (const entry of entries) index.seqs.push(entry.seq);
      index.indexedUpTo = Math.max(index.indexedUpTo, page.next - 1);
    }
  }

  private matcher(): PayloadMatcher {
    this.matcherInstance ??= new RegexWorkerMatcher({ limitMs: this.options.limitMs });
    return this.matcherInstance;
  }
}
