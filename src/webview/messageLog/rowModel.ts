/**
 * The rows the webview holds: an LRU cache of pages of rows fetched from the host by index,
 * and the bookkeeping that says which index ranges still have to be asked for.
 *
 * Rows are kept by an "absolute" index that does not move when the store evicts old messages:
 * unfiltered, row i of the host's view is absolute index i + stats.evicted (the host's row i is
 * seq firstSeq + i, and firstSeq grows by one per eviction). Under a filter the webview cannot
 * know how many of the evicted messages matched, so absolute = view index and the cache is
 * marked stale whenever the evicted count changes (the stale rows stay on screen until their
 * fresh copies arrive, so nothing flickers). The same goes for rows whose publish outcome may
 * have changed: a new `stats.outcomes` marks the cached pages stale, so the rows on screen are
 * fetched again — once per stats notice, however many acknowledgements it covers.
 */
import type { LogRow, LogStats, RowsReply } from '../../protocol/messageLog';

export const PAGE_SIZE = 100;
export const MAX_PAGES = 20;

interface Page {
  rows: (LogRow | undefined)[];
  stale: boolean;
  /** dataVersion at which a reply left this page short; not asked again until data changes. */
  shortAt: number;
}

export interface RowRequest {
  start: number;
  count: number;
}

interface InFlight {
  epoch: number;
  pages: number[];
  /** Where the request's rows go: absolute index = reply.start + offset(reply.stats). */
  filtered: boolean;
  /** How many rows the request asked for. */
  count: number;
}

/** Row indices [start, start + total) of the log, in absolute terms. */
export interface Window {
  start: number;
  total: number;
}

export class RowModel {
  private pages = new Map<number, Page>();
  private readonly inFlight = new Map<number, InFlight>();
  private readonly pagesInFlight = new Set<number>();
  /** Bumped on filter changes and clears: replies to older requests are dropped. */
  epoch = 0;
  filtered = false;
  /** Filtered: the evicted count under which the cached indices hold. */
  private cacheEvicted = 0;
  /** Invariant of a store between clears: lastSeq - stored - evicted + 1. */
  private base: number | undefined;
  /** The outcome revision the cached rows reflect. */
  private outcomes: number | undefined;
  /** The decoding revision the cached rows reflect. */
  private decoding: number | undefined;
  /** Bumped by every stats change; lets a short page be asked for again. */
  private dataVersion = 0;
  latest: LogStats = { total: 0, stored: 0, evicted: 0, lastSeq: 0 };

  /** Starts over (new filter, or a clear): drops every row. */
  reset(filtered: boolean, stats: LogStats): void {
    this.epoch++;
    this.filtered = filtered;
    this.pages.clear();
    this.pagesInFlight.clear();
    this.inFlight.clear();
    this.cacheEvicted = stats.evicted;
    this.base = storeBase(stats);
    this.latest = stats;
    this.outcomes = stats.outcomes;
    this.decoding = stats.decoding;
    this.dataVersion++;
  }

  /**
   * Takes new stats. Returns true when the store was cleared since the last stats (the rows are
   * then dropped). `frozen`: the view is paused, so stale rows are kept as they are.
   */
  update(stats: LogStats, frozen: boolean): boolean {
    const base = storeBase(stats);
    let cleared = false;
    if (this.base !== undefined && base !== this.base) {
      cleared = true;
    } else if (stats.evicted < this.latest.evicted || stats.lastSeq < this.latest.lastSeq) {
      cleared = true;
    }
    if (cleared) {
      this.reset(this.filtered, stats);
      return true;
    }
    if (
      stats.total !== this.latest.total ||
      stats.evicted !== this.latest.evicted ||
      stats.lastSeq !== this.latest.lastSeq
    )
      this.dataVersion++;
    this.latest = stats;
    this.base = base;
    if (this.filtered && !frozen && stats.evicted !== this.cacheEvicted) {
      for (const page of this.pages.values()) page.stale = true;
      this.cacheEvicted = stats.evicted;
    }
    // New outcomes, or new decoder rules (which change previews only, also of a paused view).
    const outcomes = !frozen && stats.outcomes !== this.outcomes;
    if (outcomes || stats.decoding !== this.decoding) {
      for (const page of this.pages.values()) page.stale = true;
      if (outcomes) this.outcomes = stats.outcomes;
      this.decoding = stats.decoding;
      this.dataVersion++;
    }
    return false;
  }

  /** Absolute index of the host's row 0 under the given stats. */
  offset(stats: LogStats = this.latest): number {
    return this.filtered ? 0 : stats.evicted;
  }

  /** The window the host's view has now. */
  window(stats: LogStats = this.latest): Window {
    return { start: this.offset(stats), total: stats.total };
  }

  rowAt(abs: number): LogRow | undefined {
    const page = this.pages.get(Math.floor(abs / PAGE_SIZE));
    return page?.rows[abs - Math.floor(abs / PAGE_SIZE) * PAGE_SIZE];
  }

