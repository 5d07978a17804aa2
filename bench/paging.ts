/**
 * Section c: pages of 200 rows from a 1,000,000-row store, unfiltered at random positions,
 * and filtered (a "+" topic filter that matches a tenth of the rows, one exact topic that
 * matches a thousandth, a payload substring). The baseline is the naive store: an array
 * of entry objects, filters tested row by row. Each runs in its own process.
 */
import { MessageStore, type MessageFilter } from '../src/core/store/messageStore';
import { realScheduler } from '../src/core/ports';
import { forkTs, serveRequests } from './child';
import { NaiveStore } from './naiveStore';
import { random, syntheticMessages } from './workload';
import type { StoreKind } from './memory';

export interface PagingCase {
  name: string;
  filter?: MessageFilter;
  /** Page towards older rows (the log view scrolling up) rather than newer. */
  backward?: boolean;
}

export const PAGING_CASES: PagingCase[] = [
  { name: 'unfiltered' },
  { name: 'topic filter 1/10 (+)', filter: { topicFilter: 'plant/line-3/+/telemetry' } },
  {
    name: 'exact topic 1/1000, backward',
    filter: { topicFilter: 'plant/line-3/machine-42/telemetry' },
    backward: true,
  },
  { name: 'text 1/97', filter: { text: '"t":21.5' } },
];

export interface PagingResult {
  /** Mean microseconds per page, by case name. */
  micros: Record<string, number>;
  pages: Record<string, number>;
  /** Rows returned, summed over all pages of a case, to prove the pages were full. */
  rows: Record<string, number>;
}

type Pager = (position: number, c: PagingCase) => number;

function build(kind: StoreKind, rows: number): { pager: Pager; first: number; last: number } {
  if (kind === 'naive') {
    const naive = new NaiveStore(rows, Infinity);
    for (const m of syntheticMessages(rows)) naive.append('bench', 'in', m);
    return {
      // The naive store only pages forwards; a backward page scans the same number of rows.
      pager: (pos, c) => naive.page(pos, LIMIT, c.filter).length,
      first: 1,
      last: rows,
    };
  }
  const store = new MessageStore({ scheduler: realScheduler, maxMessages: rows });
  for (const m of syntheticMessages(rows)) store.append('bench', 'in', m);
  const { firstSeq, lastSeq, count } = store.stats();
  if (count !== rows) throw new Error(`the store kept ${count} of ${rows} rows`);
  return {
    pager: (pos, c) =>
      store.page(
        c.backward
          ? { beforeSeq: pos, limit: LIMIT, filter: c.filter }
          : { fromSeq: pos, limit: LIMIT, filter: c.filter },
      ).entries.length,
    first: firstSeq,
    last: lastSeq,
  };
}

const LIMIT = 200;

function measure(kind: StoreKind, rows: number, pages: number, budgetMs: number): PagingResult {
  const { pager, first, last } = build(kind, rows);
  const result: PagingResult = { micros: {}, pages: {}, rows: {} };
  for (const c of PAGING_CASES) {
    // The same positions for both stores; away from the ends so every page can fill up.
    const next = random(42);
    const margin = Math.floor(rows / 4);
    let done = 0;
    let returned = 0;
    const start = performance.now();
    while (done < pages && (done < 5 || performance.now() - start < budgetMs)) {
      const pos = first + margin + Math.floor(next() * (last - first - 2 * margin));
      returned += pager(pos, c);
      done++;
    }
    result.micros[c.name] = ((performance.now() - start) * 1000) / done;
    result.pages[c.name] = done;
    result.rows[c.name] = returned;
  }
  return result;
}

export function benchPaging(
  kind: StoreKind,
  rows: number,
  pages: number,
  budgetMs: number,
): Promise<PagingResult> {
  const child = forkTs(__filename, ['--paging', kind]);
  return child.ask<PagingResult>({ rows, pages, budgetMs }).finally(() => child.close());
}

if (process.argv[2] === '--paging') {
  const kind = process.argv[3] as StoreKind;
  serveRequests(async (request) => {
    const { rows, pages, budgetMs } = request as { rows: number; pages: number; budgetMs: number };
    return measure(kind, rows, pages, budgetMs);
  });
}
