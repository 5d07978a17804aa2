/**
 * The traffic hub: what sessions send and receive reaches the message store as one stream
 * (SessionManager.onTraffic → TrafficLog), with every publish logged because it went through a
 * session — at once, queued then sent, Clear Retained — its row before the broker's echo, and
 * its outcome attached later: PUBACK, PUBREC → PUBREL → PUBCOMP with timings, a refusal with
 * its reason code and string, or a failure with its reason. Driven by a scripted client.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IPublishPacket } from 'mqtt';
import { silentLogger } from '../../src/core/ports';
import { validateProfiles } from '../../src/core/profile/profile';
import { SessionManager } from '../../src/core/session/sessionManager';
import type { MqttSession } from '../../src/core/session/session';
import { MessageStore, type MessageEntry } from '../../src/core/store/messageStore';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import type { PublishResult, TrafficEvent } from '../../src/core/traffic/trafficTypes';
import { clearRetained } from '../../src/core/topics/retainedClearing';
import { toLogDetail, toLogRow } from '../../src/core/log/logRows';
import { FakeScheduler } from './fakeScheduler';
import { fakeFactory, type FakeMqttClient } from './fakeMqttClient';

function setup(protocolVersion: 4 | 5 = 5) {
  const { profiles } = validateProfiles([
    { name: 'p', url: 'mqtt://127.0.0.1:1883', protocolVersion },
  ]);
  const scheduler = new FakeScheduler();
  const { factory, clients } = fakeFactory();
  const memory = new Map<string, unknown>();
  const manager = new SessionManager({
    scheduler,
    logger: silentLogger,
    credentials: { getPassword: async () => undefined },
    store: {
      get: <T>(key: string) => memory.get(key) as T | undefined,
      update: async (key: string, value: unknown) => void memory.set(key, value),
    },
    clientFactory: factory,
    maxRetryDelayMs: () => 1_000,
  });
  const store = new MessageStore({ scheduler });
  const log = new TrafficLog(store, manager.onTraffic);
  manager.apply(profiles);
  const session = manager.get('p')!;
  const client = (): FakeMqttClient => clients[clients.length - 1];
  const rows = (): MessageEntry[] => store.page({ limit: 100 }).entries;
  return { manager, store, log, session, scheduler, client, rows };
}

async function connected(session: MqttSession, client: () => FakeMqttClient): Promise<void> {
  const done = session.connect();
  client().accept();
  await done;
}

/** The broker echoes a publish on a topic we subscribe to, before MQTT.js even returns. */
function echoing(client: FakeMqttClient): void {
  const publish = client.publish.bind(client);
  client.publish = ((topic: string, payload: string | Buffer, opts: { qos: number }, cb) => {
    const bytes = Buffer.from(payload);
    const packet = { cmd: 'publish', topic, payload: bytes, qos: 0, retain: false, dup: false };
    client.emit('message', topic, bytes, packet as unknown as IPublishPacket);
    return publish(topic, payload, opts, cb);
  }) as FakeMqttClient['publish'];
}

const text = (entry: MessageEntry) => Buffer.from(entry.payload).toString();
const result = (entry: MessageEntry): PublishResult => {
  assert.ok(entry.outcome && entry.outcome !== 'pending', `outcome of ${entry.topic}`);
  return entry.outcome;
};

