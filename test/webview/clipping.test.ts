/**
 * No text is cut off: underscores, descenders, bars, combining marks and emoji keep all their
 * ink in the grid, the detail pane (header, fields, text, JSON and hex views) and the toolbar,
 * at the theme's fonts, at font sizes from 11 to 20 px and at a zoomed device scale.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { screenshot, settle, waitUntil, type LogPage } from './harness';
import { clippedText } from './ink';
import { browserPerFile } from './perFile';

const { open } = browserPerFile();

/** Glyphs that reach below the baseline, above the cap height, or come from fallback fonts. */
const SAMPLE = 'typed_with_keyboard a__b gy| e\u0301 Z\u0336 \u{1F600}';

const EVERYWHERE = [
  '.grid-header .cell',
  '.grid-row .cell',
  '.toolbar .btn-label',
  '.status',
  'input',
  'select',
  '.detail-topic',
  '.detail-meta dd',
  '.payload-toolbar .btn-label',
].join(', ');

async function openAt(size: number, zoom: number): Promise<{ log: LogPage; host: LogHost }> {
  const host = new LogHost();
  const seq = host.add(`plant/${SAMPLE}`, SAMPLE);
  const log = await open({ host, width: 1200, height: 700, deviceScaleFactor: zoom });
  // The theme's font sizes, set the way VS Code sets them: variables on <html>.
  await log.page.evaluate((px) => {
    const root = document.documentElement.style;
    root.setProperty('--vscode-font-size', `${px}px`);
    root.setProperty('--vscode-editor-font-size', `${px}px`);
  }, size);
  await settle(log);
  await host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    'the detail pane',
  );
  await settle(log, 30);
  return { log, host };
}

async function view(log: LogPage, name: 'text' | 'json' | 'hex'): Promise<void> {
  await log.page.click(`.view-${name}`);
  await log.page.waitForSelector(`.payload[data-view="${name}"]`);
}

function report(clipped: Awaited<ReturnType<typeof clippedText>>): string {
  return clipped
    .map((c) => `${c.what} "${c.text}": ${c.above} px above, ${c.below} below`)
    .join('\n');
}

describe('text is never clipped', () => {
  for (const [size, zoom] of [
    [11, 1],
    [13, 1],
    [14, 1],
    [16, 1],
    [20, 1],
    [14, 2],
  ] as const) {
    it(`at ${size} px fonts, zoom ${zoom}`, async () => {
      const { log, host } = await openAt(size, zoom);
      try {
        await view(log, 'text');
        const clipped = await clippedText(log.page, `${EVERYWHERE}, .payload-text`);
        if (size === 14 && zoom === 1) await screenshot(log.page, 'clipping-14px');
        assert.deepEqual(clipped, [], report(clipped));

        // The text box is as tall as its line box: nothing to scroll, nothing hidden.
        const box = await log.page.$eval('.payload-text', (n) => ({
          scroll: n.scrollHeight,
          client: n.clientHeight,
          text: n.textContent,
        }));
        assert.equal(box.text, SAMPLE, 'the payload reads as sent');
        assert.ok(box.scroll <= box.client, `payload text ${box.scroll} > ${box.client} px`);

        if (zoom === 1 && (size === 14 || size === 20)) {
          await view(log, 'hex');
          const hex = await clippedText(log.page, '.hexdump pre');
          assert.deepEqual(hex, [], report(hex));
          // A JSON string shows the same glyphs in the JSON view.
          host.add('plant/json', JSON.stringify({ typed_with_keyboard: SAMPLE }));
          await host.announce();
          await host.select(host.store.stats().lastSeq);
          await waitUntil(
            async () => (await log.page.textContent('.detail-topic')) === 'plant/json',
            'the JSON message',
          );
          await view(log, 'json');
          const json = await clippedText(log.page, '.payload-json .json-line');
          assert.deepEqual(json, [], report(json));
        }
        assert.deepEqual(log.errors, []);
      } finally {
        await log.close();
        host.dispose();
      }
    });
  }
});
