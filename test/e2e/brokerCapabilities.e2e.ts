// What the broker allows, as a person sees it: a Mosquitto with `max_qos 1`, no retained
// messages, a 2,048-byte packet limit and 4 topic aliases. Hovering the connection shows the
// list; its context menu's Show Broker Capabilities opens it as a read-only document; Publish
// marks QoS 2 as not allowed, and choosing it is refused with the reason, nothing sent.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  brokerAndWorkbench,
  openActivityContainer,
  pickContextMenuItem,
  quickInputItems,
  pickQuickInputItem,
  runCommand,
  screenshot,
  typeInQuickInput,
  waitForNotification,
  waitForTreeRow,
} from './harness';

const env = brokerAndWorkbench(
  'broker-capabilities',
  (url) => ({
    'mqttScope.connections': [{ name: 'plant', url, protocolVersion: 5, autoConnect: true }],
  }),
  {
    settings: ['retain_available false', 'max_packet_size 2048'],
    listenerSettings: ['max_qos 1', 'max_topic_alias 4'],
  },
);

test('the connection tooltip lists what the broker allows', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  const row = await waitForTreeRow(page, /plant\s*connected/, { timeout: 30_000 });
  await row.locator('.label-name').hover();
  const hover = page.locator('.monaco-hover, .workbench-hover', {
    hasText: 'What the broker allows',
  });
  await hover.first().waitFor({ timeout: 10_000 });
  const text = (await hover.first().innerText()).replace(/\s+/g, ' ');
  assert.match(text, /Maximum QoS: 1/);
  assert.match(text, /Maximum packet size: 2,048 bytes/);
  assert.match(text, /Retained messages: no/);
  await screenshot(page, 'broker-capabilities-tooltip');
  await page.keyboard.press('Escape');
});

test('Show Broker Capabilities from the context menu opens a read-only document', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  const row = await waitForTreeRow(page, /plant\s*connected/, { timeout: 30_000 });
  await pickContextMenuItem(page, row, 'Show Broker Capabilities');
  const editor = page.locator('.editor-instance .view-lines', { hasText: 'Maximum QoS' });
  await editor.first().waitFor({ timeout: 10_000 });
  const tab = page.locator('.tabs-container .tab', { hasText: 'plant broker capabilities.md' });
  await tab.first().waitFor();
  await page.mouse.move(900, 700);
  await screenshot(page, 'broker-capabilities-document');
});

test('Publish marks QoS 2 as not allowed and refuses it before sending', async () => {
  const { page } = env.wb;
  const step = (n: number) =>
    page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/4)` }).waitFor();
  await runCommand(page, 'MQTT: Publish');
  await step(1);
  await typeInQuickInput(page, 'plant/valve');
  await step(2);
  await typeInQuickInput(page, 'open');
  await step(3);
  const labels = await quickInputItems(page);
  assert.deepEqual(
    labels.map((l) => l.trim()),
    ['0', '1', '2'],
  );
  const refusedRow = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      hasText: 'not allowed',
    })
    .first();
  assert.match(
    await refusedRow.innerText(),
    /2[\s\S]*not allowed: the broker allows at most QoS 1/,
  );
  assert.equal(await refusedRow.locator('.codicon-circle-slash').count(), 1, 'marked with an icon');
  await screenshot(page, 'broker-capabilities-qos-picker');
  await refusedRow.click();
  await step(4);
  await pickQuickInputItem(page, 'Not retained');
  await pickQuickInputItem(page, 'Publish'); // MQTT 5: publish without properties
  const toast = await waitForNotification(page, /QoS 2 not allowed/);
  assert.match(
    await toast.innerText(),
    /allows at most QoS 1 on "plant" \(CONNACK Maximum QoS 1\)/,
  );
  await screenshot(page, 'broker-capabilities-qos-refused');
});
