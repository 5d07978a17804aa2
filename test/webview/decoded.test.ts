/**
 * The detail pane shows the payload as the host's decoder read it: which decoder and why, JSON
 * as a foldable tree, a decoded value tree (big integers, bytes, cuts), a decoder's error above
 * the hex dump, an image preview under the page's own CSP, hostile strings marked, the
 * Decoded / Text / JSON / Hex menu saved, and a 10 MB JSON loaded in full without freezing.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { makePng } from '../support/png';
import { LogHost } from './logHost';
import { screenshot, settle, waitUntil, type LogPage } from './harness';
import { browserPerFile } from './perFile';

const { withLog } = browserPerFile();
// cbor-x is an ECMAScript module: loaded once, before the tests.
let cbor: { encode(value: unknown): Uint8Array; decode(bytes: Uint8Array): unknown };
before(async () => {
  cbor = await import('cbor-x');
});
const cborEncode = (value: unknown) => cbor.encode(value);

async function show(log: LogPage, seq: number): Promise<void> {
  await log.host.select(seq);
  await waitUntil(
    async () => (await log.page.textContent('.detail-meta'))?.includes(`Seq${seq}`),
    `the detail of seq ${seq}`,
  );
  await settle(log, 30);
}

const view = (page: Page) => page.getAttribute('.payload', 'data-view');
const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe('decoded payloads in the detail pane', () => {
  it('shows JSON as a foldable tree, says which decoder read it and why', async () => {
    const host = new LogHost();
    const typed = host.add('plant/1/state', '{"pump":{"on":true,"rpm":1450},"alarms":[]}', {
      properties: { contentType: 'application/json; charset=utf-8' },
    });
    const sniffed = host.add('plant/2/state', '[1, 2, {"x": null}]');
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, typed);
      assert.equal(await view(page), 'json');
      assert.equal(
        await text(page, '.decoded-by'),
        'Decoded as JSON · content type application/json',
      );
      assert.equal(await text(page, '.view-auto'), 'Decoded (JSON)');
      assert.equal(await page.textContent('.json-key >> nth=0'), '"pump"');
      const pump = page
        .locator('.json-block', { has: page.locator('.json-key', { hasText: '"pump"' }) })
        .last();
      await pump.locator('.json-toggle').first().click();
      assert.equal(await pump.locator('.json-children').first().isVisible(), false);
      assert.equal(await pump.locator('.json-summary').first().textContent(), ' … 2 keys },');
      await screenshot(page, 'decoded-json');

      await show(log, sniffed);
      assert.equal(
        await text(page, '.decoded-by'),
        'Decoded as JSON · recognised from the payload',
      );
      assert.deepEqual(await page.$$eval('.json-number', (n) => n.map((x) => x.textContent)), [
        '1',
        '2',
      ]);
    });
  });

  it('shows a decoded value tree: maps, lists, big integers as digits, bytes as size and hex, cuts saying why', async () => {
    const host = new LogHost();
    let deep: unknown = 'bottom';
    for (let i = 0; i < 80; i++) deep = [deep];
    const payload = cborEncode({
      temp: 21.5,
      counter: 2n ** 64n + 1n,
      raw: Uint8Array.from({ length: 100 }, (_, i) => i),
      tags: ['a', 'b'],
      'evil\u202ekey': 'fdp.exe\u202egnp',
      deep,
    });
    const seq = host.add('plant/cbor', payload, {
      properties: { contentType: 'application/cbor' },
    });
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await view(page), 'decoded');
      assert.equal(await text(page, '.view-auto'), 'Decoded (CBOR)');
      assert.equal(
        await text(page, '.decoded-by'),
        'Decoded as CBOR · content type application/cbor',
      );
      const numbers = await page.$$eval('.payload-tree .json-number', (n) =>
        n.map((x) => x.textContent),
      );
      assert.deepEqual(numbers, ['21.5', '18446744073709551617']);
      const bytes = await text(page, '.json-bytes');
      assert.match(bytes, /^100 B 00 01 02 03 /);
      assert.match(bytes, / 3e 3f …$/, 'the first 64 bytes, then a cut');
      assert.equal(
        await text(page, '.payload-tree .json-ellipsis'),
        '… nested deeper than 64 levels',
      );
      // Device text is marked, never obeyed: the override shows as a chip, in keys and values.
      const key = page.locator('.json-key', { hasText: 'evil' });
      assert.equal(await key.textContent(), '"evil⟨U+202E⟩key"');
      assert.equal(await key.locator('.chip').count(), 1);
      assert.equal(
        await page.locator('.json-string', { hasText: 'fdp' }).textContent(),
        '"fdp.exe⟨U+202E⟩gnp"',
      );
      await page
        .locator('.json-block', { has: page.locator('.json-key', { hasText: '"deep"' }) })
        .last()
        .locator('.json-toggle')
        .first()
        .click();
      await screenshot(page, 'decoded-cbor-tree');
      // The hex view is still there, and Decoded comes back.
      await page.click('.view-hex');
      assert.equal(await view(page), 'hex');
      await page.click('.view-auto');
      assert.equal(await view(page), 'decoded');
    });
  });

  it('shows why a payload did not decode on a line above its hex dump', async () => {
    const host = new LogHost();
    const seq = host.add('plant/bad', 'hello, not json', {
      properties: { contentType: 'application/json' },
    });
    const fakePng = host.add('cam/fake', 'GIF89a, says it is a PNG', {
      properties: { contentType: 'image/png' },
    });
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await view(page), 'hex');
      assert.match(
        await text(page, '.decode-error'),
        /^JSON: Unexpected token 'h', "hello, not json" is not valid JSON$/,
      );
      assert.equal(
        await text(page, '.decoded-by'),
        'Decoded as JSON · content type application/json',
      );
      assert.match(await text(page, '.hex-bytes'), /^68 65 6c 6c 6f 2c/);
      // The error line comes first, then the dump.
      assert.deepEqual(await page.$$eval('.payload > *', (n) => n.map((x) => x.className)), [
        'payload-notice decode-error',
        'hexdump',
      ]);
      await screenshot(page, 'decoded-error-hex');
      // Forced text shows what was sent, without the error line.
      await page.click('.view-text');
      assert.equal(await text(page, '.payload-text'), 'hello, not json');
      assert.equal(await page.locator('.decode-error').count(), 0);
      await page.click('.view-auto');

      await show(log, fakePng);
      assert.equal(await text(page, '.decode-error'), 'Image: no PNG signature');
      assert.equal(await page.locator('.payload-image').count(), 0, 'no preview');
      assert.equal(await view(page), 'hex');
    });
  });

  it('previews a PNG image, scaled to fit, with its size; the hex view stays available', async () => {
    const host = new LogHost();
    // Wider than the pane: it is scaled down, keeping its proportions.
    const png = makePng(2400, 300, (x, y) => [(x * 255) / 2400, y < 150 ? 90 : 200, 160, 255]);
    assert.ok(png.byteLength < 256 * 1024, 'sent whole in the detail');
    const seq = host.add('cam/1/snapshot', png);
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await view(page), 'image');
      assert.equal(
        await text(page, '.decoded-by'),
        'Decoded as PNG image · recognised from the payload',
      );
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.payload-image-img');
        return img?.complete && img.naturalWidth > 0;
      });
      const img = await page.$eval('.payload-image-img', (n) => {
        const i = n as HTMLImageElement;
        const box = i.getBoundingClientRect();
        const pane = document.querySelector('.payload')!.getBoundingClientRect();
        return {
          height: box.height,
          w: i.naturalWidth,
          h: i.naturalHeight,
          src: i.src,
          width: box.width,
          fits: box.right <= pane.right + 0.5,
        };
      });
      assert.equal(img.w, 2400);
      assert.equal(img.h, 300);
      assert.match(img.src, /^blob:/);
      assert.ok(img.fits, `the image fits the pane (${img.width}px wide)`);
      assert.ok(img.width < 2400, `scaled down to ${img.width} px`);
      assert.ok(Math.abs(img.width / img.height - 8) < 0.1, `${img.width} × ${img.height}`);
      assert.match(
        await text(page, '.payload-image-caption'),
        new RegExp(
          `^PNG · 2400 × 300 px · [\\d.]+ (B|KiB) \\(${png.byteLength.toLocaleString('en-US')} bytes\\)$`,
        ),
      );
      await page.locator('.payload-image-caption').scrollIntoViewIfNeeded();
      await screenshot(page, 'decoded-png');
      await page.click('.view-hex');
      assert.match(await text(page, '.hex-bytes'), /^89 50 4e 47 0d 0a 1a 0a/);
      // Leaving the preview revokes its Blob URL.
      // (Loaded as an image: the page's policy lets no script fetch it.)
      const revoked = await page.evaluate(
        (src) =>
          new Promise<boolean>((resolve) => {
            const probe = new Image();
            probe.onload = () => resolve(false);
            probe.onerror = () => resolve(true);
            probe.src = src;
          }),
        img.src,
      );
      assert.equal(revoked, true, 'the Blob URL is revoked');
      // The browser logs the failed load of the revoked URL: expected here, and only that.
      const notFound = 'console: Failed to load resource: net::ERR_FILE_NOT_FOUND';
      await waitUntil(() => log.errors.includes(notFound), 'the failed load logged');
      log.errors.splice(log.errors.indexOf(notFound), 1);
      await page.click('.view-auto');
      assert.equal(await view(page), 'image');
      // The page's own policy allows blob: images, and nothing else was added.
      const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      assert.match(csp ?? '', /img-src \S+ data: blob:;/);
      assert.doesNotMatch(csp ?? '', /unsafe|\*/);

      // A JPEG the browser itself encoded, sent as image/jpeg.
      const jpeg = await page.evaluate(() => {
        const canvas = document.createElement('canvas');
        canvas.width = 200;
        canvas.height = 100;
        const g = canvas.getContext('2d')!;
        g.fillStyle = '#2a8';
        g.fillRect(0, 0, 200, 100);
        g.fillStyle = '#fc4';
        g.fillRect(50, 25, 100, 50);
        return canvas.toDataURL('image/jpeg').split(',')[1];
      });
      const jpegSeq = host.add('cam/2/snapshot', Buffer.from(jpeg, 'base64'), {
        properties: { contentType: 'image/jpeg' },
      });
      await host.announce();
      await show(log, jpegSeq);
      assert.equal(
        await text(page, '.decoded-by'),
        'Decoded as JPEG image · content type image/jpeg',
      );
      await page.waitForFunction(
        () => document.querySelector<HTMLImageElement>('.payload-image-img')?.naturalWidth === 200,
      );
      assert.match(await text(page, '.payload-image-caption'), /^JPEG · 200 × 100 px · /);
    });
  });

  it('shows the text a decoder made of the payload (Base64), and the payload as sent under Text', async () => {
    const host = new LogHost({
      decoderRule: (topic) =>
        topic === 'plant/b64' ? { decoder: 'base64', topic: 'plant/b64' } : undefined,
    });
    const seq = host.add('plant/b64', 'aGVsbG8g4oCu');
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.equal(await view(page), 'text');
      assert.equal(await text(page, '.payload-text'), 'hello ⟨U+202E⟩');
      assert.equal(await text(page, '.decoded-by'), 'Decoded as Base64 → text · rule plant/b64');
      await page.click('.view-text');
      assert.equal(await text(page, '.payload-text'), 'aGVsbG8g4oCu');
      await page.click('.view-auto');
    });
  });

  it('decodes rows and the detail anew when the decoder rules change', async () => {
    const host = new LogHost();
    const seq = host.add('plant/cbor', cborEncode({ rpm: 1450 }));
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.match(await text(page, '.decoded-by'), /^Decoded as Hex/);
      assert.match(await text(page, '.grid'), /0x [0-9a-f ]+63 72 70 6d/);
      host.changeDecoderRules((topic) =>
        topic === 'plant/cbor' ? { decoder: 'cbor', topic: 'plant/#' } : undefined,
      );
      await waitUntil(
        async () => (await text(page, '.decoded-by')) === 'Decoded as CBOR · rule plant/#',
        'the detail decoded by the new rule',
      );
      await waitUntil(
        async () => (await text(page, '.grid')).includes('{"rpm": 1450}'),
        'the row decoded by the new rule',
      );
    });
  });

  it('switches between Decoded, Text, JSON and Hex, saves the choice, and diffs binary formats as hex', async () => {
    const host = new LogHost();
    host.add('plant/cbor', cborEncode({ n: 1 }), {
      properties: { contentType: 'application/cbor' },
    });
    const seq = host.add('plant/cbor', cborEncode({ n: 2 }), {
      properties: { contentType: 'application/cbor' },
    });
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.deepEqual(
        await page.$$eval('.payload-toolbar .segmented .btn', (n) => n.map((x) => x.textContent)),
        ['Decoded (CBOR)', 'Text', 'JSON', 'Hex'],
      );
      for (const [button, shown] of [
        ['text', 'text'],
        ['json', 'json'],
        ['hex', 'hex'],
        ['auto', 'decoded'],
      ] as const) {
        await page.click(`.view-${button}`);
        assert.equal(await view(page), shown);
        assert.equal(await page.getAttribute(`.view-${button}`, 'aria-pressed'), 'true');
        await waitUntil(
          () => (log.states.at(-1) as { payloadView?: string } | undefined)?.payloadView === button,
          `the view ${button} saved`,
        );
      }
      await page.click('.diff-toggle');
      assert.equal(await view(page), 'diff');
      assert.match(await text(page, '.diff-summary'), /as hex dumps/);
      await page.click('.diff-toggle');
      assert.equal(await view(page), 'decoded');
    });
  });

  it('loads a 10 MB JSON in full and shows its first lines without freezing the page', async () => {
    const host = new LogHost();
    const items = Array.from({ length: 190_000 }, (_, i) => ({
      id: i,
      name: `sensor-${i}`,
      v: i / 7,
    }));
    const json = JSON.stringify({ items });
    assert.ok(json.length > 10_000_000, `${json.length} characters`);
    const seq = host.add('plant/big', json);
    await withLog(host, async (log) => {
      const { page } = log;
      await show(log, seq);
      assert.match(await text(page, '.decode-error'), /load the full payload to decode it/);
      const started = Date.now();
      await page.click('.load-full');
      await waitUntil(async () => (await view(page)) === 'json', 'the decoded JSON', 30_000);
      const ms = Date.now() - started;
      assert.ok(ms < 30_000, `the full payload (through the test bridge) took ${ms} ms`);
      const lines = await page.locator('.json-line').count();
      assert.ok(lines <= 2_100, `${lines} lines rendered`);
      assert.equal(await page.isVisible('.show-more'), true);
      assert.equal(await page.locator('.decode-error').count(), 0);
      // Drawing it again is only its first chunk: switching views stays quick.
      await page.click('.view-hex');
      const switched = Date.now();
      await page.click('.view-auto');
      await waitUntil(async () => (await view(page)) === 'json', 'the JSON again');
      const switchMs = Date.now() - switched;
      assert.ok(switchMs < 1_500, `the decoded view took ${switchMs} ms to show again`);
      console.log(
        `JSON of ${json.length} bytes: loaded, decoded and shown in ${ms} ms (${lines} lines); shown again in ${switchMs} ms`,
      );
      await screenshot(page, 'decoded-big-json');
    });
  });
});
