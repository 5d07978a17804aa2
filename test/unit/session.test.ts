/**
 * MqttSession driven through its client factory port with a scripted client and fake time:
 * reconnects that keep MQTT.js's stores, in-flight publishes that survive while the broker
 * keeps the session, the offline queue, subscriptions, and what the state says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, type Logger } from '../../src/core/ports';
import type { MqttSession, SessionState } from '../../src/core/session/session';
import type { FakeScheduler } from './fakeScheduler';
import { scriptedSession } from './fakeMqttClient';

function setup(
  raw: Record<string, unknown> = {},
  limits = { maxMessages: 3, maxBytes: 1_000 },
  logger: Logger = silentLogger,
) {
  const scripted = scriptedSession(raw, { logger, offlineQueueLimits: () => limits });
  const states: SessionState[] = [];
  scripted.session.onDidChangeState((s) => states.push(s));
  return { ...scripted, states };
}

/** Advances fake time to the scheduled retry. */
function untilRetry(session: MqttSession, scheduler: FakeScheduler): void {
  const s = session.state;
  assert.ok(s.kind === 'reconnecting' && s.nextAttemptAt !== undefined, JSON.stringify(s));
  scheduler.advance(s.nextAttemptAt - scheduler.now());
}

const settle = () => new Promise((r) => setImmediate(r));

