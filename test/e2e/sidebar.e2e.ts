// What a new user does, in the real VS Code UI in headless Chromium: open the MQTT sidebar,
// connect a profile from the workspace settings to a real Mosquitto, publish through the
// command palette, and see the topic appear in the topic explorer; a refused subscription's toast
// reads reason first and whole; counts read alike in the tree and the log. Screenshots go to
// test-artifacts/. Each test brings the "mosquitto" connection into the state it needs, so the
// tests run alone or in any order.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { pahoPublish } from '../support/paho';
import { saveCrop } from './crop';
import {
  allowAutoConnect,
  brokerAndWorkbench,
  openActivityContainer,
  quickInputItems,
  runCommand,
  screenshot,
  treeRowTexts,
  typeInQuickInput,
  waitForNotification,
  waitForTreeRow,
  webviewFrame,
  writeWorkspaceSettings,
  pickContextMenuItem,
  pickConnectionIfAsked,
  setConnectionState,
  test,
  answerPublishSteps,
  publishStep,
} from './harness';

/** A toast's message shows whole: not cut off with an ellipsis, not scrolled. */
async function assertNotCutOff(message: Locator): Promise<void> {
  const sizes = await message.evaluate((el) =>
    [el, ...Array.from(el.querySelectorAll('*'))].map((e) => [e.scrollWidth, e.clientWidth]),
  );
  assert.ok(
    sizes.every(([scroll, client]) => scroll <= client + 1),
    `the toast is cut off: ${JSON.stringify(sizes)}`,
  );
}

const treeRow = (page: Page, text: RegExp) =>
  page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

const env = brokerAndWorkbench('sidebar', (url) => ({
  'mqttScope.connections': [
    { name: 'mosquitto', url, subscriptions: [{ topic: 'e2e/#', qos: 1 }] },
  ],
}));

test('the MQTT sidebar lists the profile from settings', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await setConnectionState(page, 'mosquitto', 'disconnected');
  const texts = await treeRowTexts(page);
  assert.ok(
    texts.some((t) => t.startsWith('mosquitto disconnected')),
    texts.join(' | '),
  );
  await screenshot(page, 'sidebar-disconnected');
});

test('the manifest reads in words from package.nls.json, never as %keys%', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  // The side bar's title: the container's title; its views (Connections, Sparkplug) have headers.
  const title = page.locator('.part.sidebar .composite.title h2').first();
  assert.equal((await title.textContent())?.trim(), 'MQTT');
  for (const view of ['Connections', 'Sparkplug'])
    await page.locator('.part.sidebar .pane-header h3.title', { hasText: view }).first().waitFor();
  assert.doesNotMatch(await page.locator('.part.sidebar').innerText(), /%[\w.]+%/);

  // The palette: command titles with their category.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget .quick-input-box input').fill('>MQTT: ');
  const titles = await quickInputItems(page);
  assert.ok(titles.length > 5, titles.join(' | '));
  assert.deepEqual(
    titles.filter((t) => t.includes('%')),
    [],
  );
  await screenshot(page, 'l10n-palette');
  // The list shows only its first rows (recently used ones first); narrowed, it shows the rest.
  for (const wanted of ['MQTT: Open Message Log', 'MQTT: Publish']) {
    await page.locator('.quick-input-widget .quick-input-box input').fill(`>${wanted}`);
    const narrowed = await quickInputItems(page);
    assert.ok(narrowed.includes(wanted), narrowed.join(' | '));
  }
  await page.keyboard.press('Escape');

  // The Settings editor: the section title and a setting's description.
  await runCommand(page, 'Preferences: Open Settings (UI)');
  const settings = page.locator('.settings-editor');
  await settings.locator('.suggest-input-container .monaco-editor').first().click();
  // Not a machine setting: in a remote window the User tab leaves those to the Remote tab.
  await page.keyboard.type('mqttScope.reconnect.maxDelaySeconds');
  await settings
    .locator('.setting-item-description', { hasText: 'Longest wait between reconnect attempts' })
    .first()
    .waitFor();
  await screenshot(page, 'l10n-settings');
  assert.doesNotMatch(await settings.innerText(), /%config\./);
  await runCommand(page, 'View: Close Editor'); // back to where the next test starts
});

