/**
 * The filter toolbar against the real core's filters: debounced typing, the host's error next
 * to the field, the regex toggle, connection / direction / QoS / retained, and the host
 * changing the filter ("Show Messages").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toMessageFilter } from '../../src/core/log/logRows';
import { LogHost } from './logHost';
import { domRows, loadedRowCount, screenshot, settle, waitUntil } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

const lastFilter = (host: LogHost) => host.ofType('setFilter').at(-1)?.filter;

describe('filters', () => {
  it('typing a topic filter sends one debounced setFilter and the grid shows only matches', async () => {
    const host = new LogHost();
    host.fill(5_000);
    await withLog(host, async (log) => {
      const { page } = log;
      await page.click('.topic-filter');
      await page.keyboard.type('sensors/dev7/+', { delay: 30 });
      await waitUntil(() => host.ofType('setFilter').length > 0, 'setFilter');
      await settle(log, 250);
      assert.equal(host.ofType('setFilter').length, 1, 'typing is debounced into one request');
      assert.deepEqual(lastFilter(host), { topicFilter: 'sensors/dev7/+' });
      const rows = await domRows(page);
      assert.ok(rows.length >= 10);
      for (const r of rows) assert.equal(r.text[3], 'sensors/dev7/temp');
      assert.equal(await page.getAttribute('.grid', 'aria-rowcount'), String(50 + 1));
      assert.match((await page.textContent('.status')) ?? '', /^50 of 5,000 messages$/);

      // New messages under a filter: only matching ones join the view.
      host.fill(200);
      await host.announce();
      await waitUntil(
        async () => (await domRows(page)).at(-1)?.seq === 5_108,
        'the newest match (seq 5,108)',
      );
      for (const r of await domRows(page)) assert.equal(r.text[3], 'sensors/dev7/temp');
    });
  });

  it("an invalid topic filter shows the host's error by the field and keeps the old filter", async () => {
    const host = new LogHost();
    host.fill(300);
    await withLog(host, async (log) => {
      const { page } = log;
      await page.fill('.topic-filter', 'sensors/dev1/temp');
      await waitUntil(async () => (await loadedRowCount(page)) === 3, 'three matches');
      await page.fill('.topic-filter', 'a/#/b');
      const expected = toMessageFilter({ topicFilter: 'a/#/b' }).error;
      assert.ok(expected, 'the core refuses a/#/b');
      await waitUntil(
        async () => (await page.textContent('.field-topic .field-error')) === expected,
        'the error',
      );
      assert.equal(await page.getAttribute('.topic-filter', 'aria-invalid'), 'true');
      assert.equal(await page.isVisible('.field-topic .field-error'), true);
      // The old filter is still in force.
      assert.deepEqual(
        (await domRows(page)).map((r) => r.text[3]),
        ['sensors/dev1/temp', 'sensors/dev1/temp', 'sensors/dev1/temp'],
      );
      await screenshot(page, 'filter-error');
      await page.fill('.topic-filter', 'sensors/+/temp');
      await waitUntil(
        async () => (await page.textContent('.field-topic .field-error')) === '',
        'the error to go',
      );
      assert.equal(await page.getAttribute('.topic-filter', 'aria-invalid'), null);
    });
  });

  it('the regex toggle sends the text as a regular expression; a bad one errors on the text field', async () => {
    const host = new LogHost();
    host.fill(640);
    await withLog(host, async (log) => {
      const { page } = log;
      await page.fill('.text-filter', '"h":4[0-2]}');
      await waitUntil(() => lastFilter(host)?.text === '"h":4[0-2]}', 'the text filter');
      await settle(log);
      assert.equal((await domRows(page)).length, 0, 'as plain text nothing contains it');
      await page.click('.btn.regex');
      await waitUntil(() => lastFilter(host)?.regex === true, 'regex: true');
      assert.equal(await page.getAttribute('.btn.regex', 'aria-pressed'), 'true');
      await waitUntil(async () => ((await loadedRowCount(page)) ?? 0) > 0, 'regex matches');
      for (const r of await domRows(page)) assert.match(r.text[8], /"h":4[0-2]}/);
      assert.match((await page.textContent('.status')) ?? '', /^30 of 640 messages$/);

      await page.fill('.text-filter', '(unclosed');
      await waitUntil(
        async () =>
          /regular expression/.test((await page.textContent('.field-text .field-error')) ?? ''),
        'the regex error',
      );
      assert.equal(await page.getAttribute('.text-filter', 'aria-invalid'), 'true');
      assert.equal(await page.textContent('.field-topic .field-error'), '');
    });
  });

  it('connection, direction, QoS and retained-only send their filters', async () => {
    const host = new LogHost({ connections: ['local', 'remote'] });
    host.fill(300);
    host.add('other/topic', 'from remote', { connection: 'remote', qos: 1 });
    await withLog(host, async (log) => {
      const { page } = log;
      const options = await page.$$eval('.connection-filter option', (os) =>
        os.map((o) => (o as HTMLOptionElement).value),
      );
      assert.deepEqual(options, ['', 'local', 'remote']);
      await host.setConnections(['local', 'remote', 'lab']);
      await waitUntil(
        async () => (await page.$$('.connection-filter option')).length === 4,
        'the new connection',
      );

      // At this width the less-used filters are folded into the Filters menu: open it.
      if (await page.isVisible('.filters-button')) await page.click('.filters-button');
      await page.selectOption('.connection-filter', 'remote');
      await waitUntil(async () => (await loadedRowCount(page)) === 1, 'one message from remote');
      assert.deepEqual(lastFilter(host), { connection: 'remote' });
      assert.equal((await domRows(page))[0].text[1], 'remote');
      await page.selectOption('.connection-filter', 'lab');
      await waitUntil(
        async () => (await page.isVisible('.grid-empty')) === true,
        'the empty state',
      );
      assert.match((await page.textContent('.grid-empty')) ?? '', /No messages match the filter/);
      await page.selectOption('.connection-filter', '');

      await page.selectOption('.direction-filter', 'out');
      await waitUntil(() => lastFilter(host)?.direction === 'out', 'direction out');
      await settle(log);
      const outRows = await domRows(page);
      assert.ok(outRows.length > 0);
      for (const r of outRows) assert.equal(r.text[2], 'out');
      await page.selectOption('.direction-filter', '');

      await page.uncheck('.qos-filter input[value="0"]');
      await waitUntil(() => JSON.stringify(lastFilter(host)?.qos) === '[1,2]', 'qos [1,2]');
      await settle(log);
      for (const r of await domRows(page)) assert.notEqual(r.text[4], '0');
      await page.check('.qos-filter input[value="0"]');

      await page.check('.retained-filter input');
      await waitUntil(() => lastFilter(host)?.retainedOnly === true, 'retained only');
      await settle(log);
      const retained = await domRows(page);
      assert.ok(retained.length > 0);
      for (const r of retained) assert.equal(r.text[5], 'R');
      assert.match((await page.textContent('.status')) ?? '', /^30 of 301 messages$/);
    });
  });

  it('a filter set by the host ("Show Messages") fills in the toolbar', async () => {
    const host = new LogHost();
    host.fill(500);
    await withLog(host, async (log) => {
      const { page } = log;
      await host.changeFilter({
        topicFilter: 'sensors/dev3/temp',
        qos: [0, 2],
        retainedOnly: false,
      });
      await waitUntil(
        async () => (await page.inputValue('.topic-filter')) === 'sensors/dev3/temp',
        'the topic field',
      );
      assert.equal(await page.isChecked('.qos-filter input[value="1"]'), false);
      assert.equal(await page.isChecked('.qos-filter input[value="2"]'), true);
      await settle(log);
      const rows = await domRows(page);
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.equal(r.text[3], 'sensors/dev3/temp');
        assert.notEqual(r.text[4], '1');
      }
      assert.equal(
        host.ofType('setFilter').length,
        0,
        'the webview does not echo the host filter back',
      );
    });
  });
});
