/**
 * What the broker allows, against real brokers: Mosquitto 2.0 configured with `max_qos 1`,
 * `retain_available false`, `max_packet_size` and `max_topic_alias`, the embedded aedes 2.0 with
 * a small packet limit, and aedes 1.2 over MQTT 3.1.1. The CONNACK limits are read; a publish
 * over the broker's Maximum Packet Size, QoS 2 on a `max_qos 1` broker, a retained message on a
 * broker without them and a shared subscription on a broker without them are refused before
 * sending: a second client subscribed to everything counts what reached the broker, and the
 * session stays connected (a broker that got them would have closed it).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import type { MqttSession } from '../../src/core/session/session';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { publishPacketSize } from '../../src/core/session/publishPacketSize';
import { memoryLogger, newSession, uniqueId, within } from '../support/sessions';

const MAX_PACKET = 2048;

/** A bare MQTT.js client subscribed to `prefix/#`: what reached the broker, in order. */
async function counter(t: TestContext, port: number, prefix: string) {
  const client: MqttClient = await mqtt.connectAsync({
    host: '127.0.0.1',
    port,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  t.after(() => client.endAsync(true));
  await client.subscribeAsync(`${prefix}/#`, { qos: 1 });
  const seen: string[] = [];
  let wake = () => undefined as void;
  client.on('message', (topic) => {
    seen.push(topic);
    wake();
  });
  return {
    seen,
    /** Resolves once `topic` arrived (the marker sent after what must not arrive). */
    async until(topic: string) {
      await within(
        new Promise<void>((resolve) => {
          wake = () => (seen.includes(topic) ? resolve() : undefined);
          wake();
        }),
        5_000,
        `"${topic}" at the counting client`,
      );
      return seen;
    },
  };
}

async function connected(session: MqttSession) {
  await within(session.connect(), 5_000, 'connect');
  const caps = session.capabilities;
  assert.ok(caps, 'capabilities are known once connected');
  return caps;
}

describe('what the broker allows: Mosquitto with limits', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({
      settings: ['retain_available false', `max_packet_size ${MAX_PACKET}`],
      listenerSettings: ['max_qos 1', 'max_topic_alias 4'],
    });
  });
  after(() => broker?.stop());
  const v5 = () => ({ host: '127.0.0.1', port: broker.port, protocolVersion: 5 });

  it('MQTT 5: the CONNACK limits are read', { timeout: 10_000 }, async (t) => {
    const caps = await connected(newSession(t, v5()));
    assert.equal(caps.protocolVersion, 5);
    assert.equal(caps.maximumQoS, 1);
    assert.equal(caps.retainAvailable, false);
    assert.equal(caps.maximumPacketSize, MAX_PACKET);
    assert.equal(caps.topicAliasMaximum, 4);
    for (const name of ['maximumQoS', 'retainAvailable', 'maximumPacketSize', 'topicAliasMaximum'])
      assert.ok(caps.announced.includes(name as never), `${name} is marked as announced`);
  });

  it(
    'MQTT 5: a publish over Maximum Packet Size is refused before sending; one at the limit goes',
    { timeout: 15_000 },
    async (t) => {
      const prefix = uniqueId('caps');
      const count = await counter(t, broker.port, prefix);
      const session = newSession(t, v5());
      await connected(session);
      const at = { topic: `${prefix}/at`, payload: '', qos: 1 as const, retain: false };
      // The largest payload whose PUBLISH is exactly the broker's limit.
      const base = publishPacketSize(at, 5);
      at.payload = 'x'.repeat(MAX_PACKET - base - 1);
      while (publishPacketSize(at, 5) < MAX_PACKET) at.payload += 'x';
      assert.equal(publishPacketSize(at, 5), MAX_PACKET);
      const over = { ...at, topic: `${prefix}/over`, payload: `${at.payload}x` };
      await assert.rejects(
        session.publish(over),
        new RegExp(
          `PUBLISH too large: ${publishPacketSize(over, 5).toLocaleString('en-US')} bytes, the broker accepts at most 2,048 bytes on "test" \\(CONNACK Maximum Packet Size 2048\\)`,
        ),
      );
      await within(session.publish(at), 5_000, 'PUBACK of the publish at the limit');
      await within(
        session.publish({ ...at, topic: `${prefix}/marker`, payload: 'm' }),
        5_000,
        'PUBACK of the marker',
      );
      assert.deepEqual(await count.until(`${prefix}/marker`), [`${prefix}/at`, `${prefix}/marker`]);
      assert.equal(session.state.kind, 'connected', 'the broker did not close the connection');
    },
  );

  it(
    'MQTT 5: QoS 2 on a max_qos 1 broker and retain on a broker without it are refused',
    { timeout: 15_000 },
    async (t) => {
      const prefix = uniqueId('caps');
      const count = await counter(t, broker.port, prefix);
      const session = newSession(t, v5());
      await connected(session);
      const message = { topic: `${prefix}/q2`, payload: 'x', qos: 2 as const, retain: false };
      await assert.rejects(
        session.publish(message),
        /allows at most QoS 1 on "test" \(CONNACK Maximum QoS 1\)/,
      );
      await assert.rejects(
        session.publish({ ...message, qos: 1, retain: true }),
        /Retain Available 0/,
      );
      await within(
        session.publish({ ...message, topic: `${prefix}/marker`, qos: 1 }),
        5_000,
        'PUBACK of the marker',
      );
      assert.deepEqual(await count.until(`${prefix}/marker`), [`${prefix}/marker`]);
      assert.equal(session.state.kind, 'connected');
    },
  );

  it('MQTT 3.1.1: no CONNACK properties, the 3.1.1 defaults', { timeout: 10_000 }, async (t) => {
    const session = newSession(t, { ...v5(), protocolVersion: 4, keepalive: 42 });
    const caps = await connected(session);
    assert.equal(caps.protocolVersion, 4);
    assert.equal(caps.maximumQoS, 2);
    assert.equal(caps.retainAvailable, true);
    assert.equal(caps.maximumPacketSize, undefined);
    assert.equal(caps.topicAliasMaximum, 0);
    assert.equal(caps.subscriptionIdentifiersAvailable, false);
    assert.equal(caps.keepAlive, 42);
    assert.deepEqual(caps.announced, []);
  });
});

