/**
 * The hostile corpus: markup, script URLs, CSS injection, bidi overrides, zero-width characters,
 * a 10 MB payload, JSON nested 10,000 deep, invalid UTF-8 and a 65,535-byte topic, in topics,
 * payloads, MQTT 5 properties and connection names. Nothing may run, nothing may be parsed as
 * markup, nothing may break the CSP or the layout, and every detail must open quickly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogHost } from './logHost';
import { domRows, screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const JS_URL = 'javascript:window.__pwned=1';
const CSS = '</style><style>*{display:none}</style>';
const EXPRESSION = 'width: expression(window.__pwned=1)';
const CSS_URL = 'background:url(javascript:window.__pwned=1)';
const RLO = '\u202E';
const ZWSP = '\u200B';
const EVIL_CONNECTION = `<img src=x onerror=window.__pwned=1>${RLO}lab${ZWSP}`;

interface Case {
  name: string;
  seq: number;
  /** A CSS selector that must exist in the detail once it is shown. */
  expect?: string;
}

const env = browserPerFile();
let log: LogPage;
let host: LogHost;
const cases: Case[] = [];

before(async () => {
  host = new LogHost({ connections: ['local', EVIL_CONNECTION] });
  const add = (
    name: string,
    topic: string,
    payload: string | Uint8Array,
    expect?: string,
    o = {},
  ) => cases.push({ name, seq: host.add(topic, payload, o), expect });
  add('script', `demo/${SCRIPT}`, SCRIPT);
  add('img', `demo/${IMG}`, IMG);
  add(
    'js-url',
    `demo/link/${JS_URL}`,
    JSON.stringify({ href: JS_URL, link: `<a href="${JS_URL}">x</a>` }),
    '.json-string',
  );
  add('css', `demo/${CSS}`, `${CSS}\n${EXPRESSION}\n${CSS_URL}`, '.payload-text', {
    properties: {
      contentType: CSS,
      responseTopic: `resp/${RLO}evil`,
      userProperties: { [`k${IMG}`]: `${SCRIPT}${RLO}`, style: EXPRESSION },
    },
  });
  add(
    'bidi',
    `demo/${RLO}txt.exe${ZWSP}/x`,
    `invoice${RLO}fdp.exe and a zero${ZWSP}width\u2066isolate\u2069`,
    '.detail-topic .chip',
    {
      connection: EVIL_CONNECTION,
    },
  );
  add(
    'bidi-again',
    `demo/${RLO}txt.exe${ZWSP}/x`,
    `invoice${RLO}fdp.exe changed${ZWSP}`,
    '.detail-topic .chip',
    {
      connection: EVIL_CONNECTION,
    },
  );
  add('10mb', 'demo/big', 'A'.repeat(10 * 1024 * 1024 - 3) + '<b>', '.truncated-notice');
  add('deep-array', 'demo/deep/array', '['.repeat(10_000) + ']'.repeat(10_000), '.json-ellipsis');
  add(
    'deep-object',
    'demo/deep/object',
    '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
    '.json-ellipsis',
  );
  add(
    'invalid-utf8',
    'demo/binary',
    new Uint8Array([0x3c, 0x73, 0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x3e]),
    '.hexdump',
  );
  add(
    'long-topic',
    `${'t/'.repeat(16_000)}${RLO}${'x'.repeat(65_535 - 32_000 - 3)}`,
    'long topic',
    '.detail-topic',
  );
  add(
    'control',
    `demo/ctl\u0000\u001b[31m\u0007`,
    `bell\u0007 esc\u001b[2J nul\u0000 del\u007f`,
    '.payload-text .chip',
  );
  log = await env.open({ host });
  await settle(log);
});

after(async () => {
  await log?.close();
  host?.dispose();
});

