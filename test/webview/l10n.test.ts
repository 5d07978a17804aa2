/**
 * The Message Log in another display language: the host hands VS Code's translations for the
 * extension (vscode.l10n.bundle) and the language to the page, and the webview shows them from
 * its first paint; a message without a translation stays English, values fill `{0}`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { screenshot, settle } from './harness';
import { browserPerFile } from './perFile';

const { open } = browserPerFile();

const GERMAN = {
  Follow: 'Folgen',
  'No messages yet. Messages received and published appear here.': 'Noch keine Nachrichten.',
  'QoS {0}': 'Dienstgüte {0}',
  'Select a message to see its detail.': 'Wähle eine Nachricht aus.',
  Filters: 'Filter',
  'More filters': 'Weitere Filter',
  'Resize the message list and the detail pane': 'Liste und Detailbereich anpassen',
  'List {0}%': 'Liste {0} %',
};

describe('localisation', () => {
  it('shows the translations handed over by the host, English where there is none', async () => {
    const host = new LogHost();
    const log = await open({ host, lang: 'de', l10n: GERMAN });
    try {
      const { page } = log;
      await settle(log);
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      assert.equal(await page.textContent('.follow .btn-label'), 'Folgen');
      assert.equal(await page.textContent('.clear .btn-label'), 'Clear');
      assert.equal(await page.textContent('.grid-empty'), 'Noch keine Nachrichten.');
      assert.equal(await page.textContent('.detail-placeholder'), 'Wähle eine Nachricht aus.');
      const qos = await page.$$eval('.qos-filter input', (boxes) =>
        boxes.map((b) => b.getAttribute('aria-label')),
      );
      assert.deepEqual(qos, ['Dienstgüte 0', 'Dienstgüte 1', 'Dienstgüte 2']);
      // The Filters menu and the splitter speak the language too.
      assert.equal(await page.textContent('.filters-button .btn-label'), 'Filter');
      assert.equal(await page.getAttribute('.more-filters', 'aria-label'), 'Weitere Filter');
      assert.equal(
        await page.getAttribute('.splitter', 'aria-label'),
        'Liste und Detailbereich anpassen',
      );
      assert.match((await page.getAttribute('.splitter', 'aria-valuetext')) ?? '', /^Liste \d+ %$/);
      await screenshot(page, 'l10n-de');
      assert.deepEqual(log.errors, [], 'no console errors, page errors or CSP violations');
    } finally {
      await log.close();
      host.dispose();
    }
  });

  it('is English, lang="en", when VS Code hands over no bundle', async () => {
    const host = new LogHost();
    const log = await open({ host });
    try {
      const { page } = log;
      await settle(log);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.textContent('.follow .btn-label'), 'Follow');
      assert.equal(await page.getAttribute('.qos-filter input', 'aria-label'), 'QoS 0');
      assert.deepEqual(log.errors, []);
    } finally {
      await log.close();
      host.dispose();
    }
  });
});
