/**
 * The rows of the shown connection's trace the webview holds, by trace index, in pages of
 * PAGE_SIZE. Entries never change once added, so a page is asked for once, plus the rows it
 * lacked when it was fetched while it filled.
 */
import type { TraceRow, TraceRowsReply, TraceStats } from '../../protocol/packetTrace';
import type { PagedRows } from '../shared/pages';

export const PAGE_SIZE = 100;
/** Pages kept; beyond this, the pages farthest from the last asked for go. */
const MAX_PAGES = 50;

export class TraceRowCache implements PagedRows {
  private pages = new Map<number, (TraceRow | undefined)[]>();
  private readonly inFlight = new Map<number, number[]>();
  private readonly pagesInFlight = new Set<number>();
  stats: TraceStats | undefined;

  /** Starts over with another connection (or none). */
  reset(stats: TraceStats | undefined): void {
    this.stats = stats;
    this.pages = new Map();
    this.inFlight.clear();
    this.pagesInFlight.clear();
  }

  rowAt(index: number): TraceRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  missing(
    from: number,
    to: number,
  ): { pages: number[]; request: { start: number; count: number } }[] {
    const s = this.stats;
    if (!s) return [];
    const lo = Math.max(from, s.start);
    const hi = Math.min(to, s.end);
    const out: { pages: number[]; request: { start: number; count: number } }[] = [];
    for (let p = Math.floor(lo / PAGE_SIZE); p * PAGE_SIZE < hi; p++) {
      if (this.pagesInFlight.has(p)) continue;
      const pageStart = Math.max(p * PAGE_SIZE, s.start);
      const pageEnd = Math.min((p + 1) * PAGE_SIZE, s.end);
      const rows = this.pages.get(p);
      let first = pageStart;
      while (rows && first < pageEnd && rows[first % PAGE_SIZE] !== undefined) first++;
      if (first < pageEnd)
        out.push({ pages: [p], request: { start: first, count: pageEnd - first } });
    }
    return out;
  }

  sent(requestId: number, pages: number[]): void {
    this.inFlight.set(requestId, pages);
    for (const p of pages) this.pagesInFlight.add(p);
  }

  /** Stores a reply's rows; false when it belongs to another connection or an older reset. */
  receive(reply: TraceRowsReply): boolean {
    const pages = this.inFlight.get(reply.requestId);
    this.inFlight.delete(reply.requestId);
    if (!pages || reply.connection !== this.stats?.connection) return false;
    // Entries may have dropped out since the last notice: asking for them again would repeat.
    if (reply.stats.end >= this.stats.end) this.stats = reply.stats;
    for (const p of pages) this.pagesInFlight.delete(p);
    for (const row of reply.rows) {
      const p = Math.floor(row.index / PAGE_SIZE);
      let page = this.pages.get(p);
      if (!page) this.pages.set(p, (page = new Array<TraceRow | undefined>(PAGE_SIZE)));
      page[row.index % PAGE_SIZE] = row;
    }
    this.trim(Math.floor(reply.start / PAGE_SIZE));
    return true;
  }

  private trim(near: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const p of far.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
  }
}
