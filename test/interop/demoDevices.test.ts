/**
 * The demo devices against the local broker (aedes 2.0.0-beta.1, as the product runs them),
 * watched through real MqttSession subscribers: JSON telemetry, retained "online" statuses, the
 * door controller's Last Will, binary camera frames, the burst mode, and a stop() that leaves no
 * client behind and fires no will. Each test has its own broker, so retained state never leaks.
 */
import * as assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import {
  DEMO_ROOT,
  DemoDevices,
  burstTopic,
  type DemoOptions,
} from '../../src/core/broker/demoDevices';
import { LocalBroker, type LocalBrokerState } from '../../src/core/broker/localBroker';
import { realScheduler } from '../../src/core/ports';
import { decodeSparkplugPayload } from '../../src/core/sparkplug/sparkplugCodec';
import type { MqttSession, ReceivedMessage } from '../../src/core/session/session';
import { freePort } from '../support/ports';
import {
  inbox,
  memoryLogger,
  newSession,
  subscriptionsSettled,
  text,
  type Inbox,
} from '../support/sessions';

const SENSORS = ['greenhouse/sensor-1', 'greenhouse/sensor-2', 'cellar/sensor-3'];
const DEVICES = [
  ...SENSORS,
  'power/meter-1',
  'yard/camera-1',
  'home/thermostat-1',
  'garage/door-1',
];
const statusOf = (id: string) => `${DEMO_ROOT}/${id}/status`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A broker of its own for one test, stopped when the test ends. */
async function brokerFor(
  t: TestContext,
  load?: () => Promise<unknown>,
): Promise<{ broker: LocalBroker; port: number }> {
  const broker = new LocalBroker(memoryLogger(), load);
  t.after(() => broker.stop());
  const { port } = await broker.start({ port: await freePort() });
  return { broker, port };
}

/** Demo devices stopped (bounded) when the test ends. */
function demoFor(t: TestContext, port: number, options: Partial<DemoOptions> = {}): DemoDevices {
  const demo = new DemoDevices({
    url: `mqtt://127.0.0.1:${port}`,
    scheduler: realScheduler,
    logger: memoryLogger(),
    intervalMs: 50,
    doorOnlineMs: 60_000,
    ...options,
  });
  t.after(async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      demo.stop(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('demo.stop() took over 3 s')), 3_000);
      }),
    ]).finally(() => clearTimeout(timer));
    demo.dispose();
  });
  return demo;
}

/** An MQTT 5 MqttSession subscribed to `filter`, with its inbox. */
async function watcher(
  t: TestContext,
  port: number,
  filter: string,
): Promise<{ session: MqttSession; inbox: Inbox }> {
  const session = newSession(t, {
    host: '127.0.0.1',
    port,
    protocolVersion: 5,
    subscriptions: [{ topic: filter, qos: 1 }],
  });
  const messages = inbox(session);
  await session.connect();
  await subscriptionsSettled(session, 5_000);
  assert.equal(session.subscriptions[0].status.kind, 'granted');
  return { session, inbox: messages };
}

