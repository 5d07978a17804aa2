/**
 * What a hostile payload or a compromised page could send the host: a regular expression that
 * backtracks for seconds on one message, and malformed requests. The host (built from the real
 * core, checking messages with the real validator) stops the filter and says so by the field,
 * ignores what is malformed, and the log stays usable.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { domRows, settle, waitUntil } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();

/** `(\w+\s?)+$` backtracks for minutes on it: each letter doubles the work. */
const HOSTILE = `${'a'.repeat(32)}!`;

describe('hostile requests', () => {
  it('a regex filter that takes too long is stopped and shown so by the field; the previous rows stay', async () => {
    const host = new LogHost({ filterLimitMs: 500 });
    host.fill(300);
    // A device on the topic being watched sends the payload the regex chokes on.
    host.add('sensors/dev1/temp', HOSTILE);
    await withLog(host, async (log) => {
      const { page } = log;
      await page.fill('.topic-filter', 'sensors/dev1/temp');
      await waitUntil(async () => (await domRows(page)).length === 4, 'four matches');
      await page.click('.btn.regex');
      await page.fill('.text-filter', '(\\w+\\s?)+$');
      await waitUntil(
        async () =>
          /took longer than 0\.5 s and was stopped/.test(
            (await page.textContent('.field-text .field-error')) ?? '',
          ),
        'the stopped filter reported by the text field',
        15_000,
      );
      assert.equal(
        await page.textContent('.field-text .field-error'),
        'The filter took longer than 0.5 s and was stopped; the previous rows stay.',
      );
      assert.equal(await page.getAttribute('.text-filter', 'aria-invalid'), 'true');
      // The previous filter is still in force and its rows usable.
      assert.deepEqual(host.filter, { topicFilter: 'sensors/dev1/temp' });
      const rows = await domRows(page);
      assert.equal(rows.length, 4);
      assert.match((await page.textContent('.status')) ?? '', /^4 of 301 messages$/);
      await page.click(`.grid [data-seq="${rows[1].seq}"]`);
      await waitUntil(
        async () => /"h":/.test((await page.textContent('.detail')) ?? ''),
        'the selected row’s detail',
      );

      // A regex that behaves replaces the error and the rows.
      await page.fill('.text-filter', '"h":41');
      await waitUntil(async () => (await domRows(page)).length === 1, 'one match');
      assert.equal(await page.textContent('.field-text .field-error'), '');
    });
  });

  it('malformed messages posted by the page are ignored, each logged briefly, and the log stays usable', async () => {
    const host = new LogHost();
    host.fill(300);
    const malformed: unknown[] = [
      { type: 'rows', requestId: 1, start: 0, count: 1e9 },
      { type: 'rows', requestId: 2, start: -1, count: 10 },
      { type: 'rows', requestId: 3, start: 'x', count: 10 },
      { type: 'detail', requestId: 4, seq: null },
      { type: 'action', action: 'rm -rf', seq: 1 },
      { type: 'setFilter', requestId: 5, filter: { text: 'x'.repeat(2_000_000) } },
      { type: 'setFilter', requestId: 6, filter: { qos: [7] } },
      { type: 'setFilter', requestId: 7 },
      { type: 'eval', code: 'process.exit()' },
      'ready',
      null,
    ];
    await withLog(host, async (log) => {
      const { page } = log;
      await settle(log);
      const before = host.requests.length;
      await page.evaluate((messages) => {
        // The bridge the page's acquireVsCodeApi().postMessage uses.
        const send = (window as unknown as { __mlSend(json: string): void }).__mlSend;
        for (const m of messages) send(JSON.stringify(m));
      }, malformed);
      await waitUntil(() => host.ignored.length === malformed.length, 'every malformed message');
      assert.equal(host.requests.length, before, 'none of them reached the host’s handlers');
      for (const problem of host.ignored) assert.ok(problem.length < 300, problem.slice(0, 400));
      assert.match(host.ignored[0], /rows\.count must be an integer from 0 to 500, not 1000000000/);
      assert.match(host.ignored[5], /setFilter\.filter\.text is 2000000 characters long/);

      // The log still answers: a filter and a selection work.
      await page.fill('.topic-filter', 'sensors/dev2/temp');
      await waitUntil(async () => (await domRows(page)).length === 3, 'three matches');
      assert.deepEqual(host.filter, { topicFilter: 'sensors/dev2/temp' });
    });
  });
});
