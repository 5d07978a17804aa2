// A web page the user visits must not reach the embedded broker's WebSocket listener: browsers
// send the page's Origin with every WebSocket upgrade, so the listener accepts only upgrades
// without an Origin (programs: MQTT.js, Paho) or from a local/VS Code origin, and only with a
// Host naming the loopback address it listens on (which also defeats DNS rebinding).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as mqtt from 'mqtt';
import WebSocket from 'ws';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { freePort } from '../support/ports';
import { memoryLogger, within } from '../support/sessions';

type Outcome = { opened: true } | { opened: false; status: number | undefined };

/** Opens a raw WebSocket upgrade with the given headers and reports what the listener said. */
function upgrade(wsPort: number, headers: { origin?: string; host?: string }): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${wsPort}/mqtt`, 'mqtt', {
      origin: headers.origin,
      headers: headers.host ? { host: headers.host } : {},
    });
    socket.once('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      socket.terminate();
      resolve({ opened: false, status: res.statusCode });
    });
    socket.once('error', () => resolve({ opened: false, status: undefined }));
  });
}

describe('the local broker WebSocket listener checks Origin and Host', () => {
  const logger = memoryLogger();
  const broker = new LocalBroker(logger);
  let port = 0;
  let wsPort = 0;

  before(async () => {
    ({ port, wsPort = 0 } = await broker.start({
      port: await freePort(),
      websocketPort: await freePort(),
    }));
    assert.ok(wsPort > 0);
  });
  after(() => broker.stop());

  for (const origin of ['https://evil.example', 'http://evil.example:80', 'null', 'file://']) {
    it(`refuses Origin ${origin} with 403, and logs it`, async () => {
      assert.deepEqual(await within(upgrade(wsPort, { origin }), 5_000, 'the upgrade'), {
        opened: false,
        status: 403,
      });
      assert.ok(
        logger.lines.some((l) => l.startsWith('warn') && l.includes(JSON.stringify(origin))),
        `no log line names ${origin}: ${logger.lines.join('\n')}`,
      );
    });
  }

  for (const host of [
    'evil.example',
    `evil.example:${123}`,
    '10.0.0.1',
    'localhost.evil.example',
  ]) {
    it(`refuses Host ${host} (DNS rebinding) with 403`, async () => {
      const outcome = await within(upgrade(wsPort, { host }), 5_000, 'the upgrade');
      assert.deepEqual(outcome, { opened: false, status: 403 });
    });
  }

  for (const origin of [
    undefined,
    'vscode-webview://0a1b2c3d',
    'vscode-file://vscode-app',
    'http://localhost:8080',
    'https://127.0.0.1',
  ]) {
    it(`accepts ${origin ? `Origin ${origin}` : 'an upgrade without Origin'}`, async () => {
      const outcome = await within(upgrade(wsPort, { origin }), 5_000, 'the upgrade');
      assert.deepEqual(outcome, { opened: true });
    });
  }

  it('accepts Host localhost:<port> and 127.0.0.1', async () => {
    assert.deepEqual(await upgrade(wsPort, { host: `localhost:${wsPort}` }), { opened: true });
    assert.deepEqual(await upgrade(wsPort, { host: '127.0.0.1' }), { opened: true });
  });

  it('MQTT.js without Origin still works next to a refused page', async () => {
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${wsPort}/mqtt`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    try {
      await client.publishAsync('origin/check', 'retained', { qos: 1, retain: true });
      const evil = await upgrade(wsPort, { origin: 'https://evil.example' });
      assert.equal(evil.opened, false);
      assert.equal(broker.state.kind === 'running' && broker.state.port, port);
    } finally {
      await client.endAsync();
    }
  });
});
