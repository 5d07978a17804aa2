/** Which WebSocket upgrades the local broker accepts, by their Origin and Host headers. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { refusedUpgrade } from '../../src/core/broker/localBrokerOrigin';

const host = '127.0.0.1:9001';

it('accepts no Origin and local or VS Code origins with a loopback Host', () => {
  for (const origin of [
    undefined,
    'vscode-webview://1234abcd',
    'vscode-file://vscode-app',
    'http://localhost',
    'https://localhost:3000',
    'http://127.0.0.1:8080',
  ]) {
    assert.equal(refusedUpgrade({ origin, host }), undefined, String(origin));
  }
  for (const h of ['localhost', 'LOCALHOST:1', '127.0.0.1', '127.0.0.1:65535']) {
    assert.equal(refusedUpgrade({ host: h }), undefined, h);
  }
});

it('refuses other origins, naming them escaped', () => {
  for (const origin of [
    'https://evil.example',
    'null',
    'file://',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    'chrome-extension://abc',
    'not a url',
  ]) {
    const why = refusedUpgrade({ origin, host });
    assert.ok(why?.includes(JSON.stringify(origin)), `${origin}: ${why}`);
  }
  assert.match(
    refusedUpgrade({ origin: 'https://x\n.example', host }) ?? '',
    /"https:\/\/x\\n\.example"/,
  );
});

it('refuses a missing Host or one that is not loopback (DNS rebinding)', () => {
  for (const h of [undefined, 'evil.example', 'evil.example:9001', '10.0.0.1', '[::1]:9001', '']) {
    assert.ok(refusedUpgrade({ host: h })?.startsWith('Host'), String(h));
  }
});
