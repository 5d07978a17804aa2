// What the embedded broker keeps is bounded: the largest packet a client may send, the retained
// messages, and the messages queued for offline persistent sessions. Each cap is set small here
// and checked with real MQTT.js clients over TCP; the default ones are checked where a client
// can see them (the CONNACK's Maximum Packet Size).
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, it } from 'node:test';
import * as mqtt from 'mqtt';
import { LocalBroker, type LocalBrokerOptions } from '../../src/core/broker/localBroker';
import { freePort } from '../support/ports';
import { memoryLogger, uniqueId, within } from '../support/sessions';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let broker: LocalBroker | undefined;
let clients: mqtt.MqttClient[] = [];
let logger = memoryLogger();

async function startBroker(options: Partial<LocalBrokerOptions> = {}): Promise<string> {
  logger = memoryLogger();
  broker = new LocalBroker(logger);
  const { port } = await broker.start({ port: await freePort(), ...options });
  return `mqtt://127.0.0.1:${port}`;
}

async function connect(url: string, options: mqtt.IClientOptions = {}): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5,
    reconnectPeriod: 0,
    ...options,
  });
  clients.push(client);
  return client;
}

/** Collects messages on `filter` until `done` says so. */
async function collect(
  client: mqtt.MqttClient,
  filter: string,
  done: (topics: string[]) => boolean,
  what: string,
): Promise<string[]> {
  const topics: string[] = [];
  const finished = new Promise<void>((resolve) => {
    client.on('message', (topic) => {
      topics.push(topic);
      if (done(topics)) resolve();
    });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  await within(finished, 20_000, what);
  return topics;
}

afterEach(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  clients = [];
  await broker?.stop();
  broker = undefined;
});

describe('the local broker caps the packet size', () => {
  it('announces 16 MiB as Maximum Packet Size by default', async () => {
    const url = await startBroker();
    const connack = await new Promise<mqtt.IConnackPacket>((resolve, reject) => {
      const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0 });
      clients.push(client);
      client.once('connect', resolve);
      client.once('error', reject);
    });
    assert.equal(connack.properties?.maximumPacketSize, 16 * 1024 * 1024);
  });

  for (const protocolVersion of [5, 4] as const) {
    it(`drops an MQTT ${protocolVersion === 5 ? '5' : '3.1.1'} client that sends a larger packet, which no one receives`, async () => {
      const url = await startBroker({ limits: { maxPacketBytes: 64 * 1024 } });
      const subscriber = await connect(url);
      const received: { topic: string; bytes: number }[] = [];
      subscriber.on('message', (topic, payload) => received.push({ topic, bytes: payload.length }));
      await subscriber.subscribeAsync('big/#', { qos: 1 });
      const sender = await connect(url, { protocolVersion });
      const closed = new Promise<void>((resolve) => sender.once('close', resolve));
      sender.publish('big/one', Buffer.alloc(100 * 1024), { qos: 0 });
      await within(closed, 5_000, 'the broker to close the sender');
      const other = await connect(url, { protocolVersion });
      await other.publishAsync('big/after', Buffer.alloc(60 * 1024), { qos: 1 });
      await within(
        new Promise<void>((resolve) => {
          const check = () => received.some((m) => m.topic === 'big/after') && resolve();
          check();
          subscriber.on('message', check);
        }),
        5_000,
        'the packet under the cap',
      );
      assert.deepEqual(received, [{ topic: 'big/after', bytes: 60 * 1024 }]);
    });
  }
});

describe('the local broker caps retained messages', () => {
  it('keeps at most the cap of retained topics, says so, and frees a slot on delete', async () => {
    const url = await startBroker({ limits: { retainedMessages: 50 } });
    const publisher = await connect(url);
    for (let i = 0; i < 60; i++) {
      await publisher.publishAsync(`ret/${i}`, `v${i}`, { qos: 1, retain: true });
    }
    // Replacing a kept topic at the cap still works; a deleted one frees a slot.
    await publisher.publishAsync('ret/0', 'new', { qos: 1, retain: true });
    await publisher.publishAsync('ret/1', '', { qos: 1, retain: true });
    await publisher.publishAsync('ret/55', 'now-kept', { qos: 1, retain: true });
    const late = await connect(url);
    const got = new Map<string, string>();
    late.on('message', (topic, payload) => got.set(topic, payload.toString()));
    await collect(late, 'ret/#', (t) => t.length >= 50, '50 retained messages');
    await late.publishAsync('ret/marker', 'm', { qos: 1 });
    await within(
      new Promise<void>((resolve) => {
        const check = () => got.has('ret/marker') && resolve();
        check();
        late.on('message', check);
      }),
      5_000,
      'the marker',
    );
    got.delete('ret/marker');
    assert.equal(got.size, 50);
    assert.equal(got.get('ret/0'), 'new');
    assert.equal(got.has('ret/1'), false);
    assert.equal(got.get('ret/55'), 'now-kept');
    assert.equal(got.has('ret/50'), false);
    assert.ok(
      logger.lines.some((l) => l.startsWith('warn') && l.includes('"ret/50"') && l.includes('50')),
      logger.lines.join('\n'),
    );
  });

  it('keeps retained payloads within the byte cap', async () => {
    const url = await startBroker({ limits: { retainedBytes: 10_000 } });
    const publisher = await connect(url);
    for (let i = 0; i < 5; i++) {
      await publisher.publishAsync(`bytes/${i}`, Buffer.alloc(4_000), { qos: 1, retain: true });
    }
    const late = await connect(url);
    const topics = await collect(late, 'bytes/#', (t) => t.length >= 2, 'two retained messages');
    await late.publishAsync('bytes/marker', 'm', { qos: 1 });
    await within(
      new Promise<void>((resolve) => {
        if (topics.includes('bytes/marker')) resolve();
        late.on('message', (topic) => topic === 'bytes/marker' && resolve());
      }),
      5_000,
      'the marker',
    );
    assert.deepEqual(topics.filter((t) => t !== 'bytes/marker').sort(), ['bytes/0', 'bytes/1']);
  });
});