describe('the traffic hub', () => {
  it('logs a publish before its echo, then attaches the PUBACK', async () => {
    const { session, client, rows, scheduler } = setup();
    await connected(session, client);
    echoing(client());
    const published = session.publish({ topic: 't/1', payload: 'hi', qos: 1, retain: false });
    assert.deepEqual(
      rows().map((e) => [e.direction, e.topic, text(e)]),
      [
        ['out', 't/1', 'hi'],
        ['in', 't/1', 'hi'],
      ],
      'the outgoing row comes before the broker echo',
    );
    assert.equal(rows()[0].outcome, 'pending');
    scheduler.advance(12);
    client().ack(client().published[0].messageId!);
    const outcome = await published;
    const stored = result(rows()[0]);
    assert.equal(stored.state, 'ok');
    assert.deepEqual(stored.steps, [{ packet: 'PUBACK', atMs: 12 }]);
    assert.deepEqual(outcome.handshake, ['PUBACK']);
    assert.equal(toLogRow(rows()[0]).outcome, 'ok');
    assert.equal(toLogRow(rows()[1]).outcome, undefined, 'received rows have no outcome');
  });

  it('records the full QoS 2 exchange with the time of each step', async () => {
    const { session, client, rows, scheduler } = setup();
    await connected(session, client);
    const published = session.publish({ topic: 'q2', payload: 'x', qos: 2, retain: false });
    scheduler.advance(5);
    client().completeQos2(client().published[0].messageId!, () => scheduler.advance(3));
    await published;
    const stored = result(rows()[0]);
    assert.equal(stored.state, 'ok');
    assert.deepEqual(stored.steps, [
      { packet: 'PUBREC', atMs: 5 },
      { packet: 'PUBREL', atMs: 8 },
      { packet: 'PUBCOMP', atMs: 11, reasonCode: 0 },
    ]);
    const detail = toLogDetail(rows()[0], undefined, false);
    assert.deepEqual(
      detail.exchange?.steps.map((s) => `${s.packet}@${s.atMs}`),
      ['PUBREC@5', 'PUBREL@8', 'PUBCOMP@11'],
    );
    assert.equal(detail.exchange?.elapsedMs, 11);
  });

  it('records a refusal with its reason code and reason string', async () => {
    const { session, client, rows } = setup();
    await connected(session, client);
    const published = session.publish({ topic: 'denied', payload: 'x', qos: 1, retain: false });
    client().refusePublish(client().published[0].messageId!, 0x87, 'ACL says no');
    await assert.rejects(published, (e: Error & { reasonCode?: number }) => e.reasonCode === 0x87);
    const stored = result(rows()[0]);
    assert.equal(stored.state, 'refused');
    assert.equal(stored.reasonCode, 0x87);
    assert.equal(stored.reasonString, 'ACL says no');
    const detail = toLogDetail(rows()[0], undefined, false);
    assert.equal(detail.outcome, 'refused');
    assert.equal(detail.exchange?.reason, '0x87 Not authorized');
    assert.equal(detail.exchange?.reasonString, 'ACL says no');
    assert.deepEqual(detail.exchange?.steps, [
      { packet: 'PUBACK', atMs: 0, reason: '0x87 Not authorized' },
    ]);
  });

  it('shows a queued publish at once, and times it from when it left the queue', async () => {
    const { session, client, rows, scheduler } = setup();
    await connected(session, client);
    client().drop();
    assert.equal(session.state.kind, 'reconnecting');
    const published = session.publish({ topic: 'later', payload: 'q', qos: 1, retain: false });
    assert.deepEqual(
      rows().map((e) => [e.direction, e.topic, e.outcome]),
      [['out', 'later', 'pending']],
      'the row appears while the publish waits in the queue',
    );
    const s = session.state;
    assert.ok(s.kind === 'reconnecting' && s.nextAttemptAt !== undefined);
    scheduler.advance(s.nextAttemptAt - scheduler.now());
    client().accept();
    assert.equal(client().published.length, 1, 'sent once back');
    scheduler.advance(4);
    client().ack(client().published[0].messageId!);
    await published;
    assert.equal(rows().length, 1, 'no second row when it leaves the queue');
    const stored = result(rows()[0]);
    assert.equal(stored.state, 'ok');
    assert.ok(stored.sentAt! > rows()[0].time, 'sent after it was queued');
    const exchange = toLogDetail(rows()[0], undefined, false).exchange!;
    assert.equal(exchange.queuedMs, stored.sentAt! - rows()[0].time);
    assert.equal(exchange.elapsedMs, 4);
  });

  it('a publish dropped from the queue, or made while disconnected, is a failed row', async () => {
    const { session, client, rows } = setup();
    await assert.rejects(
      session.publish({ topic: 'offline', payload: 'x', qos: 0, retain: false }),
      /not connected/,
    );
    await connected(session, client);
    client().drop();
    const queued = session.publish({ topic: 'dropped', payload: 'y', qos: 1, retain: false });
    session.dropQueued();
    await assert.rejects(queued, /was dropped/);
    const [offline, dropped] = rows();
    assert.equal(result(offline).state, 'failed');
    assert.match(result(offline).error ?? '', /not connected/);
    assert.equal(result(dropped).state, 'failed');
    assert.match(result(dropped).error ?? '', /was dropped/);
    assert.equal(toLogRow(dropped).outcome, 'failed');
  });

  it('logs the empty retained publishes of Clear Retained with their outcome', async () => {
    const { session, client, rows } = setup();
    await connected(session, client);
    const clearing = clearRetained(session, ['a/1', 'a/2']);
    for (const p of client().published) client().ack(p.messageId!);
    const outcome = await clearing;
    assert.deepEqual(outcome.cleared.sort(), ['a/1', 'a/2']);
    assert.deepEqual(
      rows().map((e) => [e.direction, e.topic, e.payload.byteLength, e.retain, result(e).state]),
      [
        ['out', 'a/1', 0, true, 'ok'],
        ['out', 'a/2', 0, true, 'ok'],
      ],
    );
  });

  it('keeps bytes and MQTT 5 properties of a publish', async () => {
    const { session, client, rows } = setup();
    await connected(session, client);
    await session.publish({
      topic: 'bin',
      payload: new Uint8Array([0, 255, 1]),
      qos: 0,
      retain: false,
      properties: { contentType: 'application/octet-stream' },
    });
    const [entry] = rows();
    assert.deepEqual([...entry.payload], [0, 255, 1]);
    assert.deepEqual(entry.properties, { contentType: 'application/octet-stream' });
    assert.equal(result(entry).state, 'ok');
  });

  it('one stream across sessions, subscribed once; packets only for who asks', async () => {
    const { manager, session, client } = setup();
    const all: string[] = [];
    const packets: string[] = [];
    manager.onTraffic((e: TrafficEvent, s) => all.push(`${s.name}:${e.kind}`));
    manager.onTraffic(
      (e) => {
        if (e.kind === 'packet') packets.push(`${e.direction} ${e.packet.cmd}`);
      },
      { packets: true },
    );
    await connected(session, client);
    const published = session.publish({ topic: 't', payload: 'x', qos: 1, retain: false });
    client().ack(client().published[0].messageId!);
    await published;
    client().emit('message', 't', Buffer.from('y'), {
      cmd: 'publish',
      qos: 0,
      retain: false,
      dup: false,
    } as unknown as IPublishPacket);
    assert.deepEqual(all, ['p:out', 'p:outcome', 'p:in'], 'no packet events without asking');
    assert.deepEqual(packets, ['received connack', 'received puback']);
  });

  it('an outcome is dropped with its entry when the store evicts it', async () => {
    const { manager, session, client, scheduler } = setup();
    const store = new MessageStore({ scheduler, maxMessages: 1 });
    new TrafficLog(store, manager.onTraffic);
    await connected(session, client);
    const first = session.publish({ topic: 'one', payload: 'x', qos: 1, retain: false });
    const firstSeq = store.stats().lastSeq;
    await session.publish({ topic: 'two', payload: 'y', qos: 0, retain: false });
    client().ack(client().published[0].messageId!);
    await first;
    assert.equal(store.get(firstSeq), undefined, 'evicted');
    assert.equal(store.outcomeOf(firstSeq), undefined);
    assert.equal(store.outcomeOf(store.stats().lastSeq) !== undefined, true);
  });

  it('tells views once per batch that outcomes changed, never once per acknowledgement', async () => {
    const { session, client, store, scheduler } = setup();
    await connected(session, client);
    const notices: number[] = [];
    store.onDidAppend(() => notices.push(store.outcomesRevision));
    const publishes = [1, 2, 3].map((n) =>
      session.publish({ topic: `t/${n}`, payload: 'x', qos: 1, retain: false }),
    );
    scheduler.advance(100);
    for (const p of client().published) client().ack(p.messageId!);
    await Promise.all(publishes);
    const before = notices.length;
    scheduler.advance(100);
    assert.equal(notices.length, before + 1, 'one notice for three outcomes');
    assert.ok(notices[notices.length - 1] > notices[0]);
  });
});
