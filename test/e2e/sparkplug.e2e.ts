// Sparkplug B in the real VS Code UI: the demo's edge node appears in the Sparkplug view of the
// MQTT sidebar, online with its device, seq and bdSeq; clicking it opens the Message Log filtered
// to its topics, where a DDATA's detail shows the payload decoded, its metrics named from the
// DBIRTH although the message carried aliases only.
import * as assert from 'node:assert/strict';
import {
  localBrokerWorkbench,
  openActivityContainer,
  pickQuickInputItem,
  quickInputItems,
  runCommand,
  screenshot,
  test,
  waitForNotification,
  waitForTreeRow,
} from './harness';
import { messageLogFrame, pollUntil } from './waits';

const env = localBrokerWorkbench('sparkplug');

test('the Sparkplug view lists the demo edge node, and a DDATA detail shows its metrics by name', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Start Demo Devices');
  // The view starts collapsed under Connections: opened as a user does.
  await runCommand(page, 'Focus on Sparkplug View');
  const node = await waitForTreeRow(page, /edge-1\s*online · seq \d+ · bdSeq \d+/, {
    timeout: 30_000,
  });
  await waitForTreeRow(page, /pump-1\s*online/);
  await page.mouse.move(1000, 880);
  await screenshot(page, 'sparkplug-view');

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
  assert.equal(await payload.getAttribute('data-view'), 'decoded');
  const decodedBy = (await log.locator('.decoded-by').textContent()) ?? '';
  assert.match(decodedBy, /Sparkplug B DDATA/, decodedBy);
  const tree = (await log.locator('.payload-tree').textContent()) ?? '';
  for (const name of ['Pressure', 'Speed', 'Int32', 'Double']) assert.match(tree, new RegExp(name));
  await page.mouse.move(1000, 880);
  await screenshot(page, 'sparkplug-ddata-detail');
});

test('MQTT: Request Rebirth from the palette asks which edge node, and it is born again', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Start Demo Devices'); // nothing to do when it runs already
  await runCommand(page, 'Focus on Sparkplug View');
  // Data every second raises the seq by 2; a rebirth starts it again at 0 (NBIRTH), 1 (DBIRTH).
  const seqOf = async () => {
    const row = await waitForTreeRow(page, /edge-1\s*online · seq \d+ · bdSeq \d+/);
    return Number(/seq (\d+)/.exec(await row.innerText())?.[1]);
  };
  await pollUntil('seq 12 or more', async () => (await seqOf()) >= 12, { timeout: 30_000 });
  const before = await seqOf();

  await runCommand(page, 'MQTT: Request Rebirth');
  assert.deepEqual(await quickInputItems(page), ['demo-plant / edge-1']);
  await pickQuickInputItem(page, 'demo-plant / edge-1');
  await waitForNotification(page, 'Rebirth requested: spBv1.0/demo-plant/NCMD/edge-1');
  const after = await pollUntil('the seq to start again', async () => {
    const seq = await seqOf();
    return seq < before ? seq : undefined;
  });
  assert.ok(after < before);
  await page.mouse.move(1000, 880);
  await screenshot(page, 'sparkplug-rebirth');
});
