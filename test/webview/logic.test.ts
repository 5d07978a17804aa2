/**
 * The webview's DOM-free parts in plain Node: the row cache's bookkeeping (absolute indices
 * across evictions, clears, stale pages under a filter, request sizes), the JSON
 * scanner and pretty-printer (no recursion), the diff caps, the saved state and a decoded tree's
 * tokens.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRow, LogStats, RowsReply } from '../../src/protocol/messageLog';
import { PAGE_SIZE, RowModel } from '../../src/webview/messageLog/rowModel';
import { JsonScanner, isJsonContainer, prettyJson } from '../../src/webview/messageLog/json';
import { DIFF_MAX_CHARS, lineDiff, withContext } from '../../src/webview/messageLog/diff';
import { restoreState } from '../../src/webview/messageLog/state';
import { DecodedTokens } from '../../src/webview/messageLog/decodedTokens';
import type { DecodedNode } from '../../src/protocol/decoded';

const stats = (total: number, evicted = 0, lastSeq = total + evicted): LogStats => ({
  total,
  stored: total,
  evicted,
  lastSeq,
});

function row(seq: number): LogRow {
  return {
    seq,
    time: 0,
    connection: 'c',
    direction: 'in',
    topic: 't',
    qos: 0,
    retain: false,
    dup: false,
    size: 1,
    preview: 'x',
    binary: false,
    hasProperties: false,
  };
}

/** Answers every missing() request as an unfiltered host holding seqs firstSeq.. would. */
function serve(m: RowModel, s: LogStats, from: number, to: number, frozen = false): number[] {
  const counts: number[] = [];
  const firstSeq = s.lastSeq - s.stored + 1;
  let id = 1000;
  for (const q of m.missing(from, to)) {
    counts.push(q.request.count);
    const requestId = id++;
    m.sent(requestId, q.pages, q.request.count);
    const rows: LogRow[] = [];
    for (let i = q.request.start; i < Math.min(s.total, q.request.start + q.request.count); i++)
      rows.push(row(firstSeq + i));
    const reply: RowsReply = { type: 'rows', requestId, start: q.request.start, rows, stats: s };
    assert.equal(m.receive(reply, frozen), true);
  }
  return counts;
}

