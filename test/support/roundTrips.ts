/**
 * Round trips that the broker and interop tests run against different brokers: an MqttSession
 * and Eclipse Paho exchanging many messages both ways, and the steps of the retained-message
 * checks. Each broker's test keeps its own expectations where the brokers differ.
 */
import * as assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { MqttSession, SubscriptionStatus } from '../../src/core/session/session';
import { pahoPublish, pahoSubscribe } from './paho';
import { inbox, newSession, subscriptionsSettled, text, type Inbox } from './sessions';

/** `${prefix}0` … `${prefix}${n - 1}`. */
export const ordered = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** QoS 0 promises neither order nor delivery; on loopback all arrive, so compare sorted by index. */
export const byIndex = (payloads: string[]) =>
  [...payloads].sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));

export interface RoundTrip {
  port: number;
  protocol: 4 | 5;
  qos: 0 | 1 | 2;
  topic: string;
  /** How many messages go across. */
  count: number;
}

const plain = (o: RoundTrip) => ({ host: '127.0.0.1', port: o.port, protocolVersion: o.protocol });

/** Paho publishes p0…: the session, subscribed at QoS 2, must receive each one exactly once. */
export async function pahoToSession(t: TestContext, o: RoundTrip): Promise<void> {
  const { topic, qos, count } = o;
  const session = newSession(t, { ...plain(o), subscriptions: [{ topic, qos: 2 }] });
  const received = inbox(session);
  await session.connect();
  await subscriptionsSettled(session, 5_000);
  await pahoPublish({
    port: o.port,
    topic,
    payload: 'p{i}',
    qos,
    count,
    protocol: o.protocol,
    timeoutMs: 10_000,
  });
  const messages = await received.waitFor(count, 10_000, 150);
  assert.equal(messages.length, count, 'no message may arrive twice');
  const payloads = messages.map(text);
  assert.deepEqual(qos === 0 ? byIndex(payloads) : payloads, ordered('p', count));
  assert.ok(messages.every((m) => m.qos === qos && !m.retain && m.topic === topic));
}

/** The session publishes s0…: Paho, subscribed at QoS 2, must receive each one exactly once. */
export async function sessionToPaho(t: TestContext, o: RoundTrip): Promise<void> {
  const { topic, qos, count } = o;
  const paho = pahoSubscribe({
    port: o.port,
    topic,
    qos: 2,
    count,
    protocol: o.protocol,
    timeoutMs: 10_000,
    lingerMs: 150,
  });
  t.after(() => paho.kill());
  assert.deepEqual(await paho.ready, [2]);
  const session = newSession(t, plain(o));
  await session.connect();
  await Promise.all(
    ordered('s', count).map((payload) => session.publish({ topic, payload, qos, retain: false })),
  );
  const messages = await paho.messages;
  assert.equal(messages.length, count, 'no message may arrive twice');
  const payloads = messages.map((m) => m.payload.toString('utf8'));
  assert.deepEqual(qos === 0 ? byIndex(payloads) : payloads, ordered('s', count));
  assert.ok(messages.every((m) => m.qos === qos && !m.retain && m.topic === topic));
}

/**
 * A publisher leaves 'kept' retained on `topic` (QoS 1), then a later session subscribes to it.
 * Returns the publisher, the later subscriber's inbox and what its subscribe() answered.
 */
export async function retainedThenLateSubscriber(
  t: TestContext,
  raw: Record<string, unknown>,
  topic: string,
): Promise<{ publisher: MqttSession; lateInbox: Inbox; granted: SubscriptionStatus }> {
  const publisher = newSession(t, raw);
  await publisher.connect();
  await publisher.publish({ topic, payload: 'kept', qos: 1, retain: true });

  const late = newSession(t, raw);
  const lateInbox = inbox(late);
  await late.connect();
  const granted = await late.subscribe({ topic, qos: 1 });
  return { publisher, lateInbox, granted };
}

/**
 * A new session subscribes to `topic`, then `publisher` sends a live (not retained) 'marker':
 * after a retained message was cleared, that marker must be all the new subscriber gets.
 */
export async function markerToNewSubscriber(
  t: TestContext,
  raw: Record<string, unknown>,
  publisher: MqttSession,
  topic: string,
): Promise<Inbox> {
  const after = newSession(t, raw);
  const afterInbox = inbox(after);
  await after.connect();
  await after.subscribe({ topic, qos: 1 });
  await publisher.publish({ topic, payload: 'marker', qos: 1, retain: false });
  return afterInbox;
}
