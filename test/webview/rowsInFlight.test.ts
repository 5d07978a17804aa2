/**
 * Rows that reach the host while a rows request is on its way: the reply carries the rows asked
 * for and the host's newer total. The newest rows must still load, even when no stats notice
 * follows (the traffic stopped).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { domRows, screenshot, visibleSeqs, waitUntil } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

describe('rows arriving during a request', () => {
  it('loads the newest rows when the total moved between request and reply', async () => {
    const host = new LogHost();
    host.fill(250);
    await withLog(host, async (log) => {
      const { page } = log;
      await waitUntil(async () => (await visibleSeqs(page)).at(-1) === 250, 'the first tail');

      // 20 messages are announced; 13 more reach the host while it answers the webview's
      // request for those 20, and then the traffic stops: no further stats notice.
      let arriving = 13;
      host.beforeRows = () => {
        host.fill(arriving);
        arriving = 0;
      };
      host.fill(20);
      await host.announce();
      await waitUntil(async () => arriving === 0, 'the request for the 20 new rows');

      await waitUntil(async () => {
        const rows = await domRows(page);
        const seqs = await visibleSeqs(page);
        return rows.every((r) => r.seq > 0) && seqs.at(-1) === 283;
      }, 'every row, up to the newest (seq 283), loaded; no "…" placeholder left');
      assert.equal(await page.textContent('.status'), '283 messages');
      const loading = await page.locator('.grid-row.loading').count();
      assert.equal(loading, 0, 'no row still loading');
      await screenshot(page, 'rows-moved-during-request');
    });
  });
});
