/**
 * "Save as .mqtt Block" in the Message Log's detail: offered for a received message, named for
 * a screen reader, and a click asks the host (the real binding) to save that message's block.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { settle, waitUntil } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

describe('Save as .mqtt Block', () => {
  it('is offered in the detail and posts the action for the message shown', async () => {
    const host = new LogHost();
    host.fill(5);
    const seq = host.add('demo/home/thermostat-1/setpoint', '{"setpoint":23}', {
      qos: 1,
      retain: true,
    });
    await withLog(host, async (log) => {
      const { page } = log;
      await log.host.select(seq);
      await waitUntil(
        async () => (await page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
        `the detail of seq ${seq}`,
      );
      const button = page.locator('.action-saveAsMqttBlock');
      assert.equal(await button.count(), 1);
      assert.equal(await button.getAttribute('title'), 'Save as .mqtt Block');
      assert.equal(await button.innerText(), 'Save as .mqtt Block', 'a visible label');
      await button.click();
      await settle(log);
      assert.deepEqual(
        host.ofType('action').map((a) => `${a.action}:${a.seq}`),
        [`saveAsMqttBlock:${seq}`],
      );
      assert.deepEqual(host.actions, [{ action: 'saveAsMqttBlock', seq }]);
    });
  });
});