describe('RowModel', () => {
  it('asks for at most a page per request and only for what is missing', () => {
    const m = new RowModel();
    const s = stats(100_000);
    m.reset(false, s);
    const counts = serve(m, s, 50_000, 50_040);
    assert.ok(counts.length >= 1 && counts.every((c) => c <= PAGE_SIZE));
    assert.ok(m.isFresh(50_000, 50_040));
    assert.equal(m.rowAt(50_000)?.seq, 50_001);
    assert.deepEqual(m.missing(50_000, 50_040), [], 'nothing asked twice');
  });

  it('keeps rows at absolute indices across evictions (unfiltered)', () => {
    const m = new RowModel();
    m.reset(false, stats(1_000));
    serve(m, stats(1_000), 500, 520);
    assert.equal(m.rowAt(500)?.seq, 501);
    // 200 more messages, 200 evicted: the host's row 300 is now seq 501.
    const after = stats(1_000, 200, 1_200);
    assert.equal(m.update(after, false), false);
    assert.equal(m.offset(), 200);
    assert.equal(m.rowAt(500)?.seq, 501, 'the cached row did not move');
    assert.deepEqual(m.missing(500, 520), []);
    // Rows at the tail are asked for by the host's current index, a whole page at a time.
    const q = m.missing(1_150, 1_200);
    assert.deepEqual(q[0].request, { start: 900, count: 100 });
  });

  it('detects a clear from the stats and drops the rows', () => {
    const m = new RowModel();
    m.reset(false, stats(50));
    serve(m, stats(50), 0, 50);
    assert.equal(m.update({ total: 0, stored: 0, evicted: 0, lastSeq: 50 }, false), true);
    assert.equal(m.rowAt(0), undefined);
    assert.equal(m.update({ total: 3, stored: 3, evicted: 0, lastSeq: 53 }, false), false);
  });

  it('marks a filtered cache stale when messages are evicted, unless frozen', () => {
    const m = new RowModel();
    m.reset(true, stats(100));
    serve(m, stats(100), 0, 50);
    assert.ok(m.isFresh(0, 50));
    m.update({ total: 100, stored: 100, evicted: 0, lastSeq: 100 }, false);
    assert.ok(m.isFresh(0, 50), 'no eviction, still fresh');
    m.update({ total: 90, stored: 100, evicted: 10, lastSeq: 110 }, true);
    assert.ok(m.isFresh(0, 50), 'paused: kept as is');
    const m2 = new RowModel();
    m2.reset(true, stats(100));
    serve(m2, stats(100), 0, 50);
    m2.update({ total: 90, stored: 100, evicted: 10, lastSeq: 110 }, false);
    assert.equal(m2.isFresh(0, 50), false);
    assert.notEqual(m2.rowAt(0), undefined, 'stale rows stay until replaced');
    assert.ok(m2.missing(0, 50).length > 0);
  });

  it('asks again for the rows that arrived while a reply was on its way, once traffic stops', () => {
    const m = new RowModel();
    const asked = stats(250);
    m.reset(false, asked);
    serve(m, asked, 0, 200);
    const [q] = m.missing(200, 250);
    assert.deepEqual(q.request, { start: 200, count: 50 });
    m.sent(1, q.pages, q.request.count);
    // 13 more messages reach the host before it answers: the reply carries every row asked
    // for, and the host's newer total. These are the last stats the webview will ever get.
    const later = stats(263);
    const rows = Array.from({ length: 50 }, (_, i) => row(201 + i));
    m.update(later, false);
    m.receive({ type: 'rows', requestId: 1, start: 200, rows, stats: later }, false);
    assert.deepEqual(
      m.missing(200, 263).map((x) => x.request),
      [{ start: 250, count: 13 }],
      'the 13 newest rows are asked for',
    );
    serve(m, later, 200, 263);
    assert.ok(m.isFresh(200, 263));
    assert.equal(m.rowAt(262)?.seq, 263);
  });

  it('asks again for a request that started inside a page when the total moved', () => {
    const m = new RowModel();
    m.reset(false, stats(230));
    serve(m, stats(230), 0, 230);
    // 20 new rows: only the end of page 2 is asked for, then 5 more arrive before the reply.
    m.update(stats(250), false);
    const [q] = m.missing(200, 250);
    assert.deepEqual(q.request, { start: 230, count: 20 });
    m.sent(2, q.pages, q.request.count);
    const later = stats(255);
    m.update(later, false);
    const rows = Array.from({ length: 20 }, (_, i) => row(231 + i));
    m.receive({ type: 'rows', requestId: 2, start: 230, rows, stats: later }, false);
    assert.deepEqual(
      m.missing(200, 255).map((x) => x.request),
      [{ start: 250, count: 5 }],
    );
  });

  it('waits for new data before asking again for rows a reply really lacked', () => {
    const m = new RowModel();
    m.reset(true, stats(100));
    const [q] = m.missing(0, 100);
    m.sent(3, q.pages, q.request.count);
    // The host said 100 rows exist, yet sent 60 (the rest were evicted while it collected).
    const rows = Array.from({ length: 60 }, (_, i) => row(1 + i));
    m.receive({ type: 'rows', requestId: 3, start: 0, rows, stats: stats(100) }, false);
    assert.deepEqual(m.missing(0, 100), [], 'not asked again for the same data');
    // One more message arrives (it does not match the filter): the data changed.
    m.update({ total: 100, stored: 101, evicted: 0, lastSeq: 101 }, false);
    assert.deepEqual(
      m.missing(0, 100).map((x) => x.request),
      [{ start: 60, count: 40 }],
      'asked again once the data changed',
    );
  });

  it('drops replies of an older epoch and keeps at most 20 pages', () => {
    const m = new RowModel();
    m.reset(false, stats(10_000));
    const [q] = m.missing(0, 10);
    m.sent(1, q.pages, q.request.count);
    m.reset(true, stats(5));
    assert.equal(
      m.receive(
        { type: 'rows', requestId: 1, start: 0, rows: [row(1)], stats: stats(10_000) },
        false,
      ),
      false,
    );
    const m2 = new RowModel();
    m2.reset(false, stats(10_000));
    for (let p = 0; p < 40; p++) serve(m2, stats(10_000), p * PAGE_SIZE, p * PAGE_SIZE + 10);
    assert.equal(m2.pageCount, 20);
    assert.equal(m2.rowAt(39 * PAGE_SIZE)?.seq, 39 * PAGE_SIZE + 1, 'the newest pages stay');
    assert.equal(m2.rowAt(0), undefined, 'the oldest went');
  });
});

