/**
 * MQTT 5 properties end to end against real brokers, Mosquitto 2.0 and the embedded aedes
 * 2.0.0-beta.1: a publish with every property arrives with them at a subscriber, whose
 * subscription identifier (from its profile) comes back on the message and is named by the
 * Message Log detail; a Last Will with a delay interval and properties is published after an
 * abnormal close, not before the delay (Mosquitto). Neither broker sends topic aliases to a
 * client, so a scripted broker does: the detail names the topic an alias stood for.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { MessageStore } from '../../src/core/store/messageStore';
import { toLogDetail } from '../../src/core/log/logRows';
import type { MqttSession } from '../../src/core/session/session';
import { bothBrokers } from '../support/bothBrokers';
import { startTcpProxy } from '../support/tcpProxy';
import { craftPublish, startHostileBroker } from '../support/hostileBroker';
import { inbox, newSession, subscriptionsSettled, text, uniqueId } from '../support/sessions';

const EVERY_PROPERTY = {
  contentType: 'application/json',
  payloadFormatIndicator: true,
  messageExpiryInterval: 300,
  responseTopic: 'replies/me',
  correlationData: Buffer.from([0, 1, 0xfe]),
  userProperties: { tag: ['first', 'second'], site: 'north' },
  topicAlias: 1,
};

const servers = bothBrokers();

const brokers = [
  { name: 'Mosquitto 2.0', port: () => servers.mosquittoPort(), allOverlapping: true },
  // A gap of the beta: one copy for overlapping subscriptions, carrying only the first
  // matching subscription's identifier (MQTT 5 §3.3.4 wants all of them on a single copy).
  { name: 'aedes 2.0.0-beta.1', port: servers.aedesPort, allOverlapping: false },
];

/** The detail of `session`'s last message, as the Message Log builds it. */
function detailOf(session: MqttSession, message: Parameters<MessageStore['append']>[2]) {
  const store = new MessageStore({ scheduler: realScheduler });
  const seq = store.append(session.name, 'in', message);
  return toLogDetail(store.get(seq)!, undefined, false, {
    now: Date.now(),
    subscriptionFor: (_connection, id) =>
      session.subscriptions.find((s) => s.subscriptionIdentifier === id)?.topic,
  });
}

for (const broker of brokers) {
  describe(`MQTT 5 publish properties through ${broker.name}`, () => {
    it('a publish with every property arrives with them, and the subscription identifier', async (t) => {
      const base = { host: '127.0.0.1', port: broker.port(), protocolVersion: 5 };
      const topic = `props/${uniqueId('p')}`;
      const subscriber = newSession(t, {
        ...base,
        subscriptions: [
          { topic: 'props/#', qos: 1, subscriptionIdentifier: 7 },
          { topic: `${topic}/+`, qos: 1, subscriptionIdentifier: 268_435_455 },
        ],
      });
      const received = inbox(subscriber, topic);
      await subscriber.connect();
      await subscriptionsSettled(subscriber, 5_000);
      assert.ok(subscriber.subscriptions.every((s) => s.status.kind === 'granted'));

      const publisher = newSession(t, base);
      await publisher.connect();
      await publisher.publish({
        topic,
        payload: '{"a":1}',
        qos: 1,
        retain: false,
        properties: EVERY_PROPERTY,
      });
      await publisher.publish({ topic: `${topic}/x`, payload: 'two', qos: 1, retain: false });
      const messages = await received.waitFor(2, 5_000, 300);
      const first = messages[0];
      // Overlapping subscriptions: a broker sends one copy per subscription or one copy with
      // every identifier (MQTT 5 §3.3.4); either way, each identifier names its subscription.
      const copies = messages.filter((m) => m.topic === `${topic}/x`);
      const details = copies.map((m) => detailOf(subscriber, m));
      const named = details
        .flatMap((d) => d.mqtt5?.subscriptions ?? [])
        .sort((a, b) => a.identifier - b.identifier);
      const both = [
        { identifier: 7, topicFilter: 'props/#' },
        { identifier: 268_435_455, topicFilter: `${topic}/+` },
      ];
      assert.deepEqual(named, broker.allOverlapping ? both : both.slice(0, 1));
      assert.equal(copies.length, broker.allOverlapping ? 2 : 1);
      assert.ok(copies.every((m) => text(m) === 'two'));
      const firstDetail = detailOf(subscriber, first);
      assert.deepEqual(firstDetail.mqtt5?.correlationData, { hex: '00 01 fe' });
      assert.ok((firstDetail.mqtt5?.expiry?.remainingS ?? 0) > 290);
    });
  });
}

