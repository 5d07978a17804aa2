// The first minute of someone with nothing installed: the MQTT sidebar's welcome view offers
// the local broker and demo devices; one click later a device shows in the topic explorer
// without any further click, the Message Log has opened beside it, and a screen reader hears
// real labels (not icon names) for the status bar item and the rows.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort } from '../support/ports';
import { saveCrop } from './crop';
import {
  createWorkspace,
  openActivityContainer,
  openWorkbench,
  screenshot,
  treeRowTexts,
  waitForTreeRow,
  webviewFrame,
  type Workbench,
} from './harness';

let wb: Workbench;

before(async () => {
  // A machine setting: VS Code reads it from the user's settings only.
  const workspace = createWorkspace('demo');
  wb = await openWorkbench({
    workspace,
    userSettings: { 'mqttScope.localBroker.port': await freePort() },
  });
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
  await page.mouse.move(1000, 880); // no hover highlight or tooltip in the picture
  await saveCrop(page, 'broker', page.locator('.part.sidebar'), { maxHeight: 420 });
  const started = Date.now();
  await button.click();
  await waitForTreeRow(page, /Embedded broker\s*127\.0\.0\.1:\d+ · \d+ clients? · demo devices on/);
  await waitForTreeRow(page, /Local broker\s*connected/);
  // No clicks: the first levels open by themselves and the first topic is revealed.
  await waitForTreeRow(page, /^\s*sensor-1\s*\d+ msgs?/, { timeout: 15_000 });
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 20, `a device took ${seconds} s to appear`);
  const texts = await treeRowTexts(page);
  for (const level of ['demo', 'greenhouse', 'sensor-1'])
    assert.ok(
      texts.some((t) => t.startsWith(`${level} `)),
      `no "${level}" row in ${texts.join(' | ')}`,
    );
});

test('the Message Log opened by itself on the first message, showing traffic', async () => {
  const { page } = wb;
  const tab = page.locator('.tabs-container .tab', { hasText: 'MQTT Message Log' });
  await tab.waitFor({ timeout: 15_000 });
  const log = webviewFrame(page);
  await log.locator('.grid-row', { hasText: 'demo/' }).first().waitFor({ timeout: 15_000 });
  // It did not take the focus from the side bar.
  assert.equal(
    await page.evaluate(() => !!document.activeElement?.closest('iframe.webview')),
    false,
  );
  await page.mouse.move(1000, 880);
  await screenshot(page, 'first-hour');
  await saveCrop(page, 'connect', page.locator('.part.sidebar'), { maxHeight: 420 });
});

test('a screen reader hears labels with the state, not icon names', async () => {
  const { page } = wb;
  const status = page.locator('.part.statusbar [aria-label^="MQTT connection"]').first();
  await status.waitFor();
  assert.equal(await status.getAttribute('aria-label'), 'MQTT connection Local broker: connected');
  const all = await page
    .locator('.part.statusbar .statusbar-item a[aria-label]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  assert.ok(!all.some((l) => /^broadcast\b/.test(l)), `an icon name is read: ${all.join(' | ')}`);

  const labels = await page
    .locator('.part.sidebar .monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  assert.ok(labels.includes('MQTT connection Local broker: connected'), labels.join(' | '));
  assert.ok(
    labels.some((l) => /^Embedded broker: running, 127\.0\.0\.1:\d+, \d+ clients?, demo/.test(l)),
    labels.join(' | '),
  );
  assert.ok(
    labels.some((l) => /^Topic sensor-1: [\d,]+ messages?/.test(l)),
    labels.join(' | '),
  );
  // Every inline action (icon button) on a row has a name.
  const row = await waitForTreeRow(page, /Local broker\s*connected/);
  await row.hover();
  const actions = await page
    .locator('.part.sidebar .monaco-list-row .actions .action-label')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  assert.ok(actions.length > 0, 'no inline actions found');
  for (const label of actions) assert.ok(label.trim().length > 0, 'an icon button has no label');
});
