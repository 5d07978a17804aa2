// The Message Log in the real VS Code UI: a real Paho client publishes, the row appears in the
// webview, selecting it opens the detail pane with the JSON pretty-printed, and "Open in Editor"
// opens the payload as a read-only JSON document.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { pahoPublish } from '../support/paho';
import {
  openPlantMessageLog,
  pickContextMenuItem,
  plantWorkbench,
  runCommand,
  screenshot,
  waitForTreeRow,
  webviewFrame,
} from './harness';

const env = plantWorkbench('message-log');

test('a Paho message appears in the log and its detail opens', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);

  await pahoPublish({
    port: env.broker.port,
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

  // Back to the log: "Reveal in Topic Explorer" opens the topic's node in the sidebar.
  await page.locator('.tabs-container .tab', { hasText: 'MQTT Message Log' }).click();
  await log.getByRole('button', { name: 'Reveal in Topic Explorer' }).click();
  // The topic's row may be on screen already (the first levels open by themselves): wait for
  // the reveal to select it rather than for it to appear.
  const leaf = await waitForTreeRow(page, /telemetry\s*3 msgs/);
  await page
    .locator('.part.sidebar .monaco-list-row[aria-selected="true"]', {
      hasText: /telemetry\s*3 msgs/,
    })
    .waitFor({ timeout: 10_000 });
  assert.equal(await leaf.getAttribute('aria-selected'), 'true');
});

test('"Show Messages" on a topic filters the log to its subtree', async () => {
  const { page } = env.wb;
  await pahoPublish({
    port: env.broker.port,
    topic: 'plant/valve-2/state',
    payload: 'open',
    qos: 0,
    count: 1,
    protocol: 4,
    timeoutMs: 15_000,
  });
  const log = webviewFrame(page);
  const valve = log.locator('.grid-row', { hasText: 'plant/valve-2/state' });
  await valve.waitFor();
  // Selected now, hidden by the filter below: the detail stays and says so (the extension
  // answers the webview's "is it still in the view?").
  await valve.click();
  await log.locator('.detail-topic', { hasText: 'plant/valve-2/state' }).waitFor();
  // Let the tree settle with the new topic first, so the right-click lands on a still row.
  await waitForTreeRow(page, /valve-2\s*1 msg/);
  await page.waitForTimeout(500);
  const pump = await waitForTreeRow(page, /pump-7\s*3 msgs/);
  await pickContextMenuItem(page, pump, 'Show Messages');
  const topicFilter = log.getByPlaceholder('Topic filter, e.g. sensors/+/temp');
  await log.locator('.grid-row', { hasText: 'plant/valve-2/state' }).waitFor({ state: 'detached' });
  for (let i = 0; i < 50 && (await topicFilter.inputValue()) !== 'plant/pump-7/#'; i++) {
    await page.waitForTimeout(100);
  }
  assert.equal(await topicFilter.inputValue(), 'plant/pump-7/#');
  assert.equal(await log.locator('.grid-row', { hasText: 'plant/pump-7/telemetry' }).count(), 3);
  await log
    .locator('.filter-hidden-notice', { hasText: 'This message is hidden by the current filter.' })
    .waitFor({ state: 'visible' });
  assert.match((await log.locator('.detail-topic').textContent()) ?? '', /plant\/valve-2\/state/);
  assert.equal(await log.locator('.grid-row[aria-selected="true"]').count(), 0);
  await screenshot(page, 'message-log-show-messages');
});

test('the log also docks in the panel area, with the same history', async () => {
  const { page } = env.wb;
  await runCommand(page, 'Focus on Message Log View');
  // Webviews are overlaid at the workbench level, not inside the panel part: find the one in
  // "view" mode.
  let docked = webviewFrame(page, 0);
  for (let attempt = 0; attempt < 100; attempt++) {
    const frames = await page.locator('iframe.webview.ready').count();
    let found = false;
    for (let i = 0; i < frames && !found; i++) {
      const frame = webviewFrame(page, i);
      if ((await frame.locator('#app[data-mode="view"] [role="grid"]').count()) > 0) {
        docked = frame;
        found = true;
      }
    }
    if (found) break;
    await page.waitForTimeout(100);
  }
  await docked.locator('#app[data-mode="view"] [role="grid"]').waitFor();
  const rows = docked.locator('.grid-row', { hasText: 'plant/' });
  await rows.nth(3).waitFor({ timeout: 10_000 });
  assert.equal(await rows.count(), 4);
  await screenshot(page, 'message-log-docked');
});

test('Publish Again pre-fills the publish prompts, and the log shows the message going out', async () => {
  const { page } = env.wb;
  await page.locator('.tabs-container .tab', { hasText: 'MQTT Message Log' }).click();
  const log = webviewFrame(page);
  const received = log.locator('.grid-row', { hasText: 'plant/pump-7/telemetry' });
  await received.nth(2).click();
  await log.getByRole('button', { name: 'Publish Again' }).click();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  assert.equal(await input.inputValue(), 'plant/pump-7/telemetry');
  await input.press('Enter');
  await page.waitForFunction(() => {
    const box = document.querySelector<HTMLInputElement>(
      '.quick-input-widget .quick-input-box input',
    );
    return box?.value.startsWith('{"pump":7');
  });
  assert.match(await input.inputValue(), /"n":2\}$/);
  await input.press('Enter'); // payload as it was
  await page
    .locator('.quick-input-list .monaco-list-row .label-name', { hasText: /^1$/ })
    .first()
    .waitFor();
  await input.press('Enter'); // QoS 1, offered first
  await page
    .locator('.quick-input-list .monaco-list-row .label-name', { hasText: 'Not retained' })
    .first()
    .waitFor();
  await input.press('Enter'); // not retained, offered first
  // The message going out is the lasting proof (the publish toast is checked in sidebar.e2e.ts;
  // a toast can be gone again on a loaded machine before it is looked for).
  const sent = log.locator('.grid-row', { has: log.locator('.dir-out') });
  await sent.first().waitFor({ timeout: 20_000 });
  assert.match((await sent.first().textContent()) ?? '', /plant\/pump-7\/telemetry/);
  await screenshot(page, 'message-log-publish-again');
});