describe('what the broker allows: the embedded aedes 2.0 (MQTT 5)', () => {
  const broker = new LocalBroker(memoryLogger());
  let port: number;
  before(async () => {
    ({ port } = await broker.start({ port: 0, limits: { maxPacketBytes: 1024 } }));
  });
  after(() => broker.stop());

  it(
    'reads its limits, refuses an oversized publish and a shared subscription',
    { timeout: 15_000 },
    async (t) => {
      const prefix = uniqueId('caps');
      const count = await counter(t, port, prefix);
      const session = newSession(t, { host: '127.0.0.1', port, protocolVersion: 5 });
      const caps = await connected(session);
      assert.equal(caps.maximumPacketSize, 1024);
      assert.equal(caps.topicAliasMaximum, 64);
      assert.equal(caps.sharedSubscriptionAvailable, false);
      assert.equal(caps.maximumQoS, 2);
      const big = {
        topic: `${prefix}/big`,
        payload: 'x'.repeat(1024),
        qos: 2 as const,
        retain: false,
      };
      await assert.rejects(session.publish(big), /CONNACK Maximum Packet Size 1024/);
      const status = await session.subscribe({ topic: `$share/g/${prefix}/#`, qos: 1 });
      assert.equal(status.kind, 'refused');
      assert.match(
        status.kind === 'refused' ? status.reason : '',
        /^Shared subscriptions not supported by this broker \(CONNACK Shared Subscription Available 0\)/,
      );
      await within(
        session.publish({ ...big, topic: `${prefix}/marker`, payload: 'm' }),
        5_000,
        'PUBCOMP of the marker',
      );
      assert.deepEqual(await count.until(`${prefix}/marker`), [`${prefix}/marker`]);
      assert.equal(session.state.kind, 'connected');
    },
  );
});

describe('what the broker allows: aedes 1.2 (MQTT 3.1.1)', () => {
  let aedes: AedesBroker;
  before(async () => {
    aedes = await startAedes();
  });
  after(() => aedes?.stop());

  it(
    'a 3.1.1 CONNACK: the protocol defaults, and QoS 2 goes out',
    { timeout: 10_000 },
    async (t) => {
      const session = newSession(t, { host: '127.0.0.1', port: aedes.port, protocolVersion: 4 });
      const caps = await connected(session);
      assert.equal(caps.maximumQoS, 2);
      assert.equal(caps.sharedSubscriptionAvailable, true);
      assert.equal(caps.maximumPacketSize, undefined);
      const outcome = await within(
        session.publish({ topic: uniqueId('caps'), payload: 'x', qos: 2, retain: false }),
        5_000,
        'PUBCOMP',
      );
      assert.deepEqual(outcome.handshake, ['PUBREC', 'PUBREL', 'PUBCOMP']);
    },
  );
});
