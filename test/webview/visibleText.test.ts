/**
 * One rule for invisible characters across the Message Log: a topic and payload full of
 * controls, bidi and format characters, fillers and emoji go through the real host, and the
 * grid's topic and preview cells, the detail header and the detail's Text and JSON views show
 * the same markers (those of src/shared/visibleText, which the topic explorer uses too).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { domRows, screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';
import { visibleLine, visibleParts } from '../../src/shared/visibleText';

const { withLog } = browserPerFile();

/** Every class of invisible character on one line, with text and emoji that must stay. */
const HOSTILE =
  'a\u0000b\u0007\t\r\u001b\u007f\u0085\u00adc\u061c\u200b\u200c\u200d\u200e\u200f' +
  '\u202a\u202b\u202c\u202d\u202ed\u2060\u2061\u2062\u2063\u2064\u2065\u2066\u2067\u2068' +
  '\u2069\ufeff\u115f\u1160\u3164\uffa0\u2800\u180e\ufff9\u2028\u2029 👨‍👩‍👧 ❤️ e\u0301 ⟨LF⟩ ⟨x';
const TOPIC = `t/${HOSTILE}`;

async function show(log: LogPage, seq: number): Promise<void> {
  await log.host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

const chipTexts = (log: LogPage, selector: string) =>
  log.page.$$eval(`${selector} .chip`, (nodes) => nodes.map((n) => n.textContent));

describe('one rule for invisible characters', () => {
  it('shows the same markers in the grid, the detail header and the Text view', async () => {
    const host = new LogHost({ connections: ['local\ud800'] });
    const seq = host.add(TOPIC, HOSTILE);
    await withLog(host, async (log) => {
      const { page } = log;
      const shown = visibleLine(HOSTILE);
      // The rule itself (test/unit/visibleText.test.ts has the table): a few of its markers.
      for (const marker of [
        '⟨NUL⟩',
        '⟨TAB⟩',
        '⟨CR⟩',
        '⟨DEL⟩',
        '⟨U+0085⟩',
        '⟨U+00AD⟩',
        '⟨U+202E⟩',
        '⟨U+2065⟩',
      ])
        assert.ok(shown.includes(marker), `${marker} in ${shown}`);
      for (const marker of ['⟨U+3164⟩', '⟨U+FFA0⟩', '⟨U+2800⟩', '⟨U+2028⟩', '⟨U+27E8⟩'])
        assert.ok(shown.includes(marker), `${marker} in ${shown}`);
      assert.ok(shown.includes(' 👨‍👩‍👧 ❤️ e\u0301 '), 'emoji and combining marks kept');

      const [row] = (await domRows(page)).filter((r) => r.seq === seq);
      assert.equal(row.text[1], 'local⟨U+D800⟩', 'grid connection: the lone surrogate marked');
      assert.equal(row.text[3], `t/${shown}`, 'grid topic');
      assert.equal(row.text[8], shown, 'grid preview');

      await show(log, seq);
      assert.equal(await page.getAttribute('.payload', 'data-view'), 'text');
      assert.equal(await page.textContent('.detail-topic'), `t/${shown}`, 'detail header');
      assert.equal(await page.textContent('.payload-text'), shown, 'detail Text view');
      assert.match((await page.textContent('.detail-meta')) ?? '', /Connectionlocal⟨U\+D800⟩/);

      // In the detail, each marker is a chip (titled with the character's name).
      const markers = visibleParts(HOSTILE)
        .filter((p) => p.code !== undefined)
        .map((p) => p.text);
      assert.deepEqual(await chipTexts(log, '.detail-topic'), markers);
      assert.deepEqual(await chipTexts(log, '.payload-text'), markers);
      assert.equal(
        await page.getAttribute('.payload-text .chip >> nth=0', 'title'),
        'NULL (U+0000)',
      );
      await screenshot(page, 'visible-text-one-line');
    });
  });

  it('keeps line breaks in the Text view and marks them in the grid', async () => {
    const host = new LogHost();
    const payload = 'first\r\nsecond\n\tthird\u2028same line\n';
    const seq = host.add('t/lines', payload);
    await withLog(host, async (log) => {
      const { page } = log;
      const [row] = (await domRows(page)).filter((r) => r.seq === seq);
      assert.equal(row.text[8], 'first⟨CR⟩⟨LF⟩second⟨LF⟩⟨TAB⟩third⟨U+2028⟩same line⟨LF⟩');
      await show(log, seq);
      assert.equal(
        await page.textContent('.payload-text'),
        'first⟨CR⟩\nsecond\n⟨TAB⟩third⟨U+2028⟩same line\n',
      );
      // Lines drawn: the distinct tops of the pre's text (chips are boxes of their own).
      const lines = await page.$eval('.payload-text', (pre) => {
        const tops = new Set<number>();
        for (const node of Array.from(pre.childNodes)) {
          if (node.nodeType !== Node.TEXT_NODE) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of Array.from(range.getClientRects()))
            if (r.width > 0) tops.add(Math.round(r.top));
        }
        return tops.size;
      });
      assert.equal(lines, 3, 'three lines drawn: the line feeds break, U+2028 does not');
      await screenshot(page, 'visible-text-lines');
    });
  });

  it('marks keys and string values in the JSON view the same way', async () => {
    const host = new LogHost();
    const seq = host.add('t/json', '{"k\u202e":"v\u00ad\u3164","n":1}');
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await page.getAttribute('.payload', 'data-view'), 'json');
      assert.equal(await page.textContent('.json-key >> nth=0'), '"k⟨U+202E⟩"');
      assert.equal(await page.textContent('.json-string >> nth=0'), '"v⟨U+00AD⟩⟨U+3164⟩"');
      const [row] = (await domRows(page)).filter((r) => r.seq === seq);
      assert.equal(row.text[8], '{"k⟨U+202E⟩":"v⟨U+00AD⟩⟨U+3164⟩","n":1}');
    });
  });
});