/** Queues `count` QoS 1 messages for an offline persistent session, then reconnects it. */
async function queueForOfflineSession(url: string, count: number) {
  const clientId = uniqueId('offline');
  const options = { clientId, protocolVersion: 4 as const, clean: false };
  const first = await connect(url, options);
  await first.subscribeAsync('queue/#', { qos: 1 });
  await first.endAsync();
  gc();
  const before = process.memoryUsage().heapUsed;
  const publisher = await connect(url);
  const payload = Buffer.alloc(100, 0x61);
  for (let i = 0; i < count; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 500); j++) {
      batch.push(publisher.publishAsync(`queue/${j}`, payload, { qos: 1 }));
    }
    await Promise.all(batch);
  }
  gc();
  const growth = process.memoryUsage().heapUsed - before;
  return { growth, reconnect: () => connect(url, options) };
}

describe('the local broker caps what it queues for offline sessions', () => {
  it('queues at most the cap per client, keeps the oldest, says how many it dropped', async () => {
    const url = await startBroker({ limits: { queuedMessagesPerClient: 500 } });
    const { reconnect } = await queueForOfflineSession(url, 5_000);
    const topics: string[] = [];
    const back = await reconnect();
    back.on('message', (topic) => topics.push(topic));
    await within(
      new Promise<void>((resolve) => {
        const check = () => topics.length >= 500 && resolve();
        check();
        back.on('message', check);
      }),
      20_000,
      'the queued messages',
    );
    const publisher = await connect(url);
    await publisher.publishAsync('queue/live', 'after', { qos: 1 });
    await within(
      new Promise<void>((resolve) => {
        if (topics.includes('queue/live')) resolve();
        back.on('message', (topic) => topic === 'queue/live' && resolve());
      }),
      5_000,
      'a live message after the queue drained',
    );
    assert.equal(topics.length, 501);
    assert.deepEqual(
      topics.slice(0, 500),
      Array.from({ length: 500 }, (_, i) => `queue/${i}`),
    );
    assert.ok(
      logger.lines.some((l) => l.includes('is full') && l.includes('500')),
      logger.lines.join('\n'),
    );
    assert.ok(
      logger.lines.some((l) => l.includes('4500 messages') && l.includes('dropped')),
      logger.lines.join('\n'),
    );
  });

  it('a connected persistent client behind by the cap still gets every message live', async () => {
    const url = await startBroker({ limits: { queuedMessagesPerClient: 100 } });
    const topics: string[] = [];
    let closed = false;
    const slow = await connect(url, {
      clientId: uniqueId('slow'),
      protocolVersion: 4,
      clean: false,
      // Never acknowledges: every message stays queued for it.
      customHandleAcks: () => undefined,
    });
    slow.on('close', () => (closed = true));
    slow.on('message', (topic) => topics.push(topic));
    await slow.subscribeAsync('slow/#', { qos: 1 });
    const publisher = await connect(url);
    await Promise.all(
      Array.from({ length: 150 }, (_, i) => publisher.publishAsync(`slow/${i}`, 'x', { qos: 1 })),
    );
    await within(
      new Promise<void>((resolve) => {
        const check = () => (topics.length >= 150 || closed) && resolve();
        check();
        slow.on('message', check);
        slow.on('close', check);
      }),
      10_000,
      '150 messages or a closed connection',
    );
    assert.equal(closed, false, `the broker dropped the client after ${topics.length} messages`);
    assert.equal(topics.length, 150);
  });

  it('memory: the heap grows with the queue without a cap and stays flat past it', async () => {
    const N = 20_000;
    const unbounded = { queuedMessagesPerClient: Number.MAX_SAFE_INTEGER };
    const uncapped = (await queueForOfflineSession(await startBroker({ limits: unbounded }), N))
      .growth;
    await broker?.stop();
    const bounded = { queuedMessagesPerClient: 1_000 };
    const capped = (await queueForOfflineSession(await startBroker({ limits: bounded }), N)).growth;
    const MiB = 1024 * 1024;
    console.log(
      `heap growth for ${N} QoS 1 messages to an offline session: ` +
        `${(uncapped / MiB).toFixed(1)} MiB uncapped, ${(capped / MiB).toFixed(1)} MiB with a 1,000-message cap`,
    );
    assert.ok(uncapped > 4 * MiB, `uncapped growth ${uncapped} is too small to compare`);
    assert.ok(capped < uncapped / 4, `capped ${capped} vs uncapped ${uncapped}`);
  });
});