async function assertSafe(where: string): Promise<void> {
  const page = log.page;
  assert.equal(
    await page.evaluate(() => (window as { __pwned?: unknown }).__pwned),
    undefined,
    `${where}: nothing ran`,
  );
  assert.deepEqual(log.errors, [], `${where}: no console errors, page errors or CSP violations`);
  assert.deepEqual(
    await page.evaluate(() => (window as unknown as { __mlCsp: string[] }).__mlCsp),
    [],
  );
  // Only the elements the webview builds: no parsed markup anywhere.
  const foreign = await page.evaluate(
    () =>
      document.querySelectorAll(
        'img, iframe, object, embed, a, style, link:not([rel=stylesheet]), script:not([nonce])',
      ).length,
  );
  assert.equal(foreign, 0, `${where}: no element came from data`);
  assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 1);
  assert.equal(
    await page.evaluate(
      () => document.querySelectorAll('[style*="expression"], [style*="url("]').length,
    ),
    0,
  );
  // No raw control, format, bidi or zero-width character anywhere in the page's text (line
  // feeds only inside the multi-line payload and diff views).
  const raw = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const hits: string[] = [];
    const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u00ad\u3164\uffa0]/u;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent ?? '';
      const multiline = !!n.parentElement?.closest('.payload-text, .diff, .hexdump');
      if (invisible.test(multiline ? t.replace(/\n/g, '') : t))
        hits.push(JSON.stringify(t.slice(0, 80)));
    }
    return hits;
  });
  assert.deepEqual(raw, [], `${where}: invisible characters are shown as markers`);
}

async function assertLayout(where: string): Promise<void> {
  const page = log.page;
  const rows = await domRows(page);
  assert.ok(rows.length >= cases.length, `${where}: all rows rendered`);
  const grid = await page.evaluate(() => {
    const g = document.querySelector('.grid')!.getBoundingClientRect();
    return { right: g.right, width: g.width };
  });
  for (const r of rows) {
    assert.equal(r.height, 22, `${where}: row ${r.seq} is one line high`);
    assert.ok(r.right <= grid.right + 0.5, `${where}: row ${r.seq} stays inside the grid`);
  }
  for (let i = 1; i < rows.length; i++) assert.equal(Math.round(rows[i].top - rows[i - 1].top), 22);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 0, `${where}: the page does not scroll sideways (${overflow} px)`);
  const toolbar = await page.evaluate(
    () => document.querySelector('.toolbars')!.getBoundingClientRect().top,
  );
  assert.equal(toolbar, 0, `${where}: the toolbar is still at the top`);
}

