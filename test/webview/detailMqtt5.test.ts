/**
 * The meaning of MQTT 5 properties in the detail pane, in the built webview over the real
 * binding: the subscription each identifier stands for, the topic an alias stood for, the expiry
 * left (and "expired"), correlation data as text or hex; device text shown through visibleText
 * (a right-to-left override or a line feed is a visible marker, never applied).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

async function show(log: LogPage, seq: number): Promise<void> {
  await log.host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

const line = (log: LogPage, kind: string) =>
  log.page.textContent(`.detail-mqtt5 dd[data-kind="${kind}"]`);

describe('detail pane: what MQTT 5 properties mean', () => {
  it('names subscriptions, the aliased topic, the expiry left and the correlation data', async () => {
    const host = new LogHost();
    host.scheduler.fixedNow = 1_000_000;
    host.subscriptionFilters.set(7, 'plant/\u202E#');
    const seq = host.add('plant/line\u202E-1', '{}', {
      time: 1_000_000 - 15_000,
      properties: {
        subscriptionIdentifier: [7, 8],
        topicAlias: 3,
        messageExpiryInterval: 60,
        correlationData: Buffer.from('req\n42'),
      },
    });
    const old = host.add('plant/old', '{}', {
      time: 1_000_000 - 120_000,
      properties: { messageExpiryInterval: 60, correlationData: Buffer.from([0xff, 0x00]) },
    });
    await withLog(host, async (log) => {
      await show(log, seq);
      const subs = await log.page.$$eval('.detail-mqtt5 dd[data-kind="subscription"]', (n) =>
        n.map((x) => x.textContent),
      );
      assert.deepEqual(subs, [
        '7 → plant/⟨U+202E⟩#',
        '8 → no subscription of this connection has it now',
      ]);
      assert.equal(await line(log, 'alias'), 'alias 3 → plant/line⟨U+202E⟩-1');
      assert.equal(await line(log, 'expiry'), '45 s left of 60 s');
      assert.equal(await line(log, 'correlation'), 'req⟨LF⟩42 (hex 72 65 71 0a 34 32)');
      const tableRow = log.page.locator('table.props th', { hasText: 'correlationData' });
      assert.equal(await tableRow.count(), 0, 'said once, not again in the table');
      await screenshot(log.page, 'detail-mqtt5');

      await show(log, old);
      assert.equal(await line(log, 'expiry'), 'expired (message expiry 60 s)');
      assert.equal(await line(log, 'correlation'), 'hex ff 00');
      const aliasLines = log.page.locator('.detail-mqtt5 dd[data-kind="alias"]');
      assert.equal(await aliasLines.count(), 0, 'no alias: no line');
    });
  });
});