describe('MqttSession over a scripted client', () => {
  it('reconnects the same client with its own stores after a lost link', async () => {
    const { session, scheduler, clients, client } = setup();
    const connected = session.connect();
    client().accept();
    await connected;
    client().drop();
    const s = session.state;
    assert.equal(s.kind, 'reconnecting');
    assert.equal(s.kind === 'reconnecting' && s.cause, 'the connection was lost');
    assert.ok(s.kind === 'reconnecting' && s.nextAttemptAt! - scheduler.now() <= 500);
    untilRetry(session, scheduler);
    assert.equal(clients.length, 1, 'no new client: a new one would start with empty stores');
    assert.equal(client().reconnects.length, 1);
    assert.equal(client().reconnects[0].outgoingStore, client().outgoingStore);
    assert.equal(client().reconnects[0].incomingStore, client().incomingStore);
  });

  it('says why the link dropped: keepalive, broker DISCONNECT', () => {
    const { session, client } = setup({ keepalive: 5, protocolVersion: 5 });
    void session.connect().catch(() => undefined);
    client().accept();
    client().drop(new Error('Keepalive timeout'));
    assert.equal(
      session.state.kind === 'reconnecting' && session.state.cause,
      'no answer within keepalive 7.5 s',
    );
  });

  it('a reset of a link that was up is logged as a lost link, not as a TLS mix-up', () => {
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    const logger = { info: log, warn: log, error: log, debug: log };
    const { session, client } = setup({}, undefined, logger);
    void session.connect();
    client().accept();
    client().drop(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    assert.equal(lines.filter((l) => l.includes('TLS')).length, 0, lines.join('\n'));
    assert.ok(lines.includes('[p] mqtt://127.0.0.1:1883 reset the connection (ECONNRESET)'));
  });

  it('a session taken over (0x8E) is an error, not a reconnect loop', () => {
    const { session, scheduler, client } = setup({ protocolVersion: 5 });
    void session.connect();
    client().accept();
    client().emit('disconnect', { cmd: 'disconnect', reasonCode: 0x8e });
    client().drop();
    assert.equal(session.state.kind, 'error');
    assert.match(session.state.kind === 'error' ? session.state.message : '', /took over/);
    assert.equal(scheduler.pending, 0);
  });

  it('keeps in-flight publishes while the broker keeps the session; they resolve on ack', async () => {
    const { session, scheduler, client } = setup({ clean: false });
    void session.connect();
    client().accept();
    const publish = session.publish({ topic: 't', payload: 'x', qos: 1, retain: false });
    const id = client().published[0].messageId!;
    client().drop();
    untilRetry(session, scheduler);
    client().accept(true);
    client().ack(id);
    const outcome = await publish;
    assert.deepEqual(outcome.handshake, ['PUBACK']);
  });

  it('without the session: re-sends an unacknowledged PUBLISH, fails an accepted QoS 2 and says why', async () => {
    const { session, scheduler, client } = setup({ clean: false });
    void session.connect();
    client().accept();
    const unacknowledged = session.publish({ topic: 't', payload: 'x', qos: 1, retain: false });
    const accepted = session.publish({ topic: 't', payload: 'y', qos: 2, retain: false });
    const [first, second] = client().published.map((p) => p.messageId!);
    // The broker answered PUBREC for the QoS 2 one: MQTT.js now holds its PUBREL.
    client().outgoingStore.put({ cmd: 'pubrel', messageId: second }, () => undefined);
    client().drop();
    untilRetry(session, scheduler);
    client().accept(false);
    await assert.rejects(accepted, /lost the session before releasing it/);
    assert.deepEqual(Object.keys(client().outgoing), [String(first)], 'the PUBLISH is kept');
    client().ack(first);
    await unacknowledged;
  });

  it('queues publishes while reconnecting and sends them in order once back', async () => {
    const { session, scheduler, client } = setup();
    void session.connect();
    client().accept();
    client().drop();
    const counts: number[] = [];
    session.onDidChangeQueue((n) => counts.push(n));
    const queued = ['a', 'b', 'c'].map((payload) =>
      session.publish({ topic: 'q', payload, qos: 0, retain: false }),
    );
    assert.equal(session.queued, 3);
    await assert.rejects(
      session.publish({ topic: 'q', payload: 'd', qos: 0, retain: false }),
      /offline queue is full \(3 messages/,
    );
    untilRetry(session, scheduler);
    assert.deepEqual(client().published, []);
    client().accept();
    await Promise.all(queued);
    assert.deepEqual(
      client().published.map((p) => p.payload),
      ['a', 'b', 'c'],
    );
    assert.equal(session.queued, 0);
    assert.deepEqual(counts, [1, 2, 3, 0]);
  });

  it('the byte limit bounds the queue too; Drop Queued fails what waits', async () => {
    const { session, client } = setup({}, { maxMessages: 100, maxBytes: 10 });
    void session.connect();
    client().accept();
    client().drop();
    const first = session.publish({ topic: 'q', payload: '12345', qos: 1, retain: false });
    await assert.rejects(
      session.publish({ topic: 'q', payload: '123456', qos: 1, retain: false }),
      /offline queue is full/,
    );
    assert.equal(session.dropQueued(), 1);
    await assert.rejects(first, /was dropped/);
  });

  it('a publish while disconnected is refused, not queued', async () => {
    const { session } = setup();
    await assert.rejects(
      session.publish({ topic: 'q', payload: 'x', qos: 0, retain: false }),
      /not connected/,
    );
  });

  it('re-sends subscriptions only when the broker did not keep the session', async () => {
    const { session, scheduler, client } = setup({
      clean: false,
      subscriptions: [{ topic: 'a/#', qos: 1 }],
    });
    void session.connect();
    client().accept();
    client().grantAll(1);
    await settle();
    assert.deepEqual(client().subscribed, ['a/#']);
    client().drop();
    assert.equal(session.subscriptions[0].status.kind, 'pending');
    untilRetry(session, scheduler);
    client().accept(true);
    assert.deepEqual(client().subscribed, ['a/#'], 'no SUBSCRIBE with the session present');
    assert.deepEqual(session.subscriptions[0].status, { kind: 'granted', qos: 1 });
    client().drop();
    untilRetry(session, scheduler);
    client().accept(false);
    assert.deepEqual(client().subscribed, ['a/#', 'a/#']);
  });

  it('the backoff starts over once CONNACK and SUBACKs succeeded, not before', async () => {
    const { session, scheduler, client } = setup({ subscriptions: [{ topic: 'a', qos: 0 }] });
    void session.connect();
    client().accept();
    client().grantAll(0);
    await settle();
    const attempt = () => (session.state.kind === 'reconnecting' ? session.state.attempt : 0);
    client().drop();
    untilRetry(session, scheduler);
    client().drop(new Error('ECONNREFUSED'));
    assert.equal(attempt(), 2);
    untilRetry(session, scheduler);
    client().accept(); // SUBACK not yet in
    client().drop();
    assert.equal(attempt(), 3, 'a drop before the SUBACK keeps backing off');
    untilRetry(session, scheduler);
    client().accept();
    client().grantAll(0);
    await settle();
    client().drop();
    assert.equal(attempt(), 1);
  });

  it('an autoConnect profile retries a first connection that fails; others stop in error', () => {
    const auto = setup({ autoConnect: true });
    auto.session.connect().catch(() => undefined);
    auto.client().drop(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    assert.equal(auto.session.state.kind, 'reconnecting');
    untilRetry(auto.session, auto.scheduler);
    assert.equal(auto.client().reconnects.length, 1);
    auto.client().accept();
    assert.equal(auto.session.state.kind, 'connected');

    const manual = setup();
    manual.session.connect().catch(() => undefined);
    manual
      .client()
      .drop(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    assert.equal(manual.session.state.kind, 'error');
    assert.equal(manual.scheduler.pending, 0);
  });

  it('a credential refusal stops an autoConnect profile too', async () => {
    const { session, scheduler, client } = setup({ autoConnect: true, protocolVersion: 5 });
    const connecting = session.connect();
    client().refuse(0x87);
    await assert.rejects(connecting, /0x87 Not authorized/);
    assert.equal(session.state.kind, 'error');
    assert.equal(scheduler.pending, 0);
  });

  it('Reconnect Now: connect() while waiting retries at once', () => {
    const { session, scheduler, client } = setup();
    void session.connect();
    client().accept();
    client().drop();
    session.connect().catch(() => undefined);
    assert.equal(client().reconnects.length, 1);
    assert.equal(scheduler.pending, 0, 'the scheduled retry was cancelled');
  });

  it('Drop Connection closes the socket without DISCONNECT and reconnects', () => {
    const { session, client } = setup();
    void session.connect();
    client().accept();
    session.dropConnection();
    assert.deepEqual(client().ends, [], 'no end(): no DISCONNECT');
    assert.match(
      session.state.kind === 'reconnecting' ? (session.state.cause ?? '') : '',
      /dropped on purpose/,
    );
  });

  it('disconnect fails what is queued and closes the link', async () => {
    const { session, client } = setup();
    void session.connect();
    client().accept();
    client().drop();
    const queued = session.publish({ topic: 'q', payload: 'x', qos: 1, retain: false });
    await session.disconnect();
    await assert.rejects(queued, /was disconnected; the queued publish was not sent/);
    assert.deepEqual(client().ends, [true], 'forced: there is no link to say DISCONNECT on');
    assert.equal(session.state.kind, 'disconnected');
  });
});
