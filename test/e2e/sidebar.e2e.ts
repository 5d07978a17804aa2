// What a new user does, in the real VS Code UI in headless Chromium: open the MQTT sidebar,
// connect a profile from the workspace settings to a real Mosquitto, publish through the
// command palette, and see the topic appear in the topic explorer. Screenshots go to
// test-artifacts/.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import {
  createWorkspace,
  openActivityContainer,
  openWorkbench,
  pickQuickInputItem,
  runCommand,
  screenshot,
  treeRowTexts,
  typeInQuickInput,
  waitForNotification,
  waitForTreeRow,
  type Workbench,
} from './harness';

let broker: MosquittoBroker;
let wb: Workbench;

before(async () => {
  broker = await startMosquitto();
  const workspace = createWorkspace('sidebar', {
    'mqttScope.connections': [
      {
        name: 'mosquitto',
        url: `mqtt://127.0.0.1:${broker.port}`,
        subscriptions: [{ topic: 'e2e/#', qos: 1 }],
      },
    ],
  });
  wb = await openWorkbench({ workspace });
});

after(async () => {
  await wb?.close();
  await broker?.stop();
});

test('the MQTT sidebar lists the profile from settings', async () => {
  await openActivityContainer(wb.page, 'MQTT');
  await waitForTreeRow(wb.page, /mosquitto\s*disconnected/);
  await screenshot(wb.page, 'sidebar-disconnected');
});

test('connect from the palette, publish with QoS 1, and see the topic in the tree', async () => {
  const { page } = wb;
  await runCommand(page, 'MQTT: Connect');
  await waitForTreeRow(page, /mosquitto\s*connected/);

  await runCommand(page, 'MQTT: Publish');
  await typeInQuickInput(page, 'e2e/greeting');
  await typeInQuickInput(page, 'hello from the palette');
  await pickQuickInputItem(page, '1');
  await pickQuickInputItem(page, 'Not retained');
  await waitForNotification(page, /acknowledged: PUBACK/);

  await screenshot(page, 'sidebar-published');
  const topRow = await waitForTreeRow(page, /e2e\s*1 msg/);
  const texts = await treeRowTexts(page);
  if (!texts.some((t) => t.startsWith('greeting'))) await topRow.click();
  const leaf = await waitForTreeRow(page, /greeting/);
  assert.match((await leaf.innerText()).replace(/\s+/g, ' '), /1 msg · hello from the palette/);
  await screenshot(page, 'sidebar-topic');
});
