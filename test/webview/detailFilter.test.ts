/**
 * The detail pane follows the grid's selection through filter changes: when the filter hides the
 * selected message, the grid shows no selection and the pane keeps the message under a notice
 * that the filter hides it; when the filter shows it again, its row is selected again.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { LogHost } from './logHost';
import { domRows, screenshot, settle, waitUntil } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

const NOTICE = '.filter-hidden-notice';
const detailSeq = async (page: Page) =>
  /Seq(\d+)/.exec((await page.textContent('.detail-meta')) ?? '')?.[1];
const selectedSeqs = async (page: Page) =>
  (await domRows(page)).filter((r) => r.selected).map((r) => r.seq);

async function typeFilter(page: Page, host: LogHost, topicFilter: string): Promise<void> {
  const before = host.ofType('setFilter').length;
  await page.fill('.topic-filter', topicFilter);
  await waitUntil(
    () => host.ofType('setFilter').length > before,
    `the topic filter "${topicFilter}"`,
  );
}

describe('the detail pane under a filter', () => {
  it('says the filter hides the selected message, and selects its row again when shown', async () => {
    const host = new LogHost();
    host.fill(30);
    const pump = host.add('plant/pump', '{"on":true}');
    host.add('plant/valve', '{"open":false}');
    host.fill(5);
    await withLog(host, async (log) => {
      const { page } = log;
      await page.click(`.grid-row[data-seq="${pump}"]`);
      await waitUntil(async () => (await detailSeq(page)) === String(pump), 'the pump detail');
      assert.equal(await page.isVisible(NOTICE), false, 'no notice while the grid shows it');

      // A filter that hides the pump: no selection in the grid, the detail says why it stays.
      await typeFilter(page, host, 'plant/valve');
      await waitUntil(() => page.isVisible(NOTICE), 'the hidden-by-filter notice');
      await settle(log);
      assert.equal(await page.textContent(NOTICE), 'This message is hidden by the current filter.');
      assert.equal(await page.getAttribute(NOTICE, 'role'), 'status', 'announced');
      assert.equal(await detailSeq(page), String(pump), 'the detail keeps the message');
      assert.deepEqual(
        (await domRows(page)).map((r) => r.text[3]),
        ['plant/valve'],
      );
      assert.deepEqual(await selectedSeqs(page), [], 'no row is selected');
      await screenshot(page, 'detail-hidden-by-filter');

      // A filter that shows it again: its row is selected again and the notice goes.
      await typeFilter(page, host, 'plant/+');
      await waitUntil(
        async () => (await selectedSeqs(page)).join() === String(pump),
        'the pump row selected again',
      );
      assert.equal(await page.isVisible(NOTICE), false);

      // The host sets a filter ("Show Messages"): the same rule.
      await host.changeFilter({ topicFilter: 'sensors/#' });
      await waitUntil(() => page.isVisible(NOTICE), 'the notice after the host filter');
      await settle(log);
      assert.deepEqual(await selectedSeqs(page), []);

      // Choosing a row of the grid: the notice goes with the old message.
      const [first] = await domRows(page);
      await page.click(`.grid-row[data-seq="${first.seq}"]`);
      await waitUntil(async () => (await detailSeq(page)) === String(first.seq), 'new detail');
      assert.equal(await page.isVisible(NOTICE), false);
      assert.deepEqual(await selectedSeqs(page), [first.seq]);
    });
  });

  it('shows the notice after a reload when the restored filter hides the selected message', async () => {
    const host = new LogHost();
    const pump = host.add('plant/pump', 'on');
    host.add('plant/valve', 'closed');
    await withLog(host, async (log) => {
      const { page } = log;
      await page.click(`.grid-row[data-seq="${pump}"]`);
      await waitUntil(async () => (await detailSeq(page)) === String(pump), 'the pump detail');
      await typeFilter(page, host, 'plant/valve');
      await waitUntil(() => page.isVisible(NOTICE), 'the notice');
      // VS Code reloads a hidden webview: the state comes back, the host starts unfiltered.
      await waitUntil(
        () =>
          log.states.some(
            (s) =>
              (s as { filter?: { topicFilter?: string } }).filter?.topicFilter === 'plant/valve',
          ),
        'the state saved with the filter',
      );
      host.restart();
      await page.reload();
      await page.waitForSelector('.grid[aria-rowcount]');
      await waitUntil(async () => (await detailSeq(page)) === String(pump), 'the restored detail');
      await waitUntil(() => page.isVisible(NOTICE), 'the notice after the reload');
      assert.deepEqual(await selectedSeqs(page), []);
    });
  });
});
