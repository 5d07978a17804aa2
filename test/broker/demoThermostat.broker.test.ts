/**
 * The demo's thermostat on the embedded broker, asked by a plain MQTT.js client as any program
 * would: its retained setpoint reaches a late subscriber, a request on `…/get` is answered on
 * the response topic with the same correlation data, a valid `…/set` changes the retained
 * setpoint and an out-of-range one is refused without changing it; requests it must not answer
 * (its own topic as response topic, an oversized payload) get no reply.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as mqtt from 'mqtt';
import { DemoDevices, DEMO_ROOT } from '../../src/core/broker/demoDevices';
import { INITIAL_SETPOINT, thermostatTopics } from '../../src/core/broker/demoThermostat';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { realScheduler, silentLogger } from '../../src/core/ports';
import { freePort } from '../support/ports';

const topics = thermostatTopics(DEMO_ROOT);

interface Reply {
  topic: string;
  body: Record<string, unknown>;
  correlation?: string;
  retain: boolean;
}

describe('the demo thermostat (embedded broker)', () => {
  let broker: LocalBroker;
  let demo: DemoDevices;
  let url: string;
  before(async () => {
    broker = new LocalBroker(silentLogger);
    const { port } = await broker.start({ port: await freePort() });
    url = `mqtt://127.0.0.1:${port}`;
    demo = new DemoDevices({
      url,
      scheduler: realScheduler,
      logger: silentLogger,
      intervalMs: 100,
      doorOnlineMs: 60_000,
    });
    await demo.start();
  });
  after(async () => {
    await demo.stop();
    demo.dispose();
    await broker.stop();
  });

  /** A client subscribed to `filter` collecting what arrives. */
  async function listener(filter: string): Promise<{ client: mqtt.MqttClient; got: Reply[] }> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
    const got: Reply[] = [];
    client.on('message', (topic, payload, packet) =>
      got.push({
        topic,
        body: JSON.parse(payload.toString()) as Record<string, unknown>,
        correlation: packet.properties?.correlationData?.toString(),
        retain: packet.retain,
      }),
    );
    await client.subscribeAsync(filter, { qos: 1 });
    return { client, got };
  }

  async function until<T>(read: () => T | undefined, ms = 3_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`nothing within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Sends `payload` to `topic` as a request and returns the replies seen within `ms`. */
  async function ask(topic: string, payload: string, responseTopic?: string, waitMs?: number) {
    const replyTopic = responseTopic ?? `test/replies/${randomUUID()}`;
    const { client, got } = await listener(replyTopic);
    const correlation = randomUUID();
    await client.publishAsync(topic, payload, {
      qos: 1,
      properties: { responseTopic: replyTopic, correlationData: Buffer.from(correlation) },
    });
    if (waitMs !== undefined) await new Promise((r) => setTimeout(r, waitMs));
    else await until(() => got[0]);
    await client.endAsync();
    return { got, correlation };
  }

  it('keeps its setpoint retained for a late subscriber', async () => {
    const { client, got } = await listener(topics.setpoint);
    const first = await until(() => got[0]);
    await client.endAsync();
    assert.equal(first.retain, true);
    assert.equal(typeof first.body.setpoint, 'number');
    assert.equal(first.body.unit, 'C');
  });

  it('answers a request on …/get with its setpoint and the same correlation data', async () => {
    const { got, correlation } = await ask(topics.get, '');
    assert.equal(got.length, 1);
    assert.equal(got[0].correlation, correlation);
    assert.equal(got[0].body.unit, 'C');
    assert.ok(typeof got[0].body.setpoint === 'number');
  });

  it('takes a new setpoint on …/set, answers it and publishes it retained', async () => {
    const watch = await listener(topics.setpoint);
    await until(() => watch.got[0]); // the retained one
    const { got } = await ask(topics.set, '{"setpoint": 23}');
    assert.deepEqual(got[0].body, { ok: true, setpoint: 23, unit: 'C' });
    const live = await until(() => watch.got.find((m) => !m.retain));
    assert.deepEqual(live.body, { setpoint: 23, unit: 'C' });
    await watch.client.endAsync();
    const again = await ask(topics.get, '');
    assert.equal(again.got[0].body.setpoint, 23);
    // Back to where the other tests expect it.
    await ask(topics.set, JSON.stringify({ setpoint: INITIAL_SETPOINT }));
  });

  it('refuses a setpoint out of range or not JSON, and keeps the old one', async () => {
    const watch = await listener(topics.setpoint);
    await until(() => watch.got[0]);
    const high = await ask(topics.set, '{"setpoint": 99}');
    assert.deepEqual(high.got[0].body, {
      ok: false,
      error: 'setpoint must be a number from 5 to 30',
    });
    const garbled = await ask(topics.set, 'warmer please');
    assert.equal(garbled.got[0].body.ok, false);
    await new Promise((r) => setTimeout(r, 200));
    await watch.client.endAsync();
    assert.deepEqual(
      watch.got.filter((m) => !m.retain),
      [],
      'no new setpoint was published',
    );
  });

  it('does not answer on its own topics or to an oversized payload', async () => {
    const own = await ask(topics.get, '', topics.set, 300);
    const big = await ask(
      topics.set,
      `{"setpoint": 22, "pad": "${'x'.repeat(2000)}"}`,
      undefined,
      300,
    );
    assert.deepEqual([own.got.length, big.got.length], [0, 0]);
  });
});
