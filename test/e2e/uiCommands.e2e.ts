// Commands a user meets in the workbench rather than in the palette: Publish to This Topic and
// Copy Topic on a topic's row, the status bar item that selects the active connection, and the
// Message Log tab that comes back after the window reloads. Two profiles on one Mosquitto:
// "plant" connects by itself, "line" when picked; each test publishes on topics of its own.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { pahoPublish } from '../support/paho';
import {
  openActivityContainer,
  openPlantMessageLog,
  pickContextMenuItem,
  pickQuickInputItem,
  plantWorkbench,
  quickInputItems,
  quickInputRow,
  screenshot,
  test,
  typeInQuickInput,
  waitForTreeRow,
} from './harness';
import { messageLogFrame, pollUntil } from './waits';

const env = plantWorkbench('ui-commands', (url) => [
  { name: 'line', url, subscriptions: [{ topic: 'line/#', qos: 1 }] },
]);

/** Publishes `count` messages with a real Paho client and waits for the topic's leaf row. */
async function topicRow(page: Page, topic: string, payload: string) {
  await pahoPublish({
    port: env.broker.port,
    topic,
    payload,
    qos: 1,
    count: 1,
    protocol: 5,
    timeoutMs: 15_000,
  });
  await openActivityContainer(page, 'MQTT');
  const leaf = topic.split('/').pop()!;
  return waitForTreeRow(page, new RegExp(`^\\s*${leaf}\\s*1 msg`));
}

test('Publish to This Topic on a topic row asks only for the payload, and the message arrives', async () => {
  const { page } = env.wb;
  const row = await topicRow(page, 'plant/lamps/lamp-4', 'off');
  await row.hover();
  await row.locator('.action-label[aria-label="Publish to This Topic"]').click();
  // The topic is the row's: the first prompt is the payload's, and it names the topic.
  const title = page.locator('.quick-input-widget .quick-input-title');
  await title.filter({ hasText: '(2/4)' }).waitFor();
  assert.match((await title.textContent()) ?? '', /Publish to "plant\/lamps\/lamp-4" \(2\/4\)/);
  await screenshot(page, 'publish-to-this-topic');
  await typeInQuickInput(page, 'on');
  await title.filter({ hasText: '(3/4)' }).waitFor();
  await pickQuickInputItem(page, '1');
  await title.filter({ hasText: '(4/4)' }).waitFor();
  await pickQuickInputItem(page, 'Not retained');
  await pickQuickInputItem(page, 'Publish'); // MQTT 5: publish without properties

  // It went out on "plant", and came back through plant's subscription to plant/#.
  await waitForTreeRow(page, /^\s*lamp-4\s*2 msgs · (\S+\/s · )?on/);
  const log = await openPlantMessageLog(page);
  const rows = log.locator('.grid-row', { hasText: 'plant/lamps/lamp-4' });
  await rows.filter({ has: log.locator('.dir-out'), hasText: 'on' }).waitFor();
  await rows.filter({ has: log.locator('.dir-in'), hasText: 'on' }).waitFor();
  await screenshot(page, 'publish-to-this-topic-arrived');
});

test('Copy Topic on a topic row puts the whole topic on the clipboard', async () => {
  const { page, server } = env.wb;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(server.url).origin,
  });
  const topic = 'plant/meters/meter-12';
  const row = await topicRow(page, topic, '42 kWh');
  await pickContextMenuItem(page, row, 'Copy Topic');
  await page.locator('.part.statusbar', { hasText: `Copied topic "${topic}"` }).waitFor();
  await pollUntil('the topic on the clipboard', async () =>
    (await page.evaluate(() => navigator.clipboard.readText())) === topic ? true : undefined,
  );
  // Pasted where a user would paste it: the quick open box.
  await page.keyboard.press('F1');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ state: 'visible' });
  await box.fill('');
  await box.press('ControlOrMeta+V');
  await pollUntil('the pasted topic', async () =>
    (await box.inputValue()) === topic ? true : undefined,
  );
  await screenshot(page, 'copy-topic-pasted');
  await page.keyboard.press('Escape');
});

test('clicking the status bar item picks the active connection', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  const item = page.locator('.part.statusbar [aria-label^="MQTT connection"]').first();
  await item.waitFor();
  // Whichever is active now (another test may have changed it), pick the other one; a
  // connection that is down connects when picked.
  const label = (await item.getAttribute('aria-label')) ?? '';
  const other = label.startsWith('MQTT connection plant') ? 'line' : 'plant';
  await item.click();
  // Each connection is a row (its label, then its URL as the detail line).
  const items = (await quickInputItems(page)).map((t) => t.trim());
  const url = `mqtt://127.0.0.1:${env.broker.port}`;
  assert.deepEqual(items.filter((t) => t !== url).sort(), ['line', 'plant']);
  await screenshot(page, 'select-active-connection');
  await pickQuickInputItem(page, other);
  await page
    .locator(`.part.statusbar [aria-label="MQTT connection ${other}: connected"]`)
    .first()
    .waitFor();
  assert.match((await item.innerText()).trim(), new RegExp(`MQTT: ${other}$`));
});

test('the Message Log tab comes back after a reload and works', async () => {
  const { page } = env.wb;
  let log = await openPlantMessageLog(page);
  await pahoPublish({
    port: env.broker.port,
    topic: 'plant/restore/before',
    payload: 'before the reload',
    qos: 1,
    count: 2,
    protocol: 5,
    timeoutMs: 15_000,
  });
  await log.locator('.grid-row', { hasText: 'plant/restore/before' }).nth(1).waitFor();

  // Developer: Reload Window, as a user reloads: the workbench saves its editors first (a bare
  // page reload can cut that short).
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page
    .locator('.quick-input-widget .quick-input-box input')
    .fill('>Developer: Reload Window');
  await quickInputRow(page, 'Developer: Reload Window').first().click();
  await reloaded;
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  // The tab is restored by the webview panel serializer, with its grid. The extension host
  // starts anew, so the rows before the reload are gone; the log works with what comes next.
  await page
    .locator('.tabs-container .tab', { hasText: 'MQTT Message Log' })
    .waitFor({ timeout: 30_000 });
  log = (await messageLogFrame(page, 'panel', { timeout: 30_000 })).frame;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /plant\s*connected/, { timeout: 30_000 });
  await pahoPublish({
    port: env.broker.port,
    topic: 'plant/restore/after',
    payload: 'after the reload',
    qos: 1,
    count: 3,
    protocol: 5,
    timeoutMs: 15_000,
  });
  const after = log.locator('.grid-row', { hasText: 'plant/restore/after' });
  await after.nth(2).waitFor();
  // Its filter works: only the rows under the topic filter remain.
  await log.getByRole('textbox', { name: 'Topic filter' }).fill('plant/restore/after');
  await pollUntil('the filtered rows', async () => {
    const texts = await log.locator('.grid-row').allTextContents();
    return texts.length === 3 && texts.every((t) => t.includes('plant/restore/after'));
  });
  await screenshot(page, 'message-log-restored');
});