describe('hostile corpus', () => {
  it('renders every hostile row as text, in an intact layout', async () => {
    await assertSafe('grid');
    await assertLayout('grid');
    const rows = await domRows(log.page);
    const topics = rows.map((r) => r.text[3]);
    assert.ok(topics.includes(`demo/${SCRIPT}`), 'markup shows as text');
    assert.ok(
      topics.includes(`demo/⟨U+202E⟩txt.exe⟨U+200B⟩/x`),
      'bidi and zero-width marked in the grid',
    );
    assert.ok(
      rows.some(
        (r) =>
          r.text[1] ===
          'lab'.replace('lab', '<img src=x onerror=window.__pwned=1>⟨U+202E⟩lab⟨U+200B⟩'),
      ),
    );
    const options = await log.page.$$eval('.connection-filter option', (os) =>
      os.map((o) => o.textContent),
    );
    assert.ok(options.includes('<img src=x onerror=window.__pwned=1>⟨U+202E⟩lab⟨U+200B⟩'));
    await screenshot(log.page, 'hostile-grid');
  });

  it('opens the detail of every hostile message quickly and safely', async () => {
    for (const c of cases) {
      const started = Date.now();
      await host.select(c.seq);
      await waitUntil(
        async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${c.seq}`),
        `the detail of ${c.name}`,
        5_000,
      );
      if (c.expect) await log.page.waitForSelector(c.expect, { timeout: 5_000 });
      await settle(log, 20);
      const ms = Date.now() - started;
      assert.ok(ms < 3_000, `${c.name}: detail took ${ms} ms`);
      await assertSafe(`detail ${c.name}`);
      await assertLayout(`detail ${c.name}`);
      if (['bidi', 'css', 'deep-object', 'long-topic', '10mb', 'js-url'].includes(c.name))
        await screenshot(log.page, `hostile-${c.name}`);
    }
  });

  it('shows bidi and zero-width characters as chips in topic, connection, properties and payload', async () => {
    const bidi = cases.find((c) => c.name === 'bidi')!;
    await host.select(bidi.seq);
    await waitUntil(
      async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${bidi.seq}`),
      'bidi detail',
    );
    const chips = (sel: string) =>
      log.page.$$eval(`${sel} .chip`, (n) => n.map((x) => x.textContent));
    assert.deepEqual(await chips('.detail-topic'), ['⟨U+202E⟩', '⟨U+200B⟩']);
    assert.deepEqual(await chips('.detail-meta'), ['⟨U+202E⟩', '⟨U+200B⟩']);
    assert.deepEqual(await chips('.payload-text'), [
      '⟨U+202E⟩',
      '⟨U+200B⟩',
      '⟨U+2066⟩',
      '⟨U+2069⟩',
    ]);
    assert.equal(
      await log.page.getAttribute('.detail-topic .chip >> nth=0', 'title'),
      'RIGHT-TO-LEFT OVERRIDE (U+202E)',
    );
    // The diff with the previous message on the topic escapes them too.
    const again = cases.find((c) => c.name === 'bidi-again')!;
    await host.select(again.seq);
    await waitUntil(
      async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${again.seq}`),
      'second bidi detail',
    );
    if ((await log.page.getAttribute('.diff-toggle', 'aria-pressed')) !== 'true')
      await log.page.click('.diff-toggle');
    await log.page.waitForSelector('.diff-del');
    assert.ok((await chips('.diff-del')).includes('⟨U+202E⟩'));
    assert.ok((await chips('.diff-add')).includes('⟨U+200B⟩'));
    await screenshot(log.page, 'hostile-bidi-diff');
    await log.page.click('.diff-toggle');

    const css = cases.find((c) => c.name === 'css')!;
    await host.select(css.seq);
    await waitUntil(
      async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${css.seq}`),
      'css detail',
    );
    const props = (await log.page.textContent('.detail-props')) ?? '';
    assert.ok(props.includes(`user property "k${IMG}"`));
    assert.ok(props.includes(`${SCRIPT}⟨U+202E⟩`));
    assert.ok(props.includes(`resp/⟨U+202E⟩evil`));
    assert.equal(await log.page.textContent('.payload-text'), `${CSS}\n${EXPRESSION}\n${CSS_URL}`);
    await assertSafe('chips');
  });

  it('JSON nested 10,000 deep renders with a depth marker, and its text and diff views work', async () => {
    for (const name of ['deep-array', 'deep-object']) {
      const c = cases.find((x) => x.name === name)!;
      await host.select(c.seq);
      await waitUntil(
        async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${c.seq}`),
        name,
      );
      assert.equal(await log.page.getAttribute('.payload', 'data-view'), 'json');
      assert.equal(await log.page.locator('.json-ellipsis').count(), 1);
      const depth = await log.page.evaluate(() => {
        let d = 0;
        for (
          let n: Element | null = document.querySelector('.json-ellipsis');
          n;
          n = n.parentElement
        )
          if (n.classList.contains('json-block')) d++;
        return d;
      });
      assert.ok(depth <= 64, `${name}: ${depth} nested blocks in the DOM`);
      await log.page.click('.view-text');
      assert.equal(
        (await log.page.textContent('.payload-text'))?.length,
        name === 'deep-array' ? 20_000 : 60_001,
      );
      await log.page.click('.view-auto');
    }
    await assertSafe('deep JSON');
  });

  it('loads the full 10 MB payload and shows only its first chunk', async () => {
    const c = cases.find((x) => x.name === '10mb')!;
    await host.select(c.seq);
    await waitUntil(
      async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${c.seq}`),
      '10 MB detail',
    );
    assert.match(
      (await log.page.textContent('.truncated-notice')) ?? '',
      /Showing the first 256 KiB of 10 MiB/,
    );
    const started = Date.now();
    await log.page.click('.load-full');
    await waitUntil(
      async () => !(await log.page.isVisible('.truncated-notice')),
      'the full payload',
      20_000,
    );
    const ms = Date.now() - started;
    assert.ok(ms < 15_000, `the full 10 MB payload took ${ms} ms`);
    assert.equal((await log.page.textContent('.payload-text'))?.length, 256 * 1024);
    assert.equal(await log.page.isVisible('.show-more'), true);
    const domNodes = await log.page.evaluate(() => document.querySelectorAll('*').length);
    assert.ok(domNodes < 3_000, `${domNodes} elements in the page`);
    await log.page.click('.view-hex');
    assert.equal(((await log.page.textContent('.hex-offset')) ?? '').split('\n').length, 4096);
    await log.page.click('.view-auto');
    await assertSafe('10 MB');
    await assertLayout('10 MB');
    await screenshot(log.page, 'hostile-10mb-full');
  });
});
