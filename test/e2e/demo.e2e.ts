// The first minute of someone with nothing installed: the MQTT sidebar's welcome view offers
// the local broker and demo devices; one click later the topic explorer is alive.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort } from '../support/ports';
import {
  createWorkspace,
  openActivityContainer,
  openWorkbench,
  screenshot,
  treeRowTexts,
  waitForTreeRow,
  type Workbench,
} from './harness';

let wb: Workbench;

before(async () => {
  const workspace = createWorkspace('demo', { 'mqttScope.localBroker.port': await freePort() });
  wb = await openWorkbench({ workspace });
});

after(async () => {
  await wb?.close();
});

test('the welcome view explains how to start, and its button brings the demo to life', async () => {
  const { page } = wb;
  await openActivityContainer(page, 'MQTT');
  const button = page.locator('.part.sidebar .welcome-view-content a.monaco-button', {
    hasText: 'Start Local Broker and Demo Devices',
  });
  await button.waitFor();
  await screenshot(page, 'welcome');
  const started = Date.now();
  await button.click();
  await waitForTreeRow(page, /Embedded broker\s*127\.0\.0\.1:\d+ · \d+ clients? · demo devices on/);
  await waitForTreeRow(page, /Local broker\s*connected/);
  await waitForTreeRow(page, /demo\s*\d+ msgs/, { timeout: 10_000 });
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 15, `the demo took ${seconds} s to appear`);
  // Open the demo subtree down to a sensor, as a user exploring it would.
  for (const name of ['demo', 'greenhouse', 'sensor-1']) {
    const texts = await treeRowTexts(page);
    const row = await waitForTreeRow(page, new RegExp(`^\\s*${name}\\s*\\d+ msgs?`));
    const index = texts.findIndex((t) => t.startsWith(`${name} `));
    const next = texts[index + 1] ?? '';
    if (!/^(greenhouse|sensor-1|status|telemetry)/.test(next) || name === 'sensor-1')
      await row.click();
  }
  await waitForTreeRow(page, /telemetry\s*\d+ msgs? · \{"temperature":/, { timeout: 10_000 });
  await screenshot(page, 'demo-live');
});
