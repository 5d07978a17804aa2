/**
 * The traffic hub against real brokers: Mosquitto 2.0 on MQTT 5 with an ACL refuses a publish
 * with PUBACK 0x87 Not authorized and the stored outgoing entry says so; a publish on a topic
 * the session subscribes to is logged before the broker's echo; a QoS 2 publish to aedes keeps
 * the PUBREC → PUBREL → PUBCOMP exchange it really went through.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { MessageStore, type MessageEntry } from '../../src/core/store/messageStore';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import type { MqttSession } from '../../src/core/session/session';
import type { PublishResult } from '../../src/core/traffic/trafficTypes';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { inbox, newSession, subscriptionsSettled, uniqueId, within } from '../support/sessions';

const PASSWORDS = { writer: 'writer-secret' };
// `writer` may publish under open/ only; it may read everything.
const ACL = `topic readwrite #
user writer
topic read #
topic readwrite open/#
`;

function logged(t: { after(fn: () => void): void }, session: MqttSession) {
  const store = new MessageStore({ scheduler: realScheduler });
  const log = new TrafficLog(store, session.onTraffic);
  t.after(() => {
    log.dispose();
    store.dispose();
  });
  return { store, rows: (): MessageEntry[] => store.page({ limit: 100 }).entries };
}

const outcome = (entry: MessageEntry | undefined): PublishResult => {
  assert.ok(entry?.outcome && entry.outcome !== 'pending', 'an outcome is stored');
  return entry.outcome;
};

describe('traffic hub with Mosquitto (MQTT 5, ACL)', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ passwords: PASSWORDS, acl: ACL });
  });
  after(() => broker?.stop());

  it('stores a publish the ACL denies as refused with 0x87', { timeout: 10_000 }, async (t) => {
    const session = newSession(
      t,
      { host: '127.0.0.1', port: broker.port, protocolVersion: 5, username: 'writer' },
      { password: PASSWORDS.writer },
    );
    const { rows } = logged(t, session);
    await session.connect();
    const topic = `closed/${uniqueId('acl')}`;
    await assert.rejects(
      within(session.publish({ topic, payload: 'no', qos: 1, retain: false }), 5_000, 'PUBACK'),
      (e: Error & { reasonCode?: number }) => e.reasonCode === 0x87,
    );
    const [entry] = rows();
    assert.equal(entry.direction, 'out');
    assert.equal(entry.topic, topic);
    const result = outcome(entry);
    assert.equal(result.state, 'refused');
    assert.equal(result.reasonCode, 0x87);
    assert.deepEqual(
      result.steps.map((s) => [s.packet, s.reasonCode]),
      [['PUBACK', 0x87]],
    );
  });

  it(
    'logs an allowed publish before its echo, acknowledged by PUBACK',
    { timeout: 10_000 },
    async (t) => {
      const topic = `open/${uniqueId('echo')}`;
      const session = newSession(
        t,
        {
          host: '127.0.0.1',
          port: broker.port,
          protocolVersion: 5,
          username: 'writer',
          subscriptions: [{ topic, qos: 1 }],
        },
        { password: PASSWORDS.writer },
      );
      const { rows } = logged(t, session);
      const received = inbox(session);
      await session.connect();
      await subscriptionsSettled(session, 5_000);
      await within(
        session.publish({ topic, payload: 'hi', qos: 1, retain: false }),
        5_000,
        'PUBACK',
      );
      await received.waitFor(1, 5_000);
      assert.deepEqual(
        rows().map((e) => [e.direction, e.topic]),
        [
          ['out', topic],
          ['in', topic],
        ],
      );
      const result = outcome(rows()[0]);
      assert.equal(result.state, 'ok');
      assert.deepEqual(
        result.steps.map((s) => s.packet),
        ['PUBACK'],
      );
    },
  );
});

describe('traffic hub with aedes (QoS 2)', () => {
  let broker: AedesBroker;
  before(async () => {
    broker = await startAedes();
  });
  after(() => broker?.stop());

  it('stores the PUBREC → PUBREL → PUBCOMP exchange, timed', { timeout: 10_000 }, async (t) => {
    const session = newSession(t, { host: '127.0.0.1', port: broker.port, protocolVersion: 4 });
    const { rows } = logged(t, session);
    await session.connect();
    await within(
      session.publish({ topic: 'q2/exchange', payload: 'once', qos: 2, retain: false }),
      5_000,
      'PUBCOMP',
    );
    const result = outcome(rows()[0]);
    assert.equal(result.state, 'ok');
    assert.deepEqual(
      result.steps.map((s) => s.packet),
      ['PUBREC', 'PUBREL', 'PUBCOMP'],
    );
    const times = result.steps.map((s) => s.atMs);
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
      'in the order they happened',
    );
  });
});