test('connect from the palette, publish with QoS 1, and see the topic in the tree', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await setConnectionState(page, 'mosquitto', 'disconnected');
  await runCommand(page, 'MQTT: Connect');
  // Other tests' connections may be down too: then Connect asks which one.
  await pickConnectionIfAsked(page, 'mosquitto', treeRow(page, /mosquitto\s*connected/));

  await runCommand(page, 'MQTT: Publish');
  await pickConnectionIfAsked(page, 'mosquitto', publishStep(page, 1));
  await answerPublishSteps(page, {
    topic: 'e2e/greeting',
    payload: 'hello from the palette',
    qos: 1,
  });
  const published = await waitForNotification(page, /acknowledged: PUBACK/);
  const said = published.locator('.notification-list-item-message').first();
  assert.match(
    (await said.textContent()) ?? '',
    /^Broker acknowledged: PUBACK in \d+ ms \("e2e\/greeting"\)\.$/,
  );
  await assertNotCutOff(said);
  await page.mouse.move(700, 400);
  await saveCrop(page, 'publish', published, { pad: 12 });

  await screenshot(page, 'sidebar-published');
  const topRow = await waitForTreeRow(page, /e2e\s*[\d,]+ msgs?/);
  const texts = await treeRowTexts(page);
  if (!texts.some((t) => t.startsWith('greeting'))) await topRow.click();
  const leaf = await waitForTreeRow(page, /greeting/);
  assert.match(
    (await leaf.innerText()).replace(/\s+/g, ' '),
    /1 msg · (\S+\/s · )?hello from the palette/,
  );
  await screenshot(page, 'sidebar-topic');
});

test('Add Connection writes a profile to the workspace settings and it connects', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Add Connection');
  // Each step is a new input box: wait for its title, or typing could land in the last one.
  const step = (n: number) =>
    page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/3)` }).waitFor();
  await step(1);
  await typeInQuickInput(page, 'added-from-palette');
  await step(2);
  // A URL that breaks the rules is refused in place, naming what is wrong.
  await typeInQuickInput(page, 'mqtt://localhost:1883', { submit: false });
  await saveCrop(page, 'own-broker', page.locator('.quick-input-widget'));
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

let guarded: AedesBroker | undefined;
after(async () => {
  await guarded?.stop();
});

test('a refused subscription toasts its reason first, in one line that is not cut off', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  // A broker that refuses SUBSCRIBE (Mosquitto's ACL grants it and filters delivery instead).
  guarded = await startAedes({
    authorizeSubscribe: (_client, sub, callback) =>
      callback(null, sub.topic.startsWith('forbidden/') ? null : sub),
  });
  const file = path.join(env.workspace, '.vscode', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown[]>;
  writeWorkspaceSettings(env.workspace, {
    ...settings,
    'mqttScope.connections': [
      ...settings['mqttScope.connections'],
      {
        name: 'guarded',
        url: `mqtt://127.0.0.1:${guarded.port}`,
        protocolVersion: 4,
        autoConnect: true,
        subscriptions: [{ topic: 'forbidden/plant/#', qos: 1 }],
      },
    ],
  });
  await allowAutoConnect(page, 'guarded');
  const toast = await waitForNotification(page, /refused on guarded/, { timeout: 15_000 });
  const message = toast.locator('.notification-list-item-message').first();
  const text = ((await message.textContent()) ?? '').trim();
  assert.equal(text, '0x80 Failure: "forbidden/plant/#" refused on guarded.');
  await assertNotCutOff(message);
  await screenshot(page, 'sidebar-refusal-toast');
  // The refusal stays on the subscription's node.
  await (await waitForTreeRow(page, /Subscriptions\s*1 · 1 refused/)).click();
  await waitForTreeRow(page, /forbidden\/plant\/#\s*refused: 0x80 Failure/);
});

test('the tree and the Message Log group the same count alike', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await setConnectionState(page, 'mosquitto', 'connected');
  await pahoPublish({
    port: env.broker.port,
    topic: 'e2e/counts/meter',
    payload: '{i}',
    qos: 1,
    count: 1234,
    protocol: 4,
    timeoutMs: 30_000,
  });
  // The explorer opens the first levels by itself while it is small: no clicks needed.
  const row = await waitForTreeRow(page, /^\s*counts\s*1,234 msgs/, { timeout: 15_000 });
  await pickContextMenuItem(page, row, 'Show Messages');
  const log = webviewFrame(page);
  await log.locator('.status', { hasText: /^1,234 of [\d,]+ messages/ }).waitFor();
  await screenshot(page, 'counts-alike');
});