  /** Whether every row of [from, to) is cached and fresh. */
  isFresh(from: number, to: number): boolean {
    for (let abs = Math.max(0, from); abs < to; abs++) {
      const page = this.pages.get(Math.floor(abs / PAGE_SIZE));
      if (!page || page.stale || page.rows[abs % PAGE_SIZE] === undefined) return false;
    }
    return true;
  }

  /**
   * The requests to send so that [from, to) gets cached: one per page that misses rows (or is
   * stale) and is not already asked for, each for at most PAGE_SIZE rows. Only rows the host
   * still has are asked for: [offset, offset + total) of the latest stats.
   */
  missing(from: number, to: number): { pages: number[]; request: RowRequest }[] {
    const hostStart = this.offset();
    const lo = Math.max(from, hostStart, 0);
    const hi = Math.min(to, hostStart + this.latest.total);
    const out: { pages: number[]; request: RowRequest }[] = [];
    if (hi <= lo) return out;
    for (let p = Math.floor(lo / PAGE_SIZE); p * PAGE_SIZE < hi; p++) {
      if (this.pagesInFlight.has(p)) continue;
      const pageStart = Math.max(p * PAGE_SIZE, hostStart);
      const pageEnd = Math.min((p + 1) * PAGE_SIZE, hostStart + this.latest.total);
      const page = this.pages.get(p);
      let first = pageStart;
      if (page && !page.stale) {
        if (page.shortAt === this.dataVersion) continue;
        while (first < pageEnd && page.rows[first - p * PAGE_SIZE] !== undefined) first++;
        // Rows are only ever missing at the end of a page that was fetched while it filled.
        if (first >= pageEnd) continue;
      }
      out.push({ pages: [p], request: { start: first - hostStart, count: pageEnd - first } });
    }
    return out;
  }

  /** Records that `requestId` asks for the given pages (`count` rows in all). */
  sent(requestId: number, pages: number[], count: number): void {
    this.inFlight.set(requestId, { epoch: this.epoch, pages, filtered: this.filtered, count });
    for (const p of pages) this.pagesInFlight.add(p);
  }

  /** Stores a reply's rows; returns false when the reply belongs to an older epoch. */
  receive(reply: RowsReply, frozen: boolean): boolean {
    const info = this.inFlight.get(reply.requestId);
    this.inFlight.delete(reply.requestId);
    if (!info || info.epoch !== this.epoch) return false;
    for (const p of info.pages) this.pagesInFlight.delete(p);
    if (this.filtered && !frozen && reply.stats.evicted !== this.cacheEvicted) {
      for (const page of this.pages.values()) page.stale = true;
      this.cacheEvicted = reply.stats.evicted;
    }
    const start = reply.start + this.offset(reply.stats);
    const touched = new Set<number>();
    reply.rows.forEach((row, i) => {
      const abs = start + i;
      const p = Math.floor(abs / PAGE_SIZE);
      let page = this.pages.get(p);
      if (!page || (page.stale && !touched.has(p))) {
        page = { rows: new Array<LogRow | undefined>(PAGE_SIZE), stale: false, shortAt: -1 };
      }
      touched.add(p);
      page.rows[abs - p * PAGE_SIZE] = row;
      this.pages.delete(p);
      this.pages.set(p, page);
    });
    // Short means the host sent fewer rows than it had for the request. Rows that arrived
    // after the request was sent are not a shortfall: the page is asked for again as usual.
    const short = reply.rows.length < expectedRows(reply, info.count);
    for (const p of info.pages) {
      const page = this.pages.get(p);
      if (page) page.shortAt = short ? this.dataVersion : -1;
    }
    this.trim();
    return true;
  }

  /** Marks pages as recently used so the LRU keeps what is on screen. */
  touch(from: number, to: number): void {
    for (let p = Math.floor(Math.max(0, from) / PAGE_SIZE); p * PAGE_SIZE < to; p++) {
      const page = this.pages.get(p);
      if (page) {
        this.pages.delete(p);
        this.pages.set(p, page);
      }
    }
  }

  get pageCount(): number {
    return this.pages.size;
  }

  /** Finds the absolute index of `seq` among cached rows near `around` (seqs grow with index). */
  findSeq(seq: number, around: number, reach = 2 * PAGE_SIZE): number | undefined {
    for (let d = 0; d <= reach; d++) {
      for (const abs of d === 0 ? [around] : [around - d, around + d]) {
        if (this.rowAt(abs)?.seq === seq) return abs;
      }
    }
    return undefined;
  }

  private trim(): void {
    while (this.pages.size > MAX_PAGES) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
  }
}

function storeBase(s: LogStats): number {
  return s.lastSeq - s.stored - s.evicted + 1;
}

/**
 * How many rows a reply should have had: the rows asked for, as far as the host had them when
 * it answered (its stats are from that moment).
 */
function expectedRows(reply: RowsReply, asked: number): number {
  return Math.max(0, Math.min(asked, reply.stats.total - reply.start));
}

/** The direction column's codicon: a publish waiting for its answer, or one that went wrong, shows it. */
export function directionIcon(row: LogRow): string {
  if (row.direction === 'in') return 'arrow-down';
  if (row.outcome === 'pending') return 'watch';
  if (row.outcome === 'refused' || row.outcome === 'failed') return 'error';
  return 'arrow-up';
}
