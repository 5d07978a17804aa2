// Any view's page: the strict, nonce-based policy, and the view's own script and stylesheet
// named after it (as scripts/build.mjs writes them).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webviewShell } from '../../src/host/webviewShell';

const base = {
  title: 'Trace',
  cspSource: 'https://webview.test',
  nonce: 'n0nce',
  asset: (name: string) => `https://webview.test/dist/webview/${name}`,
};

describe('webviewShell', () => {
  it('loads the view by its name under a strict nonce policy', () => {
    const html = webviewShell({ ...base, view: 'packetTrace', data: { mode: 'panel' } });
    assert.match(
      html,
      /content="default-src 'none'; style-src https:\/\/webview\.test; font-src https:\/\/webview\.test; img-src https:\/\/webview\.test data:; script-src 'nonce-n0nce';"/,
    );
    assert.match(
      html,
      /<script nonce="n0nce" src="https:\/\/webview\.test\/dist\/webview\/packetTrace\.js">/,
    );
    assert.match(html, /href="https:\/\/webview\.test\/dist\/webview\/packetTrace\.css"/);
    // The grid every view shares comes first, so the view's own rules follow it.
    assert.match(html, /shared\.css"><link rel="stylesheet" href="[^"]*packetTrace\.css"/);
    assert.match(html, /<div id="app" data-mode="panel" data-locale="en">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline code');
  });

  it('lets the Message Log show blob: images (payload previews), and loosens nothing else', () => {
    const policy = (view: string) =>
      /content="([^"]*)"/.exec(webviewShell({ ...base, view }))![1].split('; ');
    const log = policy('messageLog');
    const trace = policy('packetTrace');
    assert.equal(
      log.find((d) => d.startsWith('img-src')),
      'img-src https://webview.test data: blob:',
    );
    assert.deepEqual(
      log.filter((d) => !d.startsWith('img-src')),
      trace.filter((d) => !d.startsWith('img-src')),
      'every other directive is the same as any view has',
    );
    assert.equal(
      trace.find((d) => d.startsWith('img-src')),
      'img-src https://webview.test data:',
    );
    assert.equal(log.join('; ').match(/blob:/g)?.length, 1, 'blob: only for images');
  });

  it('escapes what it puts in attributes and refuses a name that is not one', () => {
    const html = webviewShell({ ...base, view: 'log', title: '<x>', data: { note: '"&<' } });
    assert.match(html, /data-note="&quot;&amp;&lt;"/);
    assert.match(html, /<title>&lt;x><\/title>/);
    assert.throws(
      () => webviewShell({ ...base, view: '../evil' }),
      /Not a view name: "\.\.\/evil"/,
    );
  });
});
