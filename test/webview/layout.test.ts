/**
 * The layout at the sizes the log meets: the docked panel (1400×300), a small editor (800×600)
 * and a full screen (1920×1080). The toolbar stays on one line, the grid keeps enough rows with
 * the detail open, the detail goes beside the grid when the view is wide and low, a long topic
 * takes three lines at most, and the splitter (pointer and keyboard) is remembered.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { LogHost } from './logHost';
import { screenshot, settle, visibleSeqs, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { open } = browserPerFile();

const LONG_TOPIC = `factory/${'line-7/cell_42/'.repeat(40)}typed_with_keyboard`;

async function openWith(
  width: number,
  height: number,
  mode: 'panel' | 'view',
): Promise<{ log: LogPage; host: LogHost; seq: number }> {
  const host = new LogHost();
  host.fill(300, 20);
  const seq = host.add(LONG_TOPIC, '{"typed_with_keyboard":"gy"}');
  host.fill(5, 5);
  const log = await open({ host, width, height, mode });
  await settle(log);
  await host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    'the detail of the long topic',
  );
  await settle(log, 30);
  return { log, host, seq };
}

/** The toolbar's controls all sit on one line, and nothing sticks out of it. */
async function toolbarLines(page: Page): Promise<{ lines: number; overflow: number }> {
  return page.evaluate(() => {
    const bar = document.querySelector<HTMLElement>('.toolbars')!;
    const tops = new Set<number>();
    for (const n of Array.from(
      bar.querySelectorAll<HTMLElement>('.btn, input[type="text"], select, .status, .field'),
    )) {
      if (n.offsetParent === null || n.closest('.popover')) continue;
      const r = n.getBoundingClientRect();
      tops.add(Math.round((r.top + r.bottom) / 2 / 8));
    }
    return { lines: tops.size, overflow: bar.scrollWidth - bar.clientWidth };
  });
}

const box = (page: Page, selector: string) =>
  page.$eval(selector, (n) => {
    const r = n.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
  });

