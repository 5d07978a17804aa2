// The Message Log in the real VS Code UI: a real Paho client publishes, the row appears in the
// webview, selecting it opens the detail pane with the JSON pretty-printed, and "Open in Editor"
// opens the payload as a read-only JSON document; an image sent by mosquitto_pub is previewed. Each test publishes on topics of its own and
// opens the log itself, so any of them can run alone or in any order.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { makePng } from '../support/png';
import { pahoPublish } from '../support/paho';
import {
  openPlantMessageLog,
  pickContextMenuItem,
  plantWorkbench,
  runCommand,
  screenshot,
  test,
  waitForTreeRow,
} from './harness';
import { messageLogFrame, clearLogFilters, pollUntil } from './waits';

const env = plantWorkbench('message-log');
const execFileAsync = promisify(execFile);

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
  const selected = page.locator('.part.sidebar .monaco-list-row[aria-selected="true"]');
  await selected.filter({ hasText: /telemetry\s*3 msgs/ }).waitFor({ timeout: 10_000 });
  assert.equal(await selected.count(), 1);
  assert.match(await selected.innerText(), /telemetry\s*3 msgs/);
});

test('"Show Messages" on a topic filters the log to its subtree', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  const publish = (topic: string, payload: string, count: number) =>
    pahoPublish({
      port: env.broker.port,
      topic,
      payload,
      qos: 1,
      count,
      protocol: 4,
      timeoutMs: 15_000,
    });
  await publish('plant/pump-3/flow', '{"flow":{i}}', 3);
  await publish('plant/valve-2/state', 'open', 1);
  const valve = log.locator('.grid-row', { hasText: 'plant/valve-2/state' });
  await valve.waitFor();
  // Selected now, hidden by the filter below: the detail stays and says so (the extension
  // answers the webview's "is it still in the view?").
  await valve.click();
  await log.locator('.detail-topic', { hasText: 'plant/valve-2/state' }).waitFor();
  // Both topics in the tree with their final counts: no more rows move under the right-click.
  await waitForTreeRow(page, /valve-2\s*1 msg/);
  const pump = await waitForTreeRow(page, /pump-3\s*3 msgs/);
  await pickContextMenuItem(page, pump, 'Show Messages');
  const topicFilter = log.getByPlaceholder('Topic filter, e.g. sensors/+/temp');
  await log.locator('.grid-row', { hasText: 'plant/valve-2/state' }).waitFor({ state: 'detached' });
  await pollUntil('the topic filter plant/pump-3/#', async () =>
    (await topicFilter.inputValue()) === 'plant/pump-3/#' ? true : undefined,
  );
  assert.equal(await log.locator('.grid-row', { hasText: 'plant/pump-3/flow' }).count(), 3);
  await log
    .locator('.filter-hidden-notice', { hasText: 'This message is hidden by the current filter.' })
    .waitFor({ state: 'visible' });
  assert.match((await log.locator('.detail-topic').textContent()) ?? '', /plant\/valve-2\/state/);
  assert.equal(await log.locator('.grid-row[aria-selected="true"]').count(), 0);
  await screenshot(page, 'message-log-show-messages');
});

test('the log also docks in the panel area, with the same history', async () => {
  const { page } = env.wb;
  const panel = await openPlantMessageLog(page);
  for (const topic of ['plant/dock/a', 'plant/dock/b'])
    await pahoPublish({
      port: env.broker.port,
      topic,
      payload: `for ${topic}`,
      qos: 1,
      count: 2,
      protocol: 5,
      timeoutMs: 15_000,
    });
  await panel.locator('.grid-row', { hasText: 'plant/dock/' }).nth(3).waitFor();
  await runCommand(page, 'Focus on Message Log View');
  const { frame: docked } = await messageLogFrame(page, 'view');
  await clearLogFilters(docked);
  const rows = docked.locator('.grid-row', { hasText: 'plant/dock/' });
  await rows.nth(3).waitFor({ timeout: 10_000 });
  assert.deepEqual(
    await rows.allTextContents(),
    await panel.locator('.grid-row', { hasText: 'plant/dock/' }).allTextContents(),
    'the docked log shows the rows of the editor tab',
  );
  assert.equal(await rows.count(), 4);
  await screenshot(page, 'message-log-docked');
});

