/**
 * The Message Log grid in a real browser against the real core: virtualisation over 100,000 and
 * 1,000,000 rows, Follow, Pause/Resume, keyboard navigation and ARIA.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import {
  domRows,
  screenshot,
  scrollGridTo,
  settle,
  visibleSeqs,
  waitUntil,
  type LogPage,
} from './harness';
import { browserPerFile } from './perFile';

const env = browserPerFile();

async function open(host: LogHost, o: { width?: number; height?: number } = {}): Promise<LogPage> {
  const log = await env.open({ host, ...o });
  await settle(log);
  return log;
}

function rowRequests(log: LogPage) {
  return log.host.ofType('rows');
}

/** Asserts the seqs are consecutive (unfiltered rows are seq firstSeq + index). */
function assertConsecutive(seqs: number[]): void {
  assert.ok(seqs.length > 10, `expected a screenful of rows, got ${seqs.length}`);
  for (let i = 1; i < seqs.length; i++)
    assert.equal(seqs[i], seqs[i - 1] + 1, `rows ${seqs.join(',')}`);
}

describe('virtualised grid', () => {
  it('renders 100,000 stored rows with a few dozen DOM rows, asking only for what is visible', async () => {
    const host = new LogHost();
    host.fill(100_000);
    const log = await open(host);
    try {
      // Follow is on by default: the newest row is at the bottom.
      let seqs = await visibleSeqs(log.page);
      assertConsecutive(seqs);
      assert.equal(seqs.at(-1), 100_000);
      let rows = await domRows(log.page);
      assert.ok(rows.length < 100, `${rows.length} rows in the DOM`);
      assert.equal(
        await log.page.getAttribute('.grid', 'aria-rowcount'),
        String(100_000 + 1),
        'aria-rowcount counts the header and every row, not the DOM rows',
      );

      await scrollGridTo(log, 0.5);
      seqs = await visibleSeqs(log.page);
      assertConsecutive(seqs);
      const middle = seqs[Math.floor(seqs.length / 2)];
      assert.ok(Math.abs(middle - 50_000) < 200, `middle of the scrollbar shows seq ${middle}`);
      // The content belongs to the seq: fill() puts seq n on sensors/dev{(n-1) % 100}/temp.
      for (const r of (await domRows(log.page)).filter((x) => seqs.includes(x.seq)))
        assert.equal(r.text[3], `sensors/dev${(r.seq - 1) % 100}/temp`);
      rows = await domRows(log.page);
      assert.ok(rows.length < 100, `${rows.length} rows in the DOM after scrolling`);
      assert.ok(
        rows.every((r) => r.seq > 0),
        'every row in view has its data (no placeholder left)',
      );

      await scrollGridTo(log, 0.25);
      await scrollGridTo(log, 1);
      seqs = await visibleSeqs(log.page);
      assertConsecutive(seqs);
      assert.equal(seqs.at(-1), 100_000);

      const requests = rowRequests(log);
      assert.ok(requests.length > 0);
      const biggest = Math.max(...requests.map((r) => r.count));
      const asked = requests.reduce((n, r) => n + r.count, 0);
      assert.ok(biggest <= 100, `largest rows request: ${biggest}`);
      assert.ok(asked < 2_000, `rows asked for in all: ${asked} of 100,000`);
      // Every request is near one of the places shown: the tail, 25 %, 50 %.
      for (const r of requests) {
        const near = [0.25, 0.5, 1].some((f) => Math.abs(r.start - f * 100_000) < 400);
        assert.ok(near, `request ${JSON.stringify(r)} is far from anything shown`);
      }
      await screenshot(log.page, 'grid-100k-end');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('scrolls a 1,000,000-row log from the first row to the last', async () => {
    const host = new LogHost({ maxMessages: 1_000_000 });
    host.fill(1_000_000);
    const log = await open(host);
    try {
      const height = await log.page.evaluate(
        () => document.querySelector('.grid-scroller')!.scrollHeight,
      );
      assert.ok(height <= 10_000_000 + 1_000, `scroll height ${height} px is capped`);
      assert.ok(height > 1_000_000, `scroll height ${height} px`);

      await scrollGridTo(log, 0);
      let seqs = await visibleSeqs(log.page);
      assertConsecutive(seqs);
      assert.equal(seqs[0], 1);

      await scrollGridTo(log, 0.5);
      seqs = await visibleSeqs(log.page);
      assertConsecutive(seqs);
      assert.ok(Math.abs(seqs[0] - 500_000) < 1_000, `half way shows seq ${seqs[0]}`);

      await scrollGridTo(log, 1);
      seqs = await visibleSeqs(log.page);
      assertConsecutive(seqs);
      assert.equal(seqs.at(-1), 1_000_000);

      // The keyboard reaches both ends too.
      await log.page.focus('.grid');
      await log.page.keyboard.press('Home');
      await settle(log);
      assert.equal((await visibleSeqs(log.page))[0], 1);
      await log.page.keyboard.press('End');
      await settle(log);
      assert.equal((await visibleSeqs(log.page)).at(-1), 1_000_000);
      const rows = await domRows(log.page);
      assert.ok(rows.length < 100, `${rows.length} rows in the DOM`);
      assert.ok(Math.max(...rowRequests(log).map((r) => r.count)) <= 100);
      await screenshot(log.page, 'grid-1m-end');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });
});

describe('follow and pause', () => {
  it('follows new rows as stats arrive', async () => {
    const host = new LogHost();
    host.fill(50);
    const log = await open(host);
    try {
      assert.equal((await visibleSeqs(log.page)).at(-1), 50);
      assert.equal(await log.page.getAttribute('.btn.follow', 'aria-pressed'), 'true');
      host.fill(500);
      await host.announce();
      await waitUntil(
        async () => (await visibleSeqs(log.page)).at(-1) === 550,
        'the tail to show seq 550',
      );
      host.fill(7);
      await host.announce();
      await waitUntil(
        async () => (await visibleSeqs(log.page)).at(-1) === 557,
        'the tail to show seq 557',
      );
      assertConsecutive(await visibleSeqs(log.page));
      assert.match((await log.page.textContent('.status')) ?? '', /^557 messages$/);
      // After the first screenful, following asks only for the new rows.
      const last = rowRequests(log).at(-1)!;
      assert.ok(last.count <= 7, `last request ${JSON.stringify(last)}`);

      // Scrolling up stops following; new rows then do not move the view.
      await scrollGridTo(log, 0);
      assert.equal(await log.page.getAttribute('.btn.follow', 'aria-pressed'), 'false');
      host.fill(20);
      await host.announce();
      await settle(log);
      assert.equal((await visibleSeqs(log.page))[0], 1);
      assert.equal(await log.page.getAttribute('.grid', 'aria-rowcount'), String(577 + 1));
      // Follow brings the tail back.
      await log.page.click('.btn.follow');
      await waitUntil(
        async () => (await visibleSeqs(log.page)).at(-1) === 577,
        'the tail after Follow',
      );
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('pause holds the view and counts arrivals; resume catches up', async () => {
    const host = new LogHost();
    host.fill(100);
    const log = await open(host);
    try {
      await log.page.click('.btn.pause');
      await settle(log);
      const held = await visibleSeqs(log.page);
      assert.equal(held.at(-1), 100);
      assert.equal(await log.page.getAttribute('.btn.pause', 'aria-pressed'), 'true');
      const before = rowRequests(log).length;

      host.fill(250);
      await host.announce();
      await settle(log);
      host.fill(3);
      await host.announce();
      await settle(log);
      assert.deepEqual(await visibleSeqs(log.page), held, 'the paused view holds still');
      assert.equal(await log.page.textContent('.btn.pause .badge'), '+253');
      assert.equal(await log.page.isVisible('.btn.pause .badge'), true);
      assert.equal(await log.page.getAttribute('.grid', 'aria-rowcount'), '101');
      assert.match(
        (await log.page.textContent('.status')) ?? '',
        /^353 messages$/,
        'counts still update',
      );
      // Scrolling while paused asks only for rows within the frozen total.
      await scrollGridTo(log, 0);
      await scrollGridTo(log, 1);
      for (const r of rowRequests(log).slice(before))
        assert.ok(
          r.start + r.count <= 100,
          `request beyond the frozen total: ${JSON.stringify(r)}`,
        );
      await screenshot(log.page, 'paused');

      await log.page.click('.btn.pause');
      await waitUntil(
        async () => (await visibleSeqs(log.page)).at(-1) === 353,
        'resume to catch up',
      );
      assert.equal(await log.page.isVisible('.btn.pause .badge'), false);
      assert.equal(await log.page.getAttribute('.grid', 'aria-rowcount'), '354');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('clear sends clear and empties the grid; new messages appear after it', async () => {
    const host = new LogHost();
    host.fill(40);
    const log = await open(host);
    try {
      await log.page.click('.btn.clear');
      await waitUntil(() => host.ofType('clear').length === 1, 'the clear request');
      await settle(log);
      assert.equal((await domRows(log.page)).length, 0);
      assert.match((await log.page.textContent('.grid-empty')) ?? '', /No messages yet/);
      host.fill(5);
      await host.announce();
      await waitUntil(
        async () => (await visibleSeqs(log.page)).join() === '41,42,43,44,45',
        'rows after the clear',
      );
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('keeps showing the same messages while old ones are evicted', async () => {
    const host = new LogHost({ maxMessages: 1_000 });
    host.fill(1_000);
    const log = await open(host);
    try {
      await scrollGridTo(log, 0.5);
      const seqs = await visibleSeqs(log.page);
      host.fill(200); // evicts seqs 1..200
      await host.announce();
      await settle(log);
      assert.deepEqual(await visibleSeqs(log.page), seqs, 'the rows in view stay put');
      assert.match((await log.page.textContent('.status')) ?? '', /^1,000 messages · 200 evicted$/);
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });
});

describe('keyboard and ARIA', () => {
  it('has grid roles and moves the selection with the keyboard', async () => {
    const host = new LogHost();
    host.fill(300);
    const log = await open(host, { height: 700 });
    const { page } = log;
    try {
      assert.equal(await page.getAttribute('.grid', 'role'), 'grid');
      assert.equal(await page.getAttribute('.grid', 'aria-rowcount'), '301');
      assert.equal(await page.getAttribute('.grid', 'aria-colcount'), '9');
      assert.equal(await page.getAttribute('.grid-header', 'role'), 'row');
      assert.equal(await page.getAttribute('.grid-header', 'aria-rowindex'), '1');
      assert.equal(await page.locator('.grid-header [role=columnheader]').count(), 9);
      const rows = await domRows(page);
      assert.ok(rows.length > 0);
      for (const r of rows) assert.equal(r.rowIndex, r.seq + 1, 'aria-rowindex = row + header');
      assert.equal(await page.locator('.grid-row').first().locator('[role=gridcell]').count(), 9);
      assert.equal(await page.locator('.grid-row[role=row]').count(), rows.length);

      await page.keyboard.press('Tab'); // the first toolbar button
      await page.focus('.grid');
      await page.keyboard.press('Home');
      await settle(log);
      const selected = async () =>
        (await domRows(page)).filter((r) => r.selected).map((r) => r.seq);
      assert.deepEqual(await selected(), [1]);
      assert.equal(await page.getAttribute('.grid', 'aria-activedescendant'), 'ml-selected-row');
      assert.equal(await page.getAttribute('#ml-selected-row', 'data-seq'), '1');
      assert.equal(
        await page.getAttribute('.btn.follow', 'aria-pressed'),
        'false',
        'moving off the tail stops following',
      );

      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await settle(log);
      assert.deepEqual(await selected(), [4]);
      await page.keyboard.press('ArrowUp');
      await settle(log);
      assert.deepEqual(await selected(), [3]);

      const pageRows = (await visibleSeqs(page)).length;
      await page.keyboard.press('PageDown');
      await settle(log);
      const afterPage = (await selected())[0];
      assert.ok(
        afterPage >= 3 + pageRows - 2 && afterPage <= 3 + pageRows,
        `PageDown went to ${afterPage}`,
      );
      assert.ok(
        (await visibleSeqs(page)).includes(afterPage),
        'the selection is scrolled into view',
      );
      await page.keyboard.press('PageUp');
      await settle(log);
      assert.deepEqual(await selected(), [3]);

      await page.keyboard.press('End');
      await settle(log);
      assert.deepEqual(await selected(), [300]);
      assert.equal((await visibleSeqs(page)).at(-1), 300);

      // Focus is visible on the selected row.
      const outline = await page.evaluate(
        () => getComputedStyle(document.querySelector('#ml-selected-row')!).outlineStyle,
      );
      assert.notEqual(outline, 'none');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'grid');

      // Enter opens the detail of the selected row (the pane was closed first).
      await page.click('.btn.detail-toggle');
      assert.equal(await page.isVisible('.detail'), false);
      await page.focus('.grid');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await waitUntil(
        async () => /Seq299/.test((await page.textContent('.detail-meta')) ?? ''),
        'the detail of seq 299',
      );
      assert.equal(await page.isVisible('.detail'), true);
      assert.equal(host.ofType('detail').at(-1)?.seq, 299);
      await settle(log);
      assert.ok((await visibleSeqs(page)).includes(299), 'the selected row stays in view');
      await screenshot(page, 'keyboard');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('the selected row stays in view as the splitter moves and the detail closes', async () => {
    const host = new LogHost();
    host.fill(300);
    const log = await open(host, { height: 700 });
    const { page } = log;
    const selected = async () => Number(await page.getAttribute('#ml-selected-row', 'data-seq'));
    try {
      // Select the lowest row in view: the first one a shrinking grid would lose.
      await page.focus('.grid');
      await page.keyboard.press('Home');
      await page.keyboard.press('PageDown');
      await settle(log);
      const seq = await selected();
      assert.equal((await visibleSeqs(page)).at(-1), seq, 'the selection is the lowest row');

      await page.focus('.splitter');
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('ArrowUp'); // the detail grows, the grid shrinks
        await settle(log);
        assert.ok(
          (await visibleSeqs(page)).includes(seq),
          `seq ${seq} in view after splitter step ${i + 1}: ${(await visibleSeqs(page)).join(',')}`,
        );
      }

      // At the end, not following: the grid growing (detail closed) scrolls nothing by itself.
      await page.focus('.grid');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowUp');
      await settle(log);
      assert.equal(await page.getAttribute('.btn.follow', 'aria-pressed'), 'false');
      await page.click('.btn.detail-toggle');
      await settle(log);
      assert.equal(await page.isVisible('.detail'), false);
      assert.ok((await visibleSeqs(page)).includes(299), 'seq 299 in view with the detail closed');
      assert.equal(
        await page.getAttribute('.btn.follow', 'aria-pressed'),
        'false',
        'closing the detail does not turn Follow on',
      );
      await page.click('.btn.detail-toggle');
      await settle(log);
      assert.ok((await visibleSeqs(page)).includes(299), 'seq 299 in view with the detail open');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('a click selects, and "select" from the host scrolls to a message and shows it', async () => {
    const host = new LogHost();
    host.fill(5_000);
    const log = await open(host);
    const { page } = log;
    try {
      const target = (await visibleSeqs(page)).at(-3)!;
      await page.click(`.grid-row[data-seq="${target}"] .col-topic`);
      await settle(log);
      assert.deepEqual(
        (await domRows(page)).filter((r) => r.selected).map((r) => r.seq),
        [target],
      );

      await host.select(1234);
      await waitUntil(async () => (await visibleSeqs(page)).includes(1234), 'seq 1234 in view');
      await waitUntil(
        async () => /Seq1234/.test((await page.textContent('.detail-meta')) ?? ''),
        'its detail',
      );
      assert.deepEqual(
        (await domRows(page)).filter((r) => r.selected).map((r) => r.seq),
        [1234],
      );
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('the view docked in the panel area puts the detail beside the grid when wide', async () => {
    const host = new LogHost();
    host.fill(100);
    host.add('demo/json', JSON.stringify({ on: true, level: 3 }));
    const log = await env.open({
      host,
      mode: 'view',
      width: 1200,
      height: 320,
    });
    try {
      await settle(log);
      await host.select(101);
      await waitUntil(
        async () => /Seq101/.test((await log.page.textContent('.detail-meta')) ?? ''),
        'the detail',
      );
      const boxes = await log.page.evaluate(() => {
        const r = (s: string) => document.querySelector(s)!.getBoundingClientRect();
        return { grid: r('.grid').toJSON(), detail: r('.detail').toJSON() };
      });
      assert.ok(boxes.detail.left >= boxes.grid.right - 1, 'detail to the right of the grid');
      assert.ok(Math.abs(boxes.detail.top - boxes.grid.top) < 2, 'side by side');
      assert.ok((await visibleSeqs(log.page)).includes(101));
      await screenshot(log.page, 'view-wide');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('the narrow view layout drops columns and keeps rows inside the grid', async () => {
    const host = new LogHost();
    host.fill(100);
    const log = await env.open({
      host,
      mode: 'view',
      width: 520,
      height: 600,
    });
    try {
      await settle(log);
      const hidden = await log.page.evaluate(() =>
        ['col-conn', 'col-dup', 'col-size'].map(
          (c) => getComputedStyle(document.querySelector(`.grid-row .${c}`)!).display,
        ),
      );
      assert.deepEqual(hidden, ['none', 'none', 'none']);
      const width = await log.page.evaluate(
        () => document.querySelector('.grid')!.getBoundingClientRect().right,
      );
      for (const r of await domRows(log.page)) assert.ok(r.right <= width + 0.5);
      await screenshot(log.page, 'view-narrow');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });
});
