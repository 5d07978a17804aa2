// The first minute of someone with nothing installed: the MQTT sidebar's welcome view offers
// the local broker and demo devices; one click later a device shows in the topic explorer
// without any further click, and the Message Log has opened beside it. One test: the welcome
// view and the log opening by itself happen once, before anything runs. (What a screen reader
// hears on that screen: accessibility.e2e.ts.)
import * as assert from 'node:assert/strict';
import { saveCrop } from './crop';
import {
  localBrokerWorkbench,
  openActivityContainer,
  screenshot,
  test,
  treeRowTexts,
  waitForTreeRow,
  webviewFrame,
} from './harness';

const env = localBrokerWorkbench('demo');

test('the welcome view explains how to start; its button brings the demo to life and opens the Message Log', async () => {
  const { page } = env.wb;
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

  // The Message Log opened by itself on the first message, showing traffic.
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
