/**
 * The Packet Trace webview's row cache (DOM-free): rows that dropped out of the trace since the
 * last stats notice are not asked for again after a reply says so.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TraceRowCache } from '../../src/webview/packetTrace/traceRowCache';
import type { TraceRow } from '../../src/protocol/packetTrace';

const row = (index: number): TraceRow => ({
  index,
  time: index,
  direction: 'received',
  type: 'PUBLISH',
  summary: `t/${index}`,
});

describe('TraceRowCache', () => {
  it('does not ask again for rows the reply says the trace no longer holds', () => {
    const cache = new TraceRowCache();
    cache.reset({ connection: 'p', start: 0, end: 100, traced: true });
    const [first] = cache.missing(0, 100);
    assert.deepEqual(first.request, { start: 0, count: 100 });
    cache.sent(1, first.pages);
    // Meanwhile 150 more packets came: the host had only 50..149 of the page's rows left.
    const rows = Array.from({ length: 50 }, (_, i) => row(50 + i));
    const stats = { connection: 'p', start: 50, end: 200, traced: true };
    assert.equal(
      cache.receive({ type: 'rows', requestId: 1, connection: 'p', start: 0, rows, stats }),
      true,
    );
    assert.deepEqual(cache.missing(0, 100), [], 'rows 0..49 are gone, not missing');
    assert.equal(cache.rowAt(50)?.summary, 't/50');
  });
});
