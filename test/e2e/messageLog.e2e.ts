// The Message Log in the real VS Code UI: a real Paho client publishes, the row appears in the
// webview, selecting it opens the detail pane with the JSON pretty-printed, and "Open in Editor"
// opens the payload as a read-only JSON document.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { pahoPublish } from '../support/paho';
import {
  createWorkspace,
  openActivityContainer,
  openWorkbench,
  runCommand,
  screenshot,
  waitForTreeRow,
  webviewFrame,
  type Workbench,
} from './harness';

let broker: MosquittoBroker;
let wb: Workbench;

before(async () => {
  broker = await startMosquitto();
  const workspace = createWorkspace('message-log', {
    'mqttScope.connections': [
      {
        name: 'plant',
        url: `mqtt://127.0.0.1:${broker.port}`,
        autoConnect: true,
        subscriptions: [{ topic: 'plant/#', qos: 1 }],
      },
    ],
  });
  wb = await openWorkbench({ workspace });
});

after(async () => {
  await wb?.close();
  await broker?.stop();
});

test('a Paho message appears in the log and its detail opens', async () => {
  const { page } = wb;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /plant\s*connected/);
  await runCommand(page, 'MQTT: Open Message Log');
  const log = webviewFrame(page);
  await log.locator('[role="grid"]').waitFor();

  await pahoPublish({
    port: broker.port,
    topic: 'plant/pump-7/telemetry',
    payload: '{"pump":7,"flow":12.5,"running":true,"n":{i}}',
    qos: 1,
    count: 3,
    protocol: 5,
    timeoutMs: 15_000,
  });
  const rows = log.locator('.grid-row', { hasText: 'plant/pump-7/telemetry' });
  await rows.nth(2).waitFor({ timeout: 10_000 });
  assert.equal(await rows.count(), 3);
  assert.match((await rows.nth(2).textContent()) ?? '', /"n":2/);

  await rows.nth(2).click();
  await log.locator('.detail-meta').waitFor();
  assert.match(
    (await log.locator('.detail-topic').textContent()) ?? '',
    /plant\/pump-7\/telemetry/,
  );
  assert.equal(await log.locator('.payload').getAttribute('data-view'), 'json');
  assert.equal(await log.locator('.json-number').first().textContent(), '7');
  await screenshot(page, 'message-log');

  await log.getByRole('button', { name: 'Open in Editor' }).click();
  const tab = page.locator('.tabs-container .tab', { hasText: 'telemetry' });
  await tab.waitFor({ timeout: 10_000 });
  await page
    .locator('.monaco-editor .view-lines', { hasText: '"running": true' })
    .first()
    .waitFor();
  await screenshot(page, 'message-log-open-in-editor');
});
