/**
 * The Who Floods page in a real browser with its real binding behind it: the empty state, rows
 * ranked as the rates roll with a drawn sparkline, hostile topics shown as text with their
 * invisible characters marked, the pickers changing what the host ranks, a click and Enter
 * opening the log on the topic, and no CSP violation or page error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { screenshot, waitUntil } from './harness';
import { openFloods, type FloodsPage } from './floodsPage';

const rowTexts = (f: FloodsPage) =>
  f.page.$$eval('tr.flood-row', (rows) =>
    rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent ?? '')),
  );

describe('Who Floods page', () => {
  let browser: Browser;
  let floods: FloodsPage;

  before(async () => {
    const { launchBrowser } = (await import('../../scripts/vscode-host/browser.mjs')) as {
      launchBrowser(): Promise<Browser>;
    };
    browser = await launchBrowser();
    floods = await openFloods(browser);
  });

  after(async () => {
    await floods?.close();
    await browser?.close();
  });

  it('shows the empty state before any traffic', async () => {
    await floods.page.waitForSelector('.floods-empty:not([hidden])');
    const text = await floods.page.textContent('.floods-empty');
    assert.match(text ?? '', /No messages in the last 10 seconds/);
    assert.equal(await floods.page.isHidden('.floods-table'), true);
  });

  it('ranks topics as the rates roll, each with a sparkline, hostile text as text', async () => {
    floods.receive('plant', 'demo/burst/7', 40);
    floods.receive('plant', 'evil/\u202Egnp.exe<img src=x>', 5, 4000);
    floods.receive('lab', 'lab/temp', 2);
    floods.scheduler.advance(1000);
    floods.receive('plant', 'demo/burst/7', 80);
    floods.scheduler.advance(1000);
    const rows = await waitUntil(async () => {
      const r = await rowTexts(floods);
      return r.length === 3 && r[0][2] === '60/s' ? r : false;
    }, 'three ranked rows');
    if (!rows) return;
    // 120 messages of 20 bytes over 2 s.
    assert.deepEqual(rows[0].slice(0, 4), ['demo/burst/7', 'plant', '60/s', '1.2 KiB/s']);
    assert.equal(rows[1][0], 'evil/⟨U+202E⟩gnp.exe<img src=x>', 'marked, and no element made');
    assert.equal(await floods.page.$$eval('tr.flood-row img', (n) => n.length), 0);
    const points = await floods.page.$eval('tr.flood-row .spark-line', (n) =>
      n.getAttribute('points'),
    );
    const ys = (points ?? '').split(' ').map((p) => Number(p.split(',')[1]));
    assert.equal(ys.length, 60);
    assert.ok(ys[59] < ys[58] && ys[58] < ys[0], 'the last second is the peak');
    assert.equal(await floods.page.isHidden('.floods-empty'), true);
    await screenshot(floods.page, 'floods-ranking');
  });

  it('changes what the host ranks from the pickers', async () => {
    await floods.page.selectOption('select[aria-label="Sort by"]', 'bytes');
    await waitUntil(async () => (await rowTexts(floods))[0]?.[0].startsWith('evil/'), 'by bytes');
    await floods.page.selectOption('select[aria-label="Connection"]', 'lab');
    await waitUntil(async () => (await rowTexts(floods)).length === 1, 'one connection');
    assert.deepEqual(floods.binding.shown, { window: 10, sort: 'bytes', connection: 'lab' });
    assert.equal(
      await floods.page.$eval('tr.flood-row .col-connection', (n) => getComputedStyle(n).display),
      'none',
      'no connection column for one connection',
    );
    await floods.page.selectOption('select[aria-label="Connection"]', '');
    await floods.page.selectOption('select[aria-label="Sort by"]', 'msgs');
    await floods.page.selectOption('select[aria-label="Window"]', '60');
    await waitUntil(async () => (await rowTexts(floods)).length === 3, 'all connections');
    assert.deepEqual(floods.binding.shown, { window: 60, sort: 'msgs' });
  });

  it('opens the log on a row by click and by Enter, and keeps the focus across updates', async () => {
    await floods.page.click('tr.flood-row >> nth=0');
    await waitUntil(() => floods.opened.length === 1, 'the click handed on');
    assert.deepEqual(floods.opened[0], ['plant', 'demo/burst/7']);
    await floods.page.keyboard.press('ArrowDown');
    floods.receive('plant', 'demo/burst/7', 10);
    floods.scheduler.advance(1000);
    await floods.page.waitForTimeout(100);
    const focused = await floods.page.evaluate(
      () => document.activeElement?.querySelector('td')?.textContent,
    );
    assert.match(focused ?? '', /^evil\//, 'the focused row kept the focus after a ranking');
    await floods.page.keyboard.press('Enter');
    await waitUntil(() => floods.opened.length === 2, 'Enter handed on');
    assert.deepEqual(floods.opened[1], ['plant', 'evil/\u202Egnp.exe<img src=x>']);
  });

  it('follows a Show Who Floods that arrives while its restored view is on its way to the host', async () => {
    // The page keeps { window: 10 } while the host still ranks the last minute (a change lost
    // with the page), then reloads: its init sees another view and asks for its own.
    floods.hold('setView');
    await floods.page.selectOption('select[aria-label="Window"]', '10');
    floods.held.splice(0);
    assert.deepEqual(floods.binding.shown, { window: 60, sort: 'msgs' });
    await floods.page.reload();
    await waitUntil(() => floods.held.length === 1, 'the restored view asked for');
    floods.binding.show({ ...floods.binding.shown, connection: 'lab' });
    await waitUntil(
      () =>
        floods.page.$eval(
          'select[aria-label="Connection"]',
          (s) => (s as HTMLSelectElement).value === 'lab',
        ),
      'the page on the shown view',
    );
    floods.release();
    await waitUntil(
      () => floods.binding.shown.connection === 'lab' && floods.binding.shown,
      'the host on the shown view',
    );
    const before = await waitUntil(async () => (await rowTexts(floods))[0]?.[2], 'the shown rows');
    floods.receive('lab', 'lab/temp', 30);
    floods.scheduler.advance(1000);
    await waitUntil(async () => {
      const rows = await rowTexts(floods);
      return rows.length === 1 && rows[0][0] === 'lab/temp' && rows[0][2] !== before;
    }, 'the page following the rankings');
  });

  it('had no CSP violation, page error or malformed message', () => {
    assert.deepEqual(floods.errors, []);
    assert.ok(floods.received.every((m) => ['ready', 'setView', 'openTopic'].includes(m.type)));
  });
});