describe('a Last Will with MQTT 5 properties (Mosquitto)', () => {
  it(
    'is published after its delay interval, with its properties',
    { timeout: 15_000 },
    async (t) => {
      const base = { host: '127.0.0.1', port: servers.mosquittoPort(), protocolVersion: 5 };
      const willTopic = `will/${uniqueId('w')}`;
      const observer = newSession(t, { ...base, subscriptions: [{ topic: willTopic, qos: 1 }] });
      const observed = inbox(observer);
      await observer.connect();
      await subscriptionsSettled(observer, 5_000);

      const proxy = await startTcpProxy(servers.mosquittoPort());
      t.after(() => proxy.stop());
      const victim = newSession(t, {
        host: '127.0.0.1',
        port: proxy.port,
        protocolVersion: 5,
        // The will waits for its delay only while the session lives (MQTT 5 §3.1.3.2.2).
        sessionExpiryInterval: 30,
        will: {
          topic: willTopic,
          payload: 'gone',
          qos: 1,
          delayInterval: 2,
          messageExpiryInterval: 120,
          contentType: 'text/plain',
          responseTopic: 'will/replies',
          correlationData: 'hex:cafe',
          payloadFormatIndicator: true,
          userProperties: { reason: ['cut', 'test'], site: 'north' },
        },
      });
      await victim.connect();
      proxy.refuse(true); // the victim must not come back within the delay (that cancels the will)
      const cutAt = Date.now();
      proxy.cutAll();

      const [will] = await observed.waitFor(1, 10_000);
      const delayMs = Date.now() - cutAt;
      t.diagnostic(`the will came ${delayMs} ms after the cut (delay interval 2 s)`);
      assert.ok(delayMs >= 1_900, `published ${delayMs} ms after the cut, before its 2 s delay`);
      assert.equal(text(will), 'gone');
      const p = will.properties ?? {};
      assert.equal(p.contentType, 'text/plain');
      assert.equal(p.responseTopic, 'will/replies');
      assert.equal(p.payloadFormatIndicator, true);
      assert.deepEqual(Buffer.from(p.correlationData as Uint8Array), Buffer.from([0xca, 0xfe]));
      assert.deepEqual(
        { ...(p.userProperties as object) },
        { reason: ['cut', 'test'], site: 'north' },
      );
      assert.ok(typeof p.messageExpiryInterval === 'number' && p.messageExpiryInterval <= 120);
      await victim.disconnect();
    },
  );
});

describe('a topic alias from the broker', () => {
  it('is resolved to its topic, and the detail says what it stood for', async (t) => {
    const hostile = await startHostileBroker();
    t.after(() => hostile.stop());
    const session = newSession(t, { host: '127.0.0.1', port: hostile.port, protocolVersion: 5 });
    const received = inbox(session);
    const next = hostile.nextClient();
    await session.connect();
    const client = await next;
    const alias3 = Buffer.from([0x23, 0x00, 0x03]); // Topic Alias (0x23) = 3
    const publish = (topic: string, payload: string) =>
      craftPublish({
        topic,
        payload: Buffer.from(payload),
        rawProperties: alias3,
        protocolVersion: 5,
      });
    await client.send(publish('plant/line-1/temp', 'sets the alias'));
    await client.send(publish('', 'uses the alias'));
    const [, aliased] = await received.waitFor(2, 5_000);
    assert.equal(aliased.topic, 'plant/line-1/temp');
    assert.equal(text(aliased), 'uses the alias');
    assert.deepEqual(detailOf(session, aliased).mqtt5?.topicAlias, {
      alias: 3,
      topic: 'plant/line-1/temp',
    });
  });
});