test('Publish Again pre-fills the publish prompts, and the log shows the message going out', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  await pahoPublish({
    port: env.broker.port,
    topic: 'plant/pump-9/telemetry',
    payload: '{"pump":9,"flow":3.5,"n":{i}}',
    qos: 1,
    count: 1,
    protocol: 5,
    timeoutMs: 15_000,
  });
  const received = log.locator('.grid-row', { hasText: 'plant/pump-9/telemetry' });
  await received.first().click();
  await log.getByRole('button', { name: 'Publish Again' }).click();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  assert.equal(await input.inputValue(), 'plant/pump-9/telemetry');
  await input.press('Enter');
  await page.waitForFunction(() => {
    const box = document.querySelector<HTMLInputElement>(
      '.quick-input-widget .quick-input-box input',
    );
    return box?.value.startsWith('{"pump":9');
  });
  assert.match(await input.inputValue(), /"n":0\}$/);
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
  await page
    .locator('.quick-input-list .monaco-list-row .label-name', { hasText: /^Publish$/ })
    .first()
    .waitFor();
  await input.press('Enter'); // MQTT 5: publish, offered first
  // The message going out is the lasting proof (the publish toast is checked in sidebar.e2e.ts;
  // a toast can be gone again on a loaded machine before it is looked for).
  const sent = log.locator('.grid-row', {
    has: log.locator('.dir-out'),
    hasText: 'plant/pump-9/telemetry',
  });
  await sent.first().waitFor({ timeout: 20_000 });
  await screenshot(page, 'message-log-publish-again');
});

test('an image sent by mosquitto_pub shows as a preview, under a policy that allows only blob: images more', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  const file = path.join(os.tmpdir(), `mqtt-scope-e2e-${process.pid}.png`);
  fs.writeFileSync(
    file,
    makePng(320, 120, (x, y) => [x % 256, y * 2, 180, 255]),
  );
  try {
    await execFileAsync('mosquitto_pub', [
      ...['-h', '127.0.0.1', '-p', String(env.broker.port), '-V', 'mqttv5', '-q', '1'],
      ...['-t', 'plant/cam-1/snapshot', '-f', file, '-D', 'publish', 'content-type', 'image/png'],
    ]);
  } finally {
    fs.rmSync(file, { force: true });
  }
  const row = log.locator('.grid-row', { hasText: 'plant/cam-1/snapshot' });
  await row.first().waitFor({ timeout: 10_000 });
  await row.first().click();
  await log.locator('.payload-image-img').waitFor();
  assert.equal(await log.locator('.payload').getAttribute('data-view'), 'image');
  assert.match(
    (await log.locator('.decoded-by').textContent()) ?? '',
    /PNG image · content type image\/png/,
  );
  const size = await pollUntil('the image to load', async () => {
    const s = await log
      .locator('.payload-image-img')
      .evaluate((n) => [
        (n as HTMLImageElement).naturalWidth,
        (n as HTMLImageElement).naturalHeight,
      ]);
    return s[0] > 0 ? s : undefined;
  });
  assert.deepEqual(size, [320, 120]);
  // The page's policy in the real webview: the shell's own, with blob: images and nothing more.
  const csp =
    (await log.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  const directives = csp
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  assert.equal(directives[0], "default-src 'none'");
  const sources = (name: string) =>
    directives
      .find((d) => d.startsWith(`${name} `))
      ?.split(' ')
      .slice(1) ?? [];
  // The webview's own source (as for styles), data: and blob:, nothing else.
  assert.deepEqual(sources('img-src'), [...sources('style-src'), 'data:', 'blob:']);
  assert.deepEqual(
    directives.map((d) => d.split(' ')[0]),
    ['default-src', 'style-src', 'font-src', 'img-src', 'script-src'],
    'no connect-src, frame-src or other loosening',
  );
  await log.locator('.payload-image-caption').scrollIntoViewIfNeeded();
  await screenshot(page, 'message-log-image-preview');
});
