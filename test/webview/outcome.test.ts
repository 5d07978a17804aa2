/**
 * Publish outcomes in the Message Log: a publish the broker refused (or that failed) is a red
 * row whose direction cell says why in words, a publish still waiting shows as pending, and the
 * detail pane shows the outcome — reason code and string, or the exchange with its timings. An
 * outcome that arrives while the row is on screen updates it with the next stats notice.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishResult } from '../../src/core/traffic/trafficTypes';
import { LogHost } from './logHost';
import { screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

const RED = 'rgb(248, 81, 73)'; // --vscode-errorForeground of the test theme

const refused: PublishResult = {
  state: 'refused',
  sentAt: 1_000,
  settledAt: 1_004,
  steps: [{ packet: 'PUBACK', atMs: 4, reasonCode: 0x87 }],
  reasonCode: 0x87,
  reasonString: 'topic closed for writer',
};

const rowColour = (log: LogPage, seq: number) =>
  log.page.$eval(`.grid-row[data-seq="${seq}"] .col-topic`, (n) => getComputedStyle(n).color);

async function select(log: LogPage, seq: number): Promise<void> {
  await log.host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

describe('publish outcomes in the Message Log', () => {
  it('a refused publish is a red row; its detail gives the reason code and string', async () => {
    const host = new LogHost();
    const ok = host.add('open/lamp', 'on', { direction: 'out', qos: 1, time: 1_000 });
    host.store.setOutcome(ok, {
      state: 'ok',
      sentAt: 1_000,
      settledAt: 1_003,
      steps: [{ packet: 'PUBACK', atMs: 3, reasonCode: 0 }],
    });
    const denied = host.add('closed/door', 'open', { direction: 'out', qos: 1, time: 1_000 });
    host.store.setOutcome(denied, refused);
    const echo = host.add('open/lamp', 'on', { qos: 1, time: 1_001 });
    await withLog(host, async (log) => {
      const { page } = log;
      await waitUntil(() => page.locator(`.grid-row[data-seq="${echo}"]`).count(), 'the rows');
      assert.equal(await rowColour(log, denied), RED, 'the refused row is red');
      assert.notEqual(await rowColour(log, ok), RED, 'an acknowledged one is not');
      assert.notEqual(await rowColour(log, echo), RED);
      assert.match(
        (await page.getAttribute(`.grid-row[data-seq="${denied}"] .col-dir`, 'title')) ?? '',
        /refused by the broker/,
        'the outcome in words, not only in colour',
      );
      await select(log, denied);
      const outcome = (await page.textContent('.detail-outcome')) ?? '';
      assert.match(outcome, /Outcome: refused by the broker/);
      assert.match(outcome, /Reason: 0x87 Not authorized/);
      assert.match(outcome, /Reason string: topic closed for writer/);
      assert.match(outcome, /PUBACK\s*\+4 ms\s*0x87 Not authorized/);
      await screenshot(page, 'refused-publish');
    });
  });

  it('a pending publish turns red in place when its refusal arrives', async () => {
    const host = new LogHost();
    const seq = host.add('closed/door', 'open', { direction: 'out', qos: 1, time: 1_000 });
    host.store.setOutcome(seq, 'pending');
    await withLog(host, async (log) => {
      const { page } = log;
      await waitUntil(() => page.locator(`.grid-row[data-seq="${seq}"]`).count(), 'the row');
      await select(log, seq);
      assert.equal(
        await page.getAttribute(`.grid-row[data-seq="${seq}"]`, 'data-outcome'),
        'pending',
      );
      assert.match((await page.textContent('.detail-outcome')) ?? '', /waiting for the broker/);
      host.store.setOutcome(seq, refused);
      await host.announce();
      await waitUntil(
        async () => (await rowColour(log, seq)) === RED,
        'the row to turn red without being selected again',
      );
      await waitUntil(
        async () => /Reason: 0x87/.test((await page.textContent('.detail-outcome')) ?? ''),
        'the detail to show the refusal',
      );
    });
  });

  it('the reason of an acknowledged publish is not drawn as an error', async () => {
    const host = new LogHost();
    const ok = host.add('open/lamp', 'on', { direction: 'out', qos: 1, time: 1_000 });
    host.store.setOutcome(ok, {
      state: 'ok',
      sentAt: 1_000,
      settledAt: 1_003,
      steps: [{ packet: 'PUBACK', atMs: 3, reasonCode: 0x10 }],
      reasonCode: 0x10,
    });
    const denied = host.add('closed/door', 'open', { direction: 'out', qos: 1, time: 1_000 });
    host.store.setOutcome(denied, refused);
    await withLog(host, async (log) => {
      const reasonColour = () =>
        log.page.$eval('.detail-outcome .outcome-reason', (n) => getComputedStyle(n).color);
      await select(log, ok);
      assert.match((await log.page.textContent('.outcome-reason')) ?? '', /0x10 No matching/);
      assert.notEqual(await reasonColour(), RED);
      await select(log, denied);
      assert.equal(await reasonColour(), RED, 'a refusal reason is');
    });
  });
});
