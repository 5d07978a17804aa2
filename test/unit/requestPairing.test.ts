/**
 * Request/response with fake time: replies paired byte-exactly by correlation data, the first
 * one timed from the send, others collected within the window, a timeout as a result, and the
 * temporary subscription of a request made on a real MqttSession over a scripted client.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestPairing, type ReplyCandidate } from '../../src/core/request/requestPairing';
import { sendRequest, describeRequestResult } from '../../src/core/request/sendRequest';
import type { OutgoingTraffic } from '../../src/core/traffic/trafficTypes';
import { FakeScheduler } from './fakeScheduler';
import { scriptedSession } from './fakeMqttClient';

const cd = Buffer.from('0123456789abcdef0123456789abcdef');

function reply(
  scheduler: FakeScheduler,
  correlationData?: Uint8Array,
  text = 'pong',
): ReplyCandidate {
  return {
    topic: 'r',
    payload: Buffer.from(text),
    properties: correlationData ? { correlationData } : undefined,
    receivedAt: scheduler.now(),
  };
}

function pairing(windowMs = 500) {
  const scheduler = new FakeScheduler();
  const p = new RequestPairing({ correlationData: cd, timeoutMs: 5000, windowMs, scheduler });
  return { scheduler, p };
}

describe('RequestPairing', () => {
  it('pairs the first reply and times it from the send', async () => {
    const { scheduler, p } = pairing(0);
    scheduler.advance(12);
    assert.equal(p.offer(reply(scheduler, Buffer.from(cd))), true);
    const result = await p.done;
    assert.equal(result.kind, 'replied');
    assert.equal(result.kind === 'replied' && result.first.latencyMs, 12);
    assert.equal(result.kind === 'replied' && result.others.length, 0);
    assert.equal(scheduler.pending, 0, 'no timer left behind');
  });

  it('collects other replies within the window, not after it', async () => {
    const { scheduler, p } = pairing(500);
    scheduler.advance(10);
    p.offer(reply(scheduler, cd, 'a'));
    scheduler.advance(100);
    assert.equal(p.offer(reply(scheduler, cd, 'b')), true);
    scheduler.advance(399);
    assert.equal(p.offer(reply(scheduler, cd, 'c')), true);
    scheduler.advance(1);
    assert.equal(p.offer(reply(scheduler, cd, 'late')), false);
    const result = await p.done;
    assert.ok(result.kind === 'replied');
    assert.equal(Buffer.from(result.first.message.payload).toString(), 'a');
    assert.deepEqual(
      result.others.map((o) => [Buffer.from(o.message.payload).toString(), o.latencyMs]),
      [
        ['b', 110],
        ['c', 509],
      ],
    );
  });

  it('does not pair other correlation data, a prefix of it, or none; then times out', async () => {
    const { scheduler, p } = pairing();
    const other = Buffer.from(cd);
    other[31] ^= 1;
    assert.equal(p.offer(reply(scheduler, other)), false);
    assert.equal(p.offer(reply(scheduler, cd.subarray(0, 16))), false);
    assert.equal(p.offer(reply(scheduler, undefined)), false);
    assert.equal(
      p.offer({ ...reply(scheduler), properties: { correlationData: cd.toString() } }),
      false,
    );
    scheduler.advance(4999);
    let settled = false;
    void p.done.then(() => (settled = true));
    await Promise.resolve();
    assert.equal(settled, false);
    scheduler.advance(1);
    assert.deepEqual(await p.done, { kind: 'timeout', timeoutMs: 5000 });
  });

  it('an interruption ends it with why, or with the replies so far', async () => {
    const first = pairing();
    first.p.interrupt('disconnected');
    assert.deepEqual(await first.p.done, { kind: 'interrupted', reason: 'disconnected' });
    const second = pairing();
    second.p.offer(reply(second.scheduler, cd));
    second.p.interrupt('disconnected');
    assert.equal((await second.p.done).kind, 'replied');
  });
});

function v5Session(protocolVersion: 4 | 5 = 5, more: Record<string, unknown> = {}) {
  return scriptedSession({
    ...more,
    protocolVersion,
    subscriptions: [{ topic: 'user/#', qos: 0 }],
  });
}

const settle = () => new Promise((r) => setImmediate(r));

describe('sendRequest on a session', () => {
  async function started(timeoutMs = 5000, profile: Record<string, unknown> = {}) {
    const s = v5Session(5, profile);
    const connected = s.session.connect();
    s.client().accept();
    await connected;
    s.client().grantAll(0);
    const outgoing: OutgoingTraffic[] = [];
    s.session.onTraffic((event) => {
      if (event.kind === 'out') outgoing.push(event);
    });
    const done = sendRequest(
      s.session,
      { topic: 'svc/echo', payload: 'ping', qos: 0, timeoutMs, windowMs: 0 },
      s.scheduler,
    );
    await settle();
    const responseTopic = s.client().subscribed.at(-1)!;
    assert.match(responseTopic, /^c1\/responses\/[0-9a-f]{12}$/);
    assert.deepEqual(
      s.session.subscriptions.map((x) => x.topic),
      ['user/#'],
      'not a user subscription',
    );
    assert.deepEqual(s.session.temporary.topics, [responseTopic]);
    s.client().grantAll(0);
    await settle();
    return { ...s, done, responseTopic, outgoing };
  }

  it('publishes with response topic and correlation data, pairs the reply, unsubscribes', async () => {
    const { session, scheduler, client, done, responseTopic, outgoing } = await started();
    const sent = client().published.at(-1)!;
    assert.equal(sent.topic, 'svc/echo');
    scheduler.advance(7);
    client().emit('message', responseTopic, Buffer.from('wrong'), {
      cmd: 'publish',
      topic: responseTopic,
      qos: 0,
      retain: false,
      dup: false,
      properties: { correlationData: Buffer.from('not it') },
    });
    await settle();
    const result0 = await Promise.race([done, settle().then(() => 'open')]);
    assert.equal(result0, 'open', 'the wrong correlation data was not paired');
    const props = outgoing[0].properties as { responseTopic: string; correlationData: Buffer };
    assert.equal(props.responseTopic, responseTopic);
    assert.match(props.correlationData.toString(), /^[0-9a-f]{32}$/);
    client().emit('message', responseTopic, Buffer.from('pong'), {
      cmd: 'publish',
      topic: responseTopic,
      qos: 0,
      retain: false,
      dup: false,
      properties: { correlationData: Buffer.from(props.correlationData) },
    });
    const result = await done;
    assert.equal(result.kind, 'replied');
    assert.equal(result.kind === 'replied' && result.first.latencyMs, 7);
    assert.equal(describeRequestResult(result), 'reply after 7 ms');
    assert.deepEqual(client().unsubscribed, [responseTopic]);
    assert.deepEqual(session.temporary.topics, []);
  });

  it('a timeout is a result, and the temporary subscription is removed then too', async () => {
    const { scheduler, client, done, responseTopic } = await started(5000);
    scheduler.advance(5000);
    const result = await done;
    assert.equal(result.kind, 'timeout');
    assert.equal(describeRequestResult(result), 'no reply within 5 s');
    assert.deepEqual(client().unsubscribed, [responseTopic]);
  });

  it('a disconnect interrupts it; an MQTT 3.1.1 connection is refused with why', async () => {
    const { session, done } = await started();
    await session.disconnect();
    const result = await done;
    assert.equal(result.kind, 'interrupted');
    const old = v5Session(4);
    await assert.rejects(
      sendRequest(old.session, { topic: 't', payload: '', qos: 0, timeoutMs: 1000 }, old.scheduler),
      /uses MQTT 3\.1\.1; a request needs MQTT 5/,
    );
  });

  it('a link lost mid-request: the broker may keep the session, so it unsubscribes on reconnect', async () => {
    const { session, scheduler, client, done, responseTopic } = await started(5000, {
      sessionExpiryInterval: 60,
    });
    client().drop();
    assert.equal((await done).kind, 'interrupted');
    assert.deepEqual(client().unsubscribed, [], 'no link to send it on');
    const s = session.state;
    assert.ok(s.kind === 'reconnecting' && s.nextAttemptAt !== undefined);
    scheduler.advance(s.nextAttemptAt - scheduler.now());
    client().accept(true);
    await settle();
    assert.deepEqual(client().unsubscribed, [responseTopic]);
    assert.ok(!client().subscribed.slice(2).includes(responseTopic), 'never restored');
  });
});
