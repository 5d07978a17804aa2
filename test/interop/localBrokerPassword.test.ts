// With a per-session password, the embedded broker lets in only clients that know it: the
// built-in profile and the demo devices get it, other programs must be given it.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as mqtt from 'mqtt';
import { DemoDevices } from '../../src/core/broker/demoDevices';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { realScheduler, silentLogger } from '../../src/core/ports';
import { freePort } from '../support/ports';
import { within } from '../support/sessions';

const credentials = { username: 'mqtt-scope', password: 'k3Y-per-session-test' };

/** The CONNACK code a client gets, or 0 when it connected. */
async function connackCode(url: string, options: mqtt.IClientOptions): Promise<number> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options });
  try {
    return await within(
      new Promise<number>((resolve) => {
        client.once('connect', () => resolve(0));
        client.once('error', (error) => resolve((error as { code?: number }).code ?? -1));
      }),
      8_000,
      'the CONNACK',
    );
  } finally {
    await client.endAsync(true);
  }
}

describe('the local broker with a per-session password', () => {
  const broker = new LocalBroker(silentLogger);
  let url = '';
  before(async () => {
    const { port } = await broker.start({ port: await freePort(), credentials });
    url = `mqtt://127.0.0.1:${port}`;
  });
  after(() => broker.stop());

  for (const protocolVersion of [5, 4] as const) {
    const refused = protocolVersion === 5 ? 0x86 : 4;
    it(`refuses MQTT ${protocolVersion} clients without it or with a wrong one (${refused})`, async () => {
      assert.equal(await connackCode(url, { protocolVersion }), refused);
      assert.equal(
        await connackCode(url, { protocolVersion, username: 'mqtt-scope', password: 'guess' }),
        refused,
      );
      assert.equal(
        await connackCode(url, {
          protocolVersion,
          username: 'other',
          password: credentials.password,
        }),
        refused,
      );
      assert.equal(await connackCode(url, { protocolVersion, ...credentials }), 0);
    });
  }

  it('lets the demo devices in with it', async () => {
    const watcher = await mqtt.connectAsync(url, { ...credentials, reconnectPeriod: 0 });
    const seen = new Promise<string>((resolve) => watcher.on('message', (topic) => resolve(topic)));
    await watcher.subscribeAsync('demo/#', { qos: 1 });
    const demo = new DemoDevices({
      url,
      credentials,
      scheduler: realScheduler,
      logger: silentLogger,
    });
    try {
      await demo.start();
      assert.match(await within(seen, 10_000, 'a demo message'), /^demo\//);
    } finally {
      await demo.stop();
      await watcher.endAsync();
    }
  });
});