describe('JSON without recursion', () => {
  it('scans tokens as written (numbers, duplicate keys, order)', () => {
    const s = new JsonScanner('{"b":1.50,"a":[true,null],"b":12345678901234567890}');
    const tokens: string[] = [];
    for (let t = s.next(); t; t = s.next()) tokens.push(`${t.kind}:${t.text}`);
    assert.deepEqual(tokens.slice(0, 4), ['open:{', 'string:"b"', 'colon::', 'number:1.50']);
    assert.ok(tokens.includes('number:12345678901234567890'));
  });

  it('pretty-prints 10,000 levels and caps its output', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    assert.equal(isJsonContainer(deep), true);
    const pretty = prettyJson(deep, 64 * 1024);
    assert.equal(pretty.cut, true);
    assert.ok(pretty.text.length <= 64 * 1024 + 2);
    assert.equal(
      prettyJson('{"a":[1,{}],"b":"x"}', 1000).text,
      '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": "x"\n}',
    );
    assert.equal(isJsonContainer('"just a string"'), false);
    assert.equal(isJsonContainer('{"a":'), false);
  });
});

describe('diff', () => {
  it('diffs lines and caps the input', () => {
    const r = lineDiff('a\nb\nc', 'a\nB\nc\nd');
    assert.deepEqual(
      r.lines?.map((l) => `${l.kind}:${l.text}`),
      ['same:a', 'del:b', 'add:B', 'same:c', 'add:d'],
    );
    assert.equal(r.added, 2);
    assert.equal(r.removed, 1);
    const big = lineDiff('x\n'.repeat(DIFF_MAX_CHARS), 'y\n'.repeat(10));
    assert.equal(big.cut, true);
    const ctx = withContext(
      Array.from({ length: 20 }, (_, i) => ({
        kind: i === 10 ? ('add' as const) : ('same' as const),
        text: String(i),
      })),
      2,
    );
    assert.deepEqual(ctx[0], { kind: 'skip', count: 8 });
    assert.equal(ctx.length, 1 + 5 + 1);
  });
});

describe('saved UI state', () => {
  it('restores the payload view saved before "Decoded" (auto) existed, and drops unknown ones', () => {
    for (const view of ['auto', 'text', 'json', 'hex'] as const)
      assert.equal(restoreState({ payloadView: view }).payloadView, view);
    for (const stale of ['decoded', 'image', 42, undefined])
      assert.equal(
        restoreState({ payloadView: stale } as unknown as Parameters<typeof restoreState>[0])
          .payloadView,
        'auto',
      );
  });
});

describe('decoded value tree as tokens', () => {
  const texts = (tokens: DecodedTokens) => {
    const out: string[] = [];
    for (let t = tokens.next(); t; t = tokens.next()) out.push(`${t.kind}:${t.text}`);
    return out;
  };

  it('walks maps and lists in order: keys quoted, big integers as digits, bytes and cuts as such', () => {
    const tree: DecodedNode = {
      t: 'map',
      entries: [
        [
          'k"\u202e',
          { t: 'list', items: [{ t: 'int', v: '18446744073709551617' }, { t: 'null' }] },
        ],
        ['raw', { t: 'bytes', size: 100, hex: '0001ff', cut: true }],
        ['empty', { t: 'map', entries: [] }],
        ['more', { t: 'cut', why: 'more than 100000 values' }],
      ],
    };
    assert.deepEqual(texts(new DecodedTokens(tree)), [
      'open:{',
      'string:"k\\"\u202e"',
      'colon::',
      'open:[',
      'number:18446744073709551617',
      'comma:,',
      'literal:null',
      'close:]',
      'comma:,',
      'string:"raw"',
      'colon::',
      'bytes:00 01 ff …',
      'comma:,',
      'string:"empty"',
      'colon::',
      'open:{',
      'close:}',
      'comma:,',
      'string:"more"',
      'colon::',
      'cut:… more than 100000 values',
      'close:}',
    ]);
    const bytes = new DecodedTokens({ t: 'bytes', size: 100, hex: '00' }).next();
    assert.equal(bytes?.size, 100);
  });

  it('walks a tree 100,000 levels deep without recursion', () => {
    let node: DecodedNode = { t: 'num', v: 1 };
    for (let i = 0; i < 100_000; i++) node = { t: 'list', items: [node] };
    const tokens = texts(new DecodedTokens(node));
    assert.equal(tokens.length, 200_001);
    assert.equal(tokens[100_000], 'number:1');
  });
});
