// What a new user does, in the real VS Code UI in headless Chromium: open the MQTT sidebar,
// connect a profile from the workspace settings to a real Mosquitto, publish through the
// command palette, and see the topic appear in the topic explorer. Screenshots go to
// test-artifacts/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  brokerAndWorkbench,
  openActivityContainer,
  pickQuickInputItem,
  quickInputItems,
  runCommand,
  screenshot,
  treeRowTexts,
  typeInQuickInput,
  waitForNotification,
  waitForTreeRow,
} from './harness';

const env = brokerAndWorkbench('sidebar', (url) => ({
  'mqttScope.connections': [
    { name: 'mosquitto', url, subscriptions: [{ topic: 'e2e/#', qos: 1 }] },
  ],
}));

test('the MQTT sidebar lists the profile from settings', async () => {
  await openActivityContainer(env.wb.page, 'MQTT');
  await waitForTreeRow(env.wb.page, /mosquitto\s*disconnected/);
  await screenshot(env.wb.page, 'sidebar-disconnected');
});

test('the manifest reads in words from package.nls.json, never as %keys%', async () => {
  const { page } = env.wb;
  // The side bar's title: the container's title and its one view's name.
  const title = page.locator('.part.sidebar .composite.title h2').first();
  assert.equal((await title.textContent())?.trim(), 'MQTT: Connections');
  assert.doesNotMatch(await page.locator('.part.sidebar').innerText(), /%[\w.]+%/);

  // The palette: command titles with their category.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget .quick-input-box input').fill('>MQTT: ');
  const titles = await quickInputItems(page);
  assert.ok(titles.includes('MQTT: Publish'), titles.join(' | '));
  assert.ok(titles.includes('MQTT: Open Message Log'), titles.join(' | '));
  assert.deepEqual(
    titles.filter((t) => t.includes('%')),
    [],
  );
  await screenshot(page, 'l10n-palette');
  await page.keyboard.press('Escape');

  // The Settings editor: the section title and a setting's description.
  await runCommand(page, 'Preferences: Open Settings (UI)');
  const settings = page.locator('.settings-editor');
  await settings.locator('.suggest-input-container .monaco-editor').first().click();
  await page.keyboard.type('mqttScope.localBroker.port');
  await settings
    .locator('.setting-item-description', { hasText: 'TCP port of the local broker on 127.0.0.1' })
    .first()
    .waitFor();
  await screenshot(page, 'l10n-settings');
  assert.doesNotMatch(await settings.innerText(), /%config\./);
  await runCommand(page, 'View: Close Editor'); // back to where the next test starts
});

test('connect from the palette, publish with QoS 1, and see the topic in the tree', async () => {
  const { page } = env.wb;
  await runCommand(page, 'MQTT: Connect');
  await waitForTreeRow(page, /mosquitto\s*connected/);

  // Each step is a new quick input: wait for its title, or typing could land in the last one.
  const step = (n: number) =>
    page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/4)` }).waitFor();
  await runCommand(page, 'MQTT: Publish');
  await step(1);
  await typeInQuickInput(page, 'e2e/greeting');
  await step(2);
  await typeInQuickInput(page, 'hello from the palette');
  await step(3);
  await pickQuickInputItem(page, '1');
  await step(4);
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

test('Add Connection writes a profile to the workspace settings and it connects', async () => {
  const { page } = env.wb;
  await runCommand(page, 'MQTT: Add Connection');
  // Each step is a new input box: wait for its title, or typing could land in the last one.
  const step = (n: number) =>
    page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/3)` }).waitFor();
  await step(1);
  await typeInQuickInput(page, 'added-from-palette');
  await step(2);
  // A URL that breaks the rules is refused in place, naming what is wrong.
  await typeInQuickInput(page, 'http://127.0.0.1:1', { submit: false });
  await page
    .locator('.quick-input-widget .quick-input-message', { hasText: /Unknown protocol "http:"/ })
    .waitFor();
  await typeInQuickInput(page, `mqtt://127.0.0.1:${env.broker.port}`);
  await step(3);
  await typeInQuickInput(page, ''); // no user name
  await waitForTreeRow(page, /added-from-palette\s*disconnected/);
  const settings = JSON.parse(
    fs.readFileSync(path.join(env.workspace, '.vscode', 'settings.json'), 'utf8'),
  ) as { 'mqttScope.connections': { name: string; url: string }[] };
  const added = settings['mqttScope.connections'].find((p) => p.name === 'added-from-palette');
  assert.equal(added?.url, `mqtt://127.0.0.1:${env.broker.port}`);
  const row = await waitForTreeRow(page, /added-from-palette/);
  await row.hover();
  await row.locator('.action-label[aria-label="Connect"]').click();
  await waitForTreeRow(page, /added-from-palette\s*connected/);
  await screenshot(page, 'sidebar-added-connection');
});
