/**
 * Request/response in the Message Log's detail, with the real binding behind the page: a
 * request's detail names its first reply, the latency and how many others came; the reply's
 * names its request; each number is a link that selects the other row.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

const cd = Buffer.from('0f'.repeat(16));

async function detailOf(log: LogPage, seq: number): Promise<void> {
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

describe('request and reply links in the detail', () => {
  it('a request links to its reply and back', async () => {
    const host = new LogHost();
    const request = host.add('svc/echo', 'ping', {
      direction: 'out',
      qos: 1,
      time: 1_000,
      properties: { responseTopic: 'me/responses/1', correlationData: cd },
    });
    const reply = host.add('me/responses/1', 'pong', {
      time: 1_012,
      properties: { correlationData: Buffer.from(cd) },
    });
    host.add('me/responses/1', 'pong again', { time: 1_020, properties: { correlationData: cd } });
    host.add('me/responses/1', 'not ours', { time: 1_021, properties: { correlationData: 'x' } });
    await withLog(host, async (log) => {
      const { page } = log;
      await log.host.select(request);
      await detailOf(log, request);
      assert.equal(
        await page.textContent('.detail-request'),
        `Request — reply #${reply} after 12 ms (+1 more)`,
      );
      await screenshot(page, 'request-link');
      await page.click('.detail-request .request-link');
      await detailOf(log, reply);
      assert.equal(await page.textContent('.detail-request'), `Reply to request #${request}`);
      await page.click('.detail-request .request-link');
      await detailOf(log, request);
    });
  });
});
