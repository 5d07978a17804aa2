// The Message Log docked in the panel area, in the real VS Code UI, at the size a panel has on
// a laptop: 1400 px wide and about 300 px tall. With a message selected the detail sits beside
// the grid, the toolbar is one line and the grid still shows rows. Also: topic explorer rows
// whose labels have underscores and descenders keep all their ink.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { pahoPublish } from '../support/paho';
import { clippedText } from '../webview/ink';
import {
  openActivityContainer,
  plantWorkbench,
  runCommand,
  screenshot,
  test,
  waitForTreeRow,
} from './harness';
import { clearLogFilters, messageLogFrame, pollUntil } from './waits';

const env = plantWorkbench('message-log-docked');

const LONG_TOPIC = `plant/typed_with_keyboard/${'line_7/cell_42/'.repeat(12)}gy`;

/** Expands tree rows labelled `labels` (in order) until a row matching `until` shows. */
async function expandTo(page: Page, labels: string[], until: RegExp): Promise<void> {
  await pollUntil(`a tree row ${String(until)}`, async () => {
    if (await page.locator('.part.sidebar .monaco-list-row', { hasText: until }).count())
      return true;
    for (const label of labels) {
      const row = page
        .locator('.part.sidebar .monaco-list-row[aria-expanded="false"]')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) })
        .first();
      if (await row.count()) {
        await row.click();
        break;
      }
    }
    return undefined;
  });
  await waitForTreeRow(page, until);
}

test('topic explorer labels with underscores and descenders are not clipped', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /plant\s*connected/);
  await pahoPublish({
    port: env.broker.port,
    topic: 'plant/typed_with_keyboard/gy_probe',
    payload: 'typed_with_keyboard a__b gy|',
    qos: 1,
    count: 1,
    protocol: 5,
    timeoutMs: 15_000,
  });
  await expandTo(page, ['plant', 'typed_with_keyboard'], /gy_probe/);
  const labels =
    '.part.sidebar .monaco-list-row .label-name, .part.sidebar .monaco-list-row .label-description';
  const texts = await page.locator(labels).allTextContents();
  assert.ok(
    texts.some((t) => t.includes('typed_with_keyboard a__b gy|')),
    `a payload preview with underscores is shown: ${texts.join(' | ')}`,
  );
  const boxes = await page
    .locator(labels)
    .evaluateAll((ns) =>
      ns.map((n) => ({ text: n.textContent, scroll: n.scrollHeight, client: n.clientHeight })),
    );
  for (const b of boxes) assert.ok(b.scroll <= b.client, `"${b.text}" fits its line box`);
  assert.deepEqual(await clippedText(page, labels), []);
  await screenshot(page, 'sidebar-underscores');
});

test('the docked panel at 1400×300: detail beside the grid, one-line toolbar, rows visible', async (t) => {
  const { page } = env.wb;
  await pahoPublish({
    port: env.broker.port,
    topic: 'plant/pump_7/telemetry',
    payload: '{"n":{i},"typed_with_keyboard":true}',
    qos: 1,
    count: 15,
    protocol: 5,
    timeoutMs: 15_000,
  });
  await pahoPublish({
    port: env.broker.port,
    topic: LONG_TOPIC,
    payload: 'typed_with_keyboard',
    qos: 1,
    count: 1,
    protocol: 5,
    timeoutMs: 15_000,
  });
  const viewport = page.viewportSize()!;
  await runCommand(page, 'View: Close Primary Side Bar');
  await runCommand(page, 'Focus on Message Log View');
  const { frame: log, index } = await messageLogFrame(page, 'view');
  await clearLogFilters(log);
  await log.locator('.grid-row', { hasText: 'plant/typed_with_keyboard/line' }).waitFor();

  // Size the window so the panel's webview is 1400×300: maximized, the panel spans the window
  // less the activity bar, the status bar and its own title.
  await runCommand(page, 'View: Toggle Maximized Panel');
  // The other tests of this file start from the usual layout, whatever happens here.
  t.after(async () => {
    await page.setViewportSize(viewport);
    await runCommand(page, 'View: Toggle Maximized Panel');
  });
  const iframe = page.locator('iframe.webview.ready').nth(index);
  const fits = (b: { width: number; height: number } | null) =>
    !!b && Math.abs(b.width - 1400) <= 2 && Math.abs(b.height - 300) <= 4;
  for (let i = 0; i < 3; i++) {
    const b = (await iframe.boundingBox())!;
    const vp = page.viewportSize()!;
    if (fits(b)) break;
    await page.setViewportSize({
      width: Math.round(vp.width + 1400 - b.width),
      height: Math.round(vp.height + 300 - b.height),
    });
    // The workbench lays the panel out again on the resize: wait for the webview to follow.
    await pollUntil('the webview to take its new size', async () => {
      const now = await iframe.boundingBox();
      return now && (now.width !== b.width || now.height !== b.height || fits(now));
    }).catch(() => undefined);
  }
  const size = (await iframe.boundingBox())!;
  assert.ok(Math.abs(size.width - 1400) <= 2, `the panel is ${size.width} px wide`);
  assert.ok(size.height >= 280 && size.height <= 320, `the panel is ${size.height} px tall`);

  await log.locator('.grid-row', { hasText: 'plant/typed_with_keyboard/line' }).click();
  await log.locator('.detail-meta').waitFor();
  const layout = await log.locator('#app').evaluate((app) => {
    // No named helpers in here: the page has no __name for tsx's keepNames wrappers.
    const bar = app.querySelector<HTMLElement>('.toolbars')!;
    const tops = new Set<number>();
    for (const n of Array.from(
      bar.querySelectorAll<HTMLElement>('.btn, input[type="text"], select, .status'),
    )) {
      if (n.offsetParent === null || n.closest('.popover')) continue;
      const r = n.getBoundingClientRect();
      tops.add(Math.round((r.top + r.bottom) / 2 / 8));
    }
    const rows = app.querySelector('.grid-rows')!.getBoundingClientRect();
    const visibleRows = Array.from(app.querySelectorAll('.grid-row')).filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= rows.top - 1 && b.bottom <= rows.bottom + 1;
    }).length;
    const topic = app.querySelector('.detail-topic')!;
    return {
      toolbarLines: tops.size,
      overflow: bar.scrollWidth - bar.clientWidth,
      visibleRows,
      beside:
        app.querySelector('.detail')!.getBoundingClientRect().left >=
        app.querySelector('.grid')!.getBoundingClientRect().right - 1,
      topicLines:
        topic.getBoundingClientRect().height / parseFloat(getComputedStyle(topic).lineHeight),
      title: topic.getAttribute('title'),
    };
  });
  await screenshot(page, 'message-log-docked-1400x300');
  assert.equal(layout.toolbarLines, 1, 'the toolbar is one line');
  assert.equal(layout.overflow, 0, 'nothing sticks out of the toolbar');
  assert.ok(layout.visibleRows >= 8, `${layout.visibleRows} rows visible with the detail open`);
  assert.equal(layout.beside, true, 'the detail is beside the grid');
  assert.ok(layout.topicLines <= 3.05, `the topic takes ${layout.topicLines} lines`);
  assert.equal(layout.title, LONG_TOPIC);
  assert.equal(
    await log.locator('.payload-text').textContent(),
    'typed_with_keyboard',
    'the payload reads as sent',
  );
});
