// Who Floods in the real VS Code UI during a demo burst: "MQTT: Show Who Floods" opens the view
// in the panel area, the burst's topics rank with their rates and sparklines, the topic
// explorer's rows show their rate, and a click on a row opens the Message Log filtered to that
// topic and connection.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import {
  escapeRe,
  localBrokerWorkbench,
  openActivityContainer,
  pickQuickInputItem,
  runCommand,
  screenshot,
  test,
  treeRowTexts,
  waitForTreeRow,
} from './harness';
import { messageLogFrame, pollUntil } from './waits';

const env = localBrokerWorkbench('floods', { 'mqttScope.messageLog.openOnFirstMessage': false });

/** The Who Floods webview among the workbench's webviews. */
function floodsFrame(page: Page): Promise<FrameLocator> {
  return pollUntil('the Who Floods view to show', async () => {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = page
        .frameLocator('iframe.webview.ready')
        .nth(i)
        .frameLocator('iframe#active-frame');
      if ((await frame.locator('#app.floods').count()) > 0) return frame;
    }
    return undefined;
  });
}

test('Who Floods ranks a demo burst live, and a row opens the log filtered to its topic', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Start Demo Devices');
  await waitForTreeRow(page, /Local broker\s*connected/, { timeout: 30_000 });

  await runCommand(page, 'MQTT: Show Who Floods');
  const floods = await floodsFrame(page);
  await floods.locator('tr.flood-row').first().waitFor({ timeout: 15_000 });

  await runCommand(page, 'MQTT: Demo Burst (Load Test the Log)');
  await pickQuickInputItem(page, '1,000 messages/s for 10 s');
  const rows = floods.locator('tr.flood-row', { hasText: 'demo/burst/' });
  await pollUntil('burst topics in the ranking', async () => (await rows.count()) >= 10, {
    timeout: 20_000,
  });
  const first = floods.locator('tr.flood-row').first();
  const cells = await first.locator('td').allTextContents();
  // Half of the burst goes to one topic: it tops the ranking.
  assert.equal(cells[0], 'demo/burst/0', `the flooded topic first: ${cells.join(' | ')}`);
  assert.equal(cells[1], 'Local broker');
  assert.match(cells[2], /^\d+(\.\d)?\/s$/);
  assert.match(cells[3], /^\d+(\.\d+)? (B|KiB|MiB)\/s$/);
  const points = await first.locator('.spark-line').getAttribute('points');
  assert.equal(points?.split(' ').length, 60, 'a sparkline of the last 60 seconds');
  await page.mouse.move(5, 5);
  await screenshot(page, 'who-floods');

  // The topic explorer shows each topic's rate.
  const withRate = await pollUntil('a topic row with its rate', async () =>
    (await treeRowTexts(page)).find((t) => /^\S+ \d+ msgs? · \d+(\.\d)?\/s · /.test(t)),
  );
  assert.ok(withRate);

  // A click on a row: the Message Log, filtered to the topic and the connection.
  // The order moves every second: click the row of a topic read from it.
  const topic = (await first.locator('td').first().textContent()) ?? '';
  await floods
    .locator('tr.flood-row')
    .filter({
      has: floods.locator('td.col-topic', { hasText: new RegExp(`^${escapeRe(topic)}$`) }),
    })
    .click();
  const { frame: log } = await messageLogFrame(page, 'panel');
  const filter = log.getByRole('textbox', { name: 'Topic filter' });
  await pollUntil('the topic filter', async () => (await filter.inputValue()) === topic);
  assert.equal(await log.locator('select.connection-filter').inputValue(), 'Local broker');
  await log.locator('.grid-row', { hasText: topic }).first().waitFor({ timeout: 15_000 });
  await screenshot(page, 'who-floods-log');
});
