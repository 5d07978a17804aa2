// Sparkplug B in the real VS Code UI: the demo's edge node appears in the Sparkplug view of the
// MQTT sidebar, online with its device, seq and bdSeq; clicking it opens the Message Log filtered
// to its topics, where a DDATA's detail shows the payload decoded, its metrics named from the
// DBIRTH although the message carried aliases only.
import * as assert from 'node:assert/strict';
import { saveCrop } from './crop';
import {
  localBrokerWorkbench,
  openActivityContainer,
  runCommand,
  screenshot,
  test,
  waitForTreeRow,
} from './harness';
import { messageLogFrame } from './waits';

const env = localBrokerWorkbench('sparkplug');

test('the Sparkplug view lists the demo edge node, and a DDATA detail shows its metrics by name', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Start Demo Devices');
  const node = await waitForTreeRow(page, /edge-1\s*online · seq \d+ · bdSeq 0/, {
    timeout: 30_000,
  });
  await waitForTreeRow(page, /pump-1\s*online/);
  await page.mouse.move(1000, 880);
  await screenshot(page, 'sparkplug-view');
  await saveCrop(page, 'sparkplug-view', page.locator('.part.sidebar'), { maxHeight: 700 });

  await node.click();
  const { frame: log } = await messageLogFrame(page, 'panel', { timeout: 15_000 });
  assert.equal(
    await log.getByRole('textbox', { name: 'Topic filter' }).inputValue(),
    'spBv1.0/demo-plant/+/edge-1/#',
  );
  const ddata = log.locator('.grid-row', { hasText: 'spBv1.0/demo-plant/DDATA/edge-1/pump-1' });
  await ddata.first().waitFor({ timeout: 15_000 });
  await ddata.first().click();
  await log.locator('.detail-meta').waitFor();
  const payload = log.locator('.payload');
  assert.equal(await payload.getAttribute('data-view'), 'text');
  const text = (await payload.textContent()) ?? '';
  assert.match(text, /"Pressure": \{/);
  assert.match(text, /"Speed": \{/);
  assert.match(text, /"datatype": "Int32"/);
  await page.mouse.move(1000, 880);
  await screenshot(page, 'sparkplug-ddata-detail');
});
