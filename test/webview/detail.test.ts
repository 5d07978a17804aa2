/**
 * The detail pane: JSON (auto-detected, foldable), text, hex dump for invalid UTF-8, the manual
 * override, the diff with the previous message on the topic, truncated payloads, MQTT 5
 * properties, the actions, and the UI state surviving a reload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { LogHost } from './logHost';
import { domRows, loadedRowCount, screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

/** Selects `seq` by clicking its row (scrolling there through the host's "select" first). */
async function show(log: LogPage, seq: number): Promise<void> {
  await log.host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

const view = (page: Page) => page.getAttribute('.payload', 'data-view');

describe('detail pane', () => {
  it('caps the properties it shows and says when the message carried more than were kept', async () => {
    const host = new LogHost();
    const userProperties: Record<string, string> = {};
    for (let i = 0; i < 300; i++) userProperties[`k${String(i).padStart(3, '0')}`] = 'v';
    const seq = host.add('hostile/props', '{}', {
      properties: { userProperties },
      propertiesTruncated: { count: 1_000_000, bytes: 12_888_868 },
    });
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      const props = (await page.textContent('.detail-props')) ?? '';
      assert.match(props, /MQTT 5 properties \(300 of 1,000,000\)/);
      assert.match(
        props,
        /Properties truncated: the message carried 1,000,000 properties \(12\.3 MiB\); only the first 300 were kept\./,
      );
      assert.equal(await page.locator('.props th').count(), 100, 'only the first 100 are sent');
      assert.equal(await page.textContent('.props-more'), '… 200 more');
      assert.match(props, /user property "k000"\s*v/);
    });
  });

  it('shows JSON pretty, coloured and foldable; the override switches to text and hex', async () => {
    const host = new LogHost();
    const seq = host.add(
      'demo/json',
      // Written by hand: the big number must reach the webview as sent, not rounded by JS.
      '{"name":"pump","on":true,"level":12.5,"tags":["a","b","c"],"extra":null,"big":12345678901234567890}',
      {
        qos: 1,
        retain: true,
        properties: { contentType: 'application/json', userProperties: { site: 'north' } },
      },
    );
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await view(page), 'json');
      assert.match((await page.textContent('.view-auto')) ?? '', /Decoded \(JSON\)/);
      assert.equal(await page.textContent('.json-string >> nth=0'), '"pump"');
      assert.equal(await page.textContent('.json-boolean'), 'true');
      assert.equal(await page.textContent('.json-null'), 'null');
      const numbers = await page.$$eval('.json-number', (n) => n.map((x) => x.textContent));
      assert.deepEqual(numbers, ['12.5', '12345678901234567890'], 'numbers as sent');
      const colour = await page.$eval('.json-string', (n) => getComputedStyle(n).color);
      assert.equal(
        colour,
        'rgb(206, 145, 120)',
        'strings take --vscode-debugTokenExpression-string',
      );
      assert.match(
        (await page.textContent('.detail-props')) ?? '',
        /contentType\s*application\/json/,
      );
      assert.match((await page.textContent('.detail-props')) ?? '', /user property "site"\s*north/);
      assert.match((await page.textContent('.detail-meta')) ?? '', /QoS1RetainyesDupno/);

      // Fold the "tags" array.
      const tags = page
        .locator('.json-block', { has: page.locator('.json-key', { hasText: '"tags"' }) })
        .last();
      assert.equal(await tags.locator('.json-children').isVisible(), true);
      await tags.locator('.json-toggle').first().click();
      assert.equal(await tags.locator('.json-children').isVisible(), false);
      assert.equal(await tags.locator('.json-summary').first().textContent(), ' … 3 items ],');
      assert.equal(
        await tags.locator('.json-toggle').first().getAttribute('aria-expanded'),
        'false',
      );
      await screenshot(page, 'detail-json');
      await tags.locator('.json-toggle').first().click();
      assert.equal(await tags.locator('.json-children').isVisible(), true);

      await page.click('.view-text');
      assert.equal(await view(page), 'text');
      assert.match((await page.textContent('.payload-text')) ?? '', /^\{"name":"pump"/);
      await page.click('.view-hex');
      assert.equal(await view(page), 'hex');
      assert.match((await page.textContent('.hex-bytes')) ?? '', /^7b 22 6e 61/);
      await page.click('.view-auto');
      assert.equal(await view(page), 'json');
    });
  });

  it('shows text with wrapping, and invalid UTF-8 as a hex dump with offsets', async () => {
    const host = new LogHost();
    const text = host.add('demo/text', `line one\nline two ${'long '.repeat(80)}end`);
    const bytes = new Uint8Array(40).map((_, i) => (i === 0 ? 0xff : i === 1 ? 0xfe : 0x40 + i));
    const bin = host.add('demo/bin', bytes);
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, text);
      assert.equal(await view(page), 'text');
      assert.match((await page.textContent('.payload-text')) ?? '', /^line one\nline two long/);
      assert.equal(
        await page.$eval('.payload-text', (n) => getComputedStyle(n).whiteSpace),
        'pre-wrap',
      );
      await page.click('.wrap-toggle');
      assert.equal(await page.$eval('.payload-text', (n) => getComputedStyle(n).whiteSpace), 'pre');
      await page.click('.wrap-toggle');

      await show(log, bin);
      assert.equal(await view(page), 'hex');
      assert.equal(await page.textContent('.hex-offset'), '00000000\n00000010\n00000020');
      const hex = ((await page.textContent('.hex-bytes')) ?? '').split('\n');
      assert.equal(hex[0], 'ff fe 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f');
      assert.equal(hex[2], '60 61 62 63 64 65 66 67');
      assert.equal(
        ((await page.textContent('.hex-ascii')) ?? '').split('\n')[0],
        '..BCDEFGHIJKLMNO',
      );
      assert.match((await page.textContent('.view-auto')) ?? '', /Decoded \(Hex\)/);
      // Forced text shows the replacement character and says why.
      await page.click('.view-text');
      assert.match((await page.textContent('.payload')) ?? '', /Not valid UTF-8/);
      await screenshot(page, 'detail-text-of-binary');
    });
  });

  it('diffs with the previous message on the topic (pretty JSON, added and removed lines)', async () => {
    const host = new LogHost();
    host.add('demo/state', JSON.stringify({ a: 1, b: 2, list: [1, 2, 3] }));
    host.add('demo/other', 'x');
    const seq = host.add('demo/state', JSON.stringify({ a: 1, b: 3, list: [1, 2, 3], c: 'new' }));
    const first = host.add('demo/first', 'only one');
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await page.isEnabled('.diff-toggle'), true);
      await page.click('.diff-toggle');
      assert.equal(await view(page), 'diff');
      const added = await page.$$eval('.diff-add .diff-text', (n) => n.map((x) => x.textContent));
      const removed = await page.$$eval('.diff-del .diff-text', (n) => n.map((x) => x.textContent));
      assert.deepEqual(removed, ['  "b": 2,', '  ]']);
      assert.deepEqual(added, ['  "b": 3,', '  ],', '  "c": "new"']);
      assert.match(
        (await page.textContent('.diff-summary')) ?? '',
        /Compared with seq 1 .*as formatted JSON.*\+3 −2/,
      );
      const bg = await page.$eval('.diff-add', (n) => getComputedStyle(n).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'added lines are coloured');
      await screenshot(page, 'detail-diff');

      // A message with no predecessor cannot be diffed.
      await show(log, first);
      assert.equal(await page.isEnabled('.diff-toggle'), false);
      assert.notEqual(await view(page), 'diff');
    });
  });

  it('a truncated payload says so and loads in full on request', async () => {
    const host = new LogHost();
    const seq = host.add('demo/big', 'x'.repeat(300 * 1024));
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.match(
        (await page.textContent('.truncated-notice')) ?? '',
        /Showing the first 256 KiB of 300 KiB/,
      );
      assert.equal((await page.textContent('.payload-text'))?.length, 256 * 1024);
      await page.click('.load-full');
      await waitUntil(
        () => host.ofType('detail').some((r) => r.full === true && r.seq === seq),
        'detail full:true',
      );
      await waitUntil(async () => !(await page.isVisible('.truncated-notice')), 'the notice to go');
      assert.ok(await page.isVisible('.show-more'), '300 KiB of text shows in two chunks');
      await page.click('.show-more');
      assert.equal((await page.textContent('.payload-text'))?.length, 300 * 1024);
      assert.equal(await page.isVisible('.show-more'), false);
    });
  });

  it('the action buttons send actions for the message', async () => {
    const host = new LogHost();
    host.fill(10);
    const seq = host.add('demo/act', 'payload');
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      for (const action of [
        'copyPayload',
        'copyTopic',
        'openInEditor',
        'publishAgain',
        'revealInTree',
      ])
        await page.click(`.action-${action}`);
      await settle(log);
      assert.deepEqual(
        host.ofType('action').map((a) => `${a.action}:${a.seq}`),
        ['copyPayload', 'copyTopic', 'openInEditor', 'publishAgain', 'revealInTree'].map(
          (a) => `${a}:${seq}`,
        ),
      );
    });
  });

  it('restores filter, selection, follow and detail settings after a reload', async () => {
    const host = new LogHost();
    host.fill(400);
    await withLog(host, async (log) => {
      const { page } = log;
      await page.fill('.topic-filter', 'sensors/dev5/#');
      await waitUntil(async () => (await loadedRowCount(page)) === 4, 'four matches');
      await page.click('.grid-row[data-seq="206"]');
      await waitUntil(
        async () => (await page.textContent('.detail-meta'))?.includes('Seq206'),
        'the detail',
      );
      await page.click('.view-hex');
      await waitUntil(() => {
        const s = log.states.at(-1) as { selectedSeq?: number; payloadView?: string } | undefined;
        return s?.selectedSeq === 206 && s.payloadView === 'hex';
      }, 'the state to be saved');

      // The host restarts unfiltered (a new binding), as after a window reload.
      host.restart();
      const setFilters = host.ofType('setFilter').length;
      await page.reload();
      await page.waitForSelector('.grid[aria-rowcount]');
      await waitUntil(
        async () => (await page.inputValue('.topic-filter')) === 'sensors/dev5/#',
        'the restored filter',
      );
      await waitUntil(
        () => host.ofType('setFilter').length === setFilters + 1,
        'the filter sent again',
      );
      assert.deepEqual(host.ofType('setFilter').at(-1)?.filter, { topicFilter: 'sensors/dev5/#' });
      await waitUntil(
        async () => (await page.textContent('.detail-meta'))?.includes('Seq206'),
        'the restored detail',
      );
      assert.equal(await view(page), 'hex');
      assert.equal(await page.getAttribute('.view-hex', 'aria-pressed'), 'true');
      assert.equal(await page.getAttribute('.btn.follow', 'aria-pressed'), 'false');
      await settle(log);
      assert.deepEqual(
        (await domRows(page)).filter((r) => r.selected).map((r) => r.seq),
        [206],
      );
    });
  });
});
