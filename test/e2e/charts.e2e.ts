// A live chart from the topic explorer, as a person makes one: the demo devices publish, a
// right-click on "greenhouse" (a subtree: every topic under it) offers Chart Topic…, the quick
// pick lists the numbers found in the latest messages, and picking "temperature" opens a chart
// beside the explorer with one line per sensor, drawn from the stored history and moving as new
// readings arrive.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import {
  localBrokerWorkbench,
  openActivityContainer,
  pickContextMenuItem,
  pickQuickInputItem,
  runCommand,
  typeInQuickInput,
  quickInputItems,
  screenshot,
  test,
  waitForTreeRow,
  webviewFrame,
} from './harness';

const env = localBrokerWorkbench('charts', { 'mqttScope.messageLog.openOnFirstMessage': false });

/** The webview document that holds the chart (other webviews may be open). */
function chartFrame(page: Page): Promise<FrameLocator> {
  return chartFrameWith(page, '');
}

/** The webview document of the chart whose title contains `title`. */
async function chartFrameWith(page: Page, title: string): Promise<FrameLocator> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = webviewFrame(page, i);
      if ((await frame.locator('.chart-title', { hasText: title }).count()) > 0) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no chart webview appeared');
}

test('a chart opened from the topic explorer context menu on the demo plots each sensor live', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await page
    .locator('.part.sidebar .welcome-view-content a.monaco-button', {
      hasText: 'Start Local Broker and Demo Devices',
    })
    .click();
  await waitForTreeRow(page, /Local broker\s*connected/, { timeout: 30_000 });
  await waitForTreeRow(page, /^\s*sensor-1\s*\d+ msgs?/, { timeout: 30_000 });
  // A few readings of each sensor first: the chart starts from the stored history.
  const greenhouse = await waitForTreeRow(page, /^\s*greenhouse\s*([8-9]|\d\d+) msgs/, {
    timeout: 30_000,
  }).catch(async (error: unknown) => {
    await screenshot(page, 'chart-no-greenhouse');
    throw error;
  });
  await pickContextMenuItem(page, greenhouse, 'Chart Topic…');
  const fields = await quickInputItems(page);
  for (const field of ['temperature', 'humidity', 'battery'])
    assert.ok(fields.includes(field), `no "${field}" in ${fields.join(', ')}`);
  assert.ok(!fields.includes('unit') && !fields.includes('ts'), 'text fields are not offered');
  await pickQuickInputItem(page, 'temperature');
  await page
    .locator('.tabs-container .tab', { hasText: 'Chart: demo/greenhouse/# · temperature' })
    .waitFor({ timeout: 15_000 });
  const chart = await chartFrame(page);
  const labels = chart.locator('.u-legend .u-series .u-label');
  await labels.nth(2).waitFor({ timeout: 15_000 });
  // One series per sensor, in the order their first reading came.
  assert.deepEqual(
    (await labels.allTextContents()).sort(),
    ['Time', 'demo/greenhouse/sensor-1/telemetry', 'demo/greenhouse/sensor-2/telemetry'].sort(),
  );
  const points = async () =>
    Number(
      (await chart.locator('.chart-status').textContent())
        ?.match(/^([\d,]+) points/)?.[1]
        .replace(/,/g, ''),
    );
  const first = await points();
  assert.ok(first >= 6, `${first} points from the history`);
  // Live: the next readings arrive without anything clicked.
  const deadline = Date.now() + 15_000;
  while ((await points()) < first + 2 && Date.now() < deadline) await page.waitForTimeout(250);
  assert.ok((await points()) >= first + 2, 'live points were added');
  assert.ok(Number(await chart.locator('#app').getAttribute('data-draws')) > 1);
  // Hover a value, as a person reading it would.
  const over = chart.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  await page.waitForTimeout(300);
  const values = await chart.locator('.u-legend .u-series .u-value').allTextContents();
  assert.match(values[1], /^\d+(\.\d+)?$/, `hover values ${values.join(' | ')}`);
  await screenshot(page, 'chart');
});

test('from the palette: a topic filter typed in, then the field picked, opens another chart', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /Local broker\s*connected/, { timeout: 30_000 });
  await waitForTreeRow(page, /^\s*sensor-3\s*\d+ msgs?/, { timeout: 30_000 });
  // One connection: no question which; the topic filter is asked for.
  await runCommand(page, 'MQTT: Chart Topic…');
  await typeInQuickInput(page, 'demo/cellar/+/telemetry');
  const fields = await quickInputItems(page);
  assert.ok(fields.includes('battery'), `no "battery" in ${fields.join(', ')}`);
  await pickQuickInputItem(page, 'battery');
  await page
    .locator('.tabs-container .tab', { hasText: 'Chart: demo/cellar/+/telemetry · battery' })
    .waitFor({ timeout: 15_000 });
  const frame = await chartFrameWith(page, 'demo/cellar/+/telemetry · battery');
  await frame
    .locator('.u-legend .u-series .u-label', { hasText: 'demo/cellar/sensor-3/telemetry' })
    .waitFor();
  await screenshot(page, 'chart-palette');
});
