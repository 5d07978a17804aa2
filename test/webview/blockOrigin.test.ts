/**
 * A Message Log row a `.mqtt` run produced, with the real binding behind the page: its detail
 * says which block it came from ("From lab.mqtt:12 · QoS 1 arrives", device-free text shown as
 * text) and offers Open Block, which asks the host to open it; a row of no block offers nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

async function detailOf(log: LogPage, seq: number): Promise<void> {
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

describe('the .mqtt block of a row in the detail', () => {
  it('names the block and opens it; a row of no block offers nothing', async () => {
    const host = new LogHost();
    const fromBlock = host.add('iot/lab/mqtt_test', 'hello at QoS 1', { direction: 'out', qos: 1 });
    const plain = host.add('iot/lab/other', 'x');
    host.origins.set(fromBlock, { label: 'lab.mqtt:12 · QoS 1 <b>arrives</b>' });
    await withLog(host, async (log) => {
      const { page } = log;
      await log.host.select(fromBlock);
      await detailOf(log, fromBlock);
      const meta = (await page.textContent('.detail-meta')) ?? '';
      assert.ok(meta.includes('Fromlab.mqtt:12 · QoS 1 <b>arrives</b>'), meta);
      assert.equal(await page.locator('.detail-meta b').count(), 0, 'shown as text');
      await screenshot(page, 'log-block-origin');
      await page.click('.action-openBlock');
      await waitUntil(
        async () => host.actions.some((a) => a.action === 'openBlock' && a.seq === fromBlock),
        'the openBlock action',
      );
      await log.host.select(plain);
      await detailOf(log, plain);
      assert.equal(await page.locator('.action-openBlock').count(), 0);
    });
  });
});