describe('layout', () => {
  for (const [width, height, mode, minRows, beside] of [
    [1400, 300, 'view', 8, true],
    [800, 600, 'panel', 10, false],
    [1920, 1080, 'panel', 20, false],
  ] as const) {
    it(`at ${width}×${height} (${mode}): one-line toolbar, ${minRows}+ rows, bounded topic`, async () => {
      const { log, host } = await openWith(width, height, mode);
      const { page } = log;
      try {
        const tb = await toolbarLines(page);
        assert.deepEqual(tb, { lines: 1, overflow: 0 }, 'the toolbar is one line');
        const rows = (await visibleSeqs(page)).length;
        assert.ok(rows >= minRows, `${rows} rows visible with the detail open`);

        const grid = await box(page, '.grid');
        const detail = await box(page, '.detail');
        if (beside) assert.ok(detail.left >= grid.right - 1, 'the detail is beside the grid');
        else assert.ok(detail.top >= grid.bottom - 1, 'the detail is below the grid');

        // The long topic: three lines at most, the whole of it in the tooltip and one click away.
        const lineHeight = await page.$eval('.detail-topic', (n) =>
          parseFloat(getComputedStyle(n).lineHeight),
        );
        const topic = await box(page, '.detail-topic');
        assert.ok(topic.height <= 3 * lineHeight + 1, `topic ${topic.height} px tall`);
        assert.equal(await page.getAttribute('.detail-topic', 'title'), LONG_TOPIC);
        await screenshot(page, `layout-${width}x${height}`);
        const expand = page.locator('.topic-expand');
        assert.equal(await expand.isVisible(), true, 'a cut topic offers to show it whole');
        assert.equal(await expand.getAttribute('aria-expanded'), 'false');
        await expand.click();
        assert.equal(await expand.getAttribute('aria-expanded'), 'true');
        assert.equal(await page.textContent('.detail-topic'), LONG_TOPIC);
        assert.ok((await box(page, '.detail-topic')).height > topic.height, 'shown whole');
        await expand.click();
        assert.ok((await box(page, '.detail-topic')).height <= 3 * lineHeight + 1, 'folded');
        assert.deepEqual(log.errors, []);
      } finally {
        await log.close();
        host.dispose();
      }
    });
  }

  it('a short topic offers no expander', async () => {
    const host = new LogHost();
    const seq = host.add('plant/pump', '1');
    const log = await open({ host, width: 1200, height: 700 });
    try {
      await settle(log);
      await host.select(seq);
      await waitUntil(() => log.page.$('.detail-topic'), 'the detail');
      await settle(log, 30);
      assert.equal(await log.page.locator('.topic-expand').isVisible(), false);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('the splitter drags, moves with the keys, and is remembered after a reload', async () => {
    const { log, host } = await openWith(800, 600, 'panel');
    const { page } = log;
    try {
      const splitter = page.locator('[role="separator"]');
      assert.equal(await splitter.getAttribute('aria-orientation'), 'horizontal');
      const before = { grid: await box(page, '.grid'), detail: await box(page, '.detail') };
      const s = await box(page, '.splitter');
      const x = 400;
      const y = (s.top + s.bottom) / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y - 60, { steps: 4 });
      await page.mouse.move(x, y - 120, { steps: 4 });
      await page.mouse.up();
      const after = { grid: await box(page, '.grid'), detail: await box(page, '.detail') };
      assert.ok(Math.abs(after.grid.height - (before.grid.height - 120)) <= 3, 'grid shrank');
      assert.ok(Math.abs(after.detail.height - (before.detail.height + 120)) <= 3, 'detail grew');
      await settle(log);
      const rows = (await visibleSeqs(page)).length;
      assert.ok(rows >= 4, `the grid still shows ${rows} rows`);

      // Keys: the separator's value is the list's share in percent.
      await splitter.focus();
      const v0 = Number(await splitter.getAttribute('aria-valuenow'));
      await page.keyboard.press('ArrowDown');
      assert.equal(Number(await splitter.getAttribute('aria-valuenow')), v0 + 5);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      assert.equal(Number(await splitter.getAttribute('aria-valuenow')), v0 - 5);
      const kept = await box(page, '.detail');
      const share = 1 - Number(await splitter.getAttribute('aria-valuenow')) / 100;
      await waitUntil(() => {
        const last = log.states.at(-1) as { detailShare?: { stacked: number } } | undefined;
        return last?.detailShare && Math.abs(last.detailShare.stacked - share) < 0.01;
      }, 'the share saved');
      await page.reload();
      await page.waitForSelector('.grid[aria-rowcount]');
      await settle(log);
      const reloaded = await box(page, '.detail');
      assert.ok(
        Math.abs(reloaded.height - kept.height) <= 2,
        `${reloaded.height} vs ${kept.height}`,
      );
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('beside the grid, the splitter moves sideways and keeps its own size', async () => {
    const { log, host } = await openWith(1400, 300, 'view');
    const { page } = log;
    try {
      const splitter = page.locator('[role="separator"]');
      assert.equal(await splitter.getAttribute('aria-orientation'), 'vertical');
      const before = await box(page, '.detail');
      const s = await box(page, '.splitter');
      await page.mouse.move(s.left + 2, 150);
      await page.mouse.down();
      await page.mouse.move(s.left + 2 - 200, 150, { steps: 5 });
      await page.mouse.up();
      const after = await page.$eval('.detail', (n) => n.getBoundingClientRect().width);
      const beforeWidth = before.right - before.left;
      assert.ok(Math.abs(after - (beforeWidth + 200)) <= 3, `${after} vs ${beforeWidth} + 200`);
      await splitter.focus();
      const v0 = Number(await splitter.getAttribute('aria-valuenow'));
      await page.keyboard.press('ArrowRight');
      assert.equal(Number(await splitter.getAttribute('aria-valuenow')), v0 + 5);
      await waitUntil(
        () =>
          log.states.some((st) => {
            const share = (st as { detailShare: { stacked: number; beside: number } }).detailShare;
            return share.beside > 0.5 && share.stacked === 0.45;
          }),
        'the beside share saved apart from the stacked one',
      );
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('when narrow, the less-used filters fold into a Filters popover', async () => {
    const { log, host } = await openWith(800, 600, 'panel');
    const { page } = log;
    try {
      const button = page.locator('.filters-button');
      assert.equal(await button.isVisible(), true);
      assert.equal(await page.locator('.direction-filter').isVisible(), false);
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      await button.click();
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.locator('.direction-filter').isVisible(), true);
      assert.equal(
        await page.evaluate(() => document.activeElement?.closest('.more-filters') !== null),
        true,
        'focus moves into the popover',
      );
      await screenshot(page, 'filters-popover');
      await page.selectOption('.direction-filter', 'out');
      await waitUntil(
        () => host.ofType('setFilter').at(-1)?.filter.direction === 'out',
        'the direction filter',
      );
      assert.equal(await page.textContent('.filters-count'), '1', 'the button counts it');
      await page.keyboard.press('Escape');
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('.direction-filter').isVisible(), false);
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('filters-button')),
        true,
        `Escape gives focus back to the button (at ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))})`,
      );
      // A click outside closes it too.
      await button.click();
      await page.mouse.click(400, 300);
      assert.equal(await button.getAttribute('aria-expanded'), 'false');

      // Wide again: the filters are back in the toolbar and the button is gone.
      await page.setViewportSize({ width: 1920, height: 600 });
      await waitUntil(() => page.locator('.direction-filter').isVisible(), 'inline filters');
      assert.equal(await button.isVisible(), false);
      assert.deepEqual(await toolbarLines(page), { lines: 1, overflow: 0 });
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });
});