/** Resolves once `done(messages)` holds, or rejects after timeoutMs saying what arrived. */
async function until(
  box: Inbox,
  done: (messages: ReceivedMessage[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<ReceivedMessage[]> {
  const deadline = Date.now() + timeoutMs;
  while (!done(box.messages)) {
    if (Date.now() > deadline) {
      const seen = box.messages.slice(-10).map((m) => `${m.topic} ${text(m).slice(0, 60)}`);
      throw new Error(`${what} not seen in ${timeoutMs} ms; last messages:\n${seen.join('\n')}`);
    }
    await sleep(10);
  }
  return [...box.messages];
}

function waitForBroker(
  broker: LocalBroker,
  match: (s: LocalBrokerState) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    while (!match(broker.state)) {
      if (Date.now() > deadline)
        throw new Error(`broker state not reached: ${JSON.stringify(broker.state)}`);
      await sleep(10);
    }
  })();
}

const onlineStatuses = (messages: ReceivedMessage[]) =>
  new Set(messages.filter((m) => text(m) === 'online').map((m) => m.topic));

describe('DemoDevices on the local broker (aedes 2.0.0-beta.1)', () => {
  it(
    'publishes JSON telemetry with numeric fields from every sensor within a few seconds',
    { timeout: 15_000 },
    async (t) => {
      const { port } = await brokerFor(t);
      const { inbox: box } = await watcher(t, port, `${DEMO_ROOT}/+/+/telemetry`);
      const meter = await watcher(t, port, `${DEMO_ROOT}/power/meter-1/watts`);
      await demoFor(t, port).start();

      const perSensor = (ms: ReceivedMessage[], id: string) =>
        ms.filter((m) => m.topic === `${DEMO_ROOT}/${id}/telemetry`).length;
      const messages = await until(
        box,
        (ms) => SENSORS.every((id) => perSensor(ms, id) >= 3),
        5_000,
        'three readings from each sensor',
      );
      for (const m of messages) {
        const reading = JSON.parse(text(m)) as Record<string, unknown>;
        for (const field of ['temperature', 'humidity', 'battery'])
          assert.equal(typeof reading[field], 'number', `${field} in ${text(m)}`);
        assert.ok(Number.isFinite(reading.temperature) && Number.isFinite(reading.humidity));
        assert.equal(reading.unit, 'C');
        assert.ok(!Number.isNaN(Date.parse(String(reading.ts))), `ts in ${text(m)}`);
        assert.equal(m.properties?.contentType, 'application/json');
        assert.deepEqual({ ...(m.properties?.userProperties as object) }, { firmware: '1.4.2' });
        assert.equal(m.retain, false);
      }
      // sensor-1 publishes at QoS 1, the others at QoS 0.
      const qosOf = (id: string) =>
        new Set(messages.filter((m) => m.topic.includes(id)).map((m) => m.qos));
      assert.deepEqual([...qosOf('sensor-1')], [1]);
      assert.deepEqual([...qosOf('sensor-2')], [0]);

      const [watts] = await meter.inbox.waitFor(1, 5_000);
      assert.match(text(watts), /^\d+\.\d$/);
    },
  );

  it(
    'keeps a retained "online" status for every device, which a later subscriber gets',
    { timeout: 15_000 },
    async (t) => {
      const { port } = await brokerFor(t);
      const live = await watcher(t, port, `${DEMO_ROOT}/+/+/status`);
      await demoFor(t, port).start();
      await until(
        live.inbox,
        (ms) => onlineStatuses(ms).size === DEVICES.length,
        5_000,
        'every device online',
      );

      const late = await watcher(t, port, `${DEMO_ROOT}/+/+/status`);
      const retained = await late.inbox.waitFor(DEVICES.length, 5_000, 200);
      assert.deepEqual(
        retained.map((m) => [m.topic, text(m), m.retain]).sort(),
        DEVICES.map((id) => [statusOf(id), 'online', true]).sort(),
      );
    },
  );

  it(
    'the door controller drops off and its will publishes a retained "offline"',
    { timeout: 15_000 },
    async (t) => {
      const { port } = await brokerFor(t);
      const door = await watcher(t, port, `${DEMO_ROOT}/garage/door-1/+`);
      const all = await watcher(t, port, `${DEMO_ROOT}/+/+/status`);
      await demoFor(t, port, { doorOnlineMs: 300 }).start();

      const status = (ms: ReceivedMessage[]) =>
        ms.filter((m) => m.topic === statusOf('garage/door-1')).map(text);
      const messages = await until(
        door.inbox,
        (ms) => status(ms).includes('offline'),
        5_000,
        'the door’s will',
      );
      assert.deepEqual(status(messages), ['online', 'offline']);
      const state = messages.find((m) => m.topic === `${DEMO_ROOT}/garage/door-1/state`);
      assert.ok(state, 'the door published its state');
      assert.equal(typeof (JSON.parse(text(state)) as { open: unknown }).open, 'boolean');

      // Only the door went offline; a later subscriber sees its will retained.
      await sleep(100);
      assert.deepEqual(
        all.inbox.messages.filter((m) => text(m) === 'offline').map((m) => m.topic),
        [statusOf('garage/door-1')],
      );
      const late = await watcher(t, port, statusOf('garage/door-1'));
      const [retained] = await late.inbox.waitFor(1, 5_000);
      assert.deepEqual([text(retained), retained.retain], ['offline', true]);
    },
  );

  it('the camera sends binary JPEG-like frames (FF D8 … FF D9)', { timeout: 15_000 }, async (t) => {
    const { port } = await brokerFor(t);
    const camera = await watcher(t, port, `${DEMO_ROOT}/yard/camera-1/thumbnail`);
    await demoFor(t, port).start();
    const frames = await camera.inbox.waitFor(2, 5_000);
    for (const frame of frames) {
      const bytes = Buffer.from(frame.payload);
      assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8]);
      assert.deepEqual([...bytes.subarray(-2)], [0xff, 0xd9]);
      assert.equal(frame.properties?.contentType, 'image/jpeg');
    }
    assert.notDeepEqual(frames[0].payload, frames[1].payload, 'frames differ');
  });

  it(
    'the Sparkplug edge node is born with a bdSeq one higher on each start',
    { timeout: 15_000 },
    async (t) => {
      const { port } = await brokerFor(t);
      const births = await watcher(t, port, 'spBv1.0/demo-plant/NBIRTH/#');
      const demo = demoFor(t, port, { intervalMs: 60_000 });
      const bdSeqs = () =>
        births.inbox.messages.map((m) =>
          Number(
            decodeSparkplugPayload(m.payload).metrics?.find((x) => x.name === 'bdSeq')?.longValue,
          ),
        );
      for (let run = 0; run < 3; run++) {
        await demo.start();
        await until(births.inbox, (m) => m.length === run + 1, 5_000, `NBIRTH ${run + 1}`);
        await demo.stop();
      }
      assert.deepEqual(bdSeqs(), [0, 1, 2]);
    },
  );

  it(
    'burst(2000, 1) delivers about 2,000 messages on demo/burst/…, half of them on one topic',
    { timeout: 15_000 },
    async (t) => {
      const { port } = await brokerFor(t);
      const burst = await watcher(t, port, `${DEMO_ROOT}/burst/#`);
      const demo = demoFor(t, port, { intervalMs: 60_000 });
      await demo.start();
      const started = Date.now();
      demo.burst(2000, 1);
      // Wait for the flow to stop: nothing new for 300 ms.
      let last = -1;
      while (burst.inbox.messages.length !== last && Date.now() - started < 8_000) {
        last = burst.inbox.messages.length;
        await sleep(300);
      }
      const count = burst.inbox.messages.length;
      // 100 messages per 50 ms slice for one second: 2,000-2,100 on an idle machine; slower
      // timers on a busy one give fewer slices, never more.
      assert.ok(count >= 1500 && count <= 2100, `received ${count}`);
      const ns = burst.inbox.messages.map((m) => (JSON.parse(text(m)) as { n: number }).n);
      assert.deepEqual(
        [...ns].sort((a, b) => a - b),
        Array.from({ length: count }, (_, i) => i),
        'every message from 0 up, once each',
      );
      assert.ok(
        burst.inbox.messages.every(
          (m) => m.topic === burstTopic((JSON.parse(text(m)) as { n: number }).n),
        ),
      );
      // Uneven, as a flood is: half on one topic, a quarter on another.
      const on = (i: number) =>
        burst.inbox.messages.filter((m) => m.topic === `${DEMO_ROOT}/burst/${i}`).length;
      assert.equal(on(0), Math.ceil(count / 2));
      assert.ok(Math.abs(on(1) - count / 4) <= 1, `${on(1)} of ${count} on burst/1`);
    },
  );

  it(
    'stop() disconnects every device cleanly: no will fires, statuses stay "online"',
    { timeout: 15_000 },
    async (t) => {
      const { broker, port } = await brokerFor(t);
      const live = await watcher(t, port, `${DEMO_ROOT}/+/+/status`);
      const demo = demoFor(t, port);
      const running: boolean[] = [];
      demo.onDidChangeRunning((r) => running.push(r));
      await demo.start();
      await until(
        live.inbox,
        (ms) => onlineStatuses(ms).size === DEVICES.length,
        5_000,
        'every device online',
      );
      // Seven devices, the Sparkplug B edge node and the watcher.
      await waitForBroker(broker, (s) => s.kind === 'running' && s.clients === 9, 3_000);

      await demo.stop();
      assert.equal(demo.isRunning, false);
      assert.deepEqual(running, [true, false]);
      await waitForBroker(broker, (s) => s.kind === 'running' && s.clients === 1, 3_000);
      await sleep(300);
      assert.deepEqual(
        live.inbox.messages.filter((m) => text(m) !== 'online').map((m) => m.topic),
        [],
        'no will was published',
      );
      const late = await watcher(t, port, `${DEMO_ROOT}/+/+/status`);
      const retained = await late.inbox.waitFor(DEVICES.length, 5_000, 150);
      assert.deepEqual(
        retained.map((m) => text(m)),
        DEVICES.map(() => 'online'),
      );
    },
  );

  it('stop() after the broker went away finishes promptly', { timeout: 15_000 }, async (t) => {
    const { broker, port } = await brokerFor(t);
    const demo = demoFor(t, port);
    await demo.start();
    await sleep(200);
    await broker.stop();
    await sleep(300); // sensor-1 goes on publishing at QoS 1 with nobody to acknowledge
    const stopping = Date.now();
    await demo.stop();
    assert.ok(Date.now() - stopping < 2_500, `stop() took ${Date.now() - stopping} ms`);
    assert.equal(demo.isRunning, false);
  });

  it(
    'start() against no broker rejects and leaves the demo stopped and startable again',
    { timeout: 15_000 },
    async (t) => {
      const port = await freePort(); // nothing listens here yet
      const demo = demoFor(t, port);
      const running: boolean[] = [];
      demo.onDidChangeRunning((r) => running.push(r));
      await assert.rejects(demo.start(), /ECONNREFUSED/);
      assert.equal(demo.isRunning, false);
      assert.deepEqual(running, [true, false]);

      const broker = new LocalBroker(memoryLogger());
      t.after(() => broker.stop());
      assert.equal((await broker.start({ port })).port, port);
      await demo.start();
      assert.equal(demo.isRunning, true);
      await waitForBroker(broker, (s) => s.kind === 'running' && s.clients >= 7, 5_000);
    },
  );

  it(
    'stop() while start() is still connecting leaves no device connected',
    { timeout: 15_000 },
    async (t) => {
      const { broker, port } = await brokerFor(t);
      const demo = demoFor(t, port);
      const starting = demo.start();
      await sleep(1); // the sensors are connecting
      await demo.stop();
      await starting;
      assert.equal(demo.isRunning, false);
      await sleep(500);
      await waitForBroker(broker, (s) => s.kind === 'running' && s.clients === 0, 3_000);
    },
  );
});

describe('DemoDevices on aedes 1.2.0', () => {
  it(
    'start() fails clearly (the devices speak MQTT 5) and leaves nothing connected',
    { timeout: 15_000 },
    async (t) => {
      const { broker, port } = await brokerFor(t, () => import('aedes-v1'));
      const demo = demoFor(t, port);
      await assert.rejects(demo.start(), /Unacceptable protocol version/);
      assert.equal(demo.isRunning, false);
      await sleep(200);
      assert.deepEqual(broker.state, { kind: 'running', port, wsPort: undefined, clients: 0 });
    },
  );
});
