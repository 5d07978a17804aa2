/**
 * The packet trace against real brokers — Mosquitto 2.0 and the embedded aedes 2.0.0-beta.1 —
 * on MQTT 5 and 3.1.1: a traced QoS 2 publish to a topic the session subscribes to shows the
 * exact PUBLISH → PUBREC → PUBREL → PUBCOMP sequence both ways, each answer with its round trip,
 * the CONNECT with the user name and the password masked, and every PUBLISH linked to its entry
 * in the Message Log.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { realScheduler, silentLogger } from '../../src/core/ports';
import { MessageStore } from '../../src/core/store/messageStore';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import { PacketTrace } from '../../src/core/trace/packetTrace';
import { traceFields, traceSummary } from '../../src/core/trace/traceText';
import type { TraceEntry } from '../../src/core/trace/traceTypes';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { freePort } from '../support/ports';
import { inbox, newSession, subscriptionsSettled, uniqueId, within } from '../support/sessions';

const USER = 'tracer';
const PASSWORD = 'trace-secret-pw';

const OUT_FLOW = ['sent PUBLISH', 'received PUBREC', 'sent PUBREL', 'received PUBCOMP'];
const IN_FLOW = ['received PUBLISH', 'sent PUBREC', 'received PUBREL', 'sent PUBCOMP'];

/** Resolves once `done()` holds, checked whenever the trace announces a change. */
function until(trace: PacketTrace, done: () => boolean, what: string): Promise<void> {
  if (done()) return Promise.resolve();
  return within(
    new Promise<void>((resolve) => {
      const sub = trace.onDidChange(() => {
        if (!done()) return;
        sub.dispose();
        resolve();
      });
    }),
    5_000,
    what,
  );
}

async function tracedQos2(t: TestContext, port: number, protocolVersion: 4 | 5) {
  const session = newSession(
    t,
    { host: '127.0.0.1', port, protocolVersion, username: USER },
    { password: PASSWORD },
  );
  const store = new MessageStore({ scheduler: realScheduler });
  const log = new TrafficLog(store, session.onTraffic);
  const trace = new PacketTrace(session.onTraffic, { scheduler: realScheduler });
  t.after(() => {
    trace.dispose();
    log.dispose();
    store.dispose();
  });
  trace.setTraced(session.name, true);
  const topic = `trace/${uniqueId('qos2')}`;
  const received = inbox(session, topic);
  await session.connect();
  void session.subscribe({ topic, qos: 2 });
  await subscriptionsSettled(session, 5_000);
  await within(session.publish({ topic, payload: 'x', qos: 2, retain: false }), 5_000, 'PUBCOMP');
  await received.waitFor(1, 5_000);
  const entries = () => trace.page(session.name, 0, 1_000);
  const flow = (e: TraceEntry) => `${e.direction} ${e.type}`;
  await until(
    trace,
    () => entries().some((e) => flow(e) === 'sent PUBCOMP'),
    'the PUBCOMP we send',
  );
  const all = entries();
  const handshake = all.filter((e) => /^PUB/.test(e.type));
  const out = handshake.filter((e) => OUT_FLOW.includes(flow(e)));
  const incoming = handshake.filter((e) => IN_FLOW.includes(flow(e)));
  assert.deepEqual(out.map(flow), OUT_FLOW, 'our QoS 2 publish');
  assert.deepEqual(incoming.map(flow), IN_FLOW, 'its delivery back to us');
  for (const exchange of [out, incoming]) {
    assert.equal(new Set(exchange.map((e) => e.packetId)).size, 1, 'one packet id per exchange');
    for (const answer of exchange.slice(1).filter((e) => e.type !== 'PUBREL'))
      assert.ok(
        answer.rttMs !== undefined && answer.rttMs >= 0,
        `${flow(answer)} has its round trip`,
      );
  }
  for (const e of all) assert.ok(e.size !== undefined && e.size >= 2, `${flow(e)} has its size`);
  const connect = all[0];
  assert.equal(flow(connect), 'sent CONNECT');
  assert.equal(JSON.stringify(all).includes(PASSWORD), false, 'the password is never kept');
  const fields = traceFields(connect);
  assert.equal(fields.find((f) => f.name === 'password')?.value, '••••••');
  assert.equal(fields.find((f) => f.name === 'username')?.value, USER);
  assert.match(traceSummary(connect), new RegExp(`user "${USER}" password ••••••`));
  const connack = all.find((e) => e.type === 'CONNACK');
  assert.ok(connack?.rttMs !== undefined, 'CONNACK has its round trip');
  assert.ok(all.find((e) => e.type === 'SUBACK')?.rttMs !== undefined, 'SUBACK has its round trip');
  const rows = store.page({ limit: 10 }).entries;
  const seqOf = (direction: 'in' | 'out') => rows.find((r) => r.direction === direction)?.seq;
  assert.equal(out[0].seq, seqOf('out'), 'the sent PUBLISH links to its log entry');
  assert.equal(incoming[0].seq, seqOf('in'), 'the received PUBLISH links to its log entry');
  assert.ok(connect.time % 1 !== 0 || connack!.time % 1 !== 0, 'times carry a fraction of a ms');
}

describe('packet trace with Mosquitto', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ passwords: { [USER]: PASSWORD } });
  });
  after(() => broker?.stop());

  for (const version of [5, 4] as const)
    it(
      `shows a traced QoS 2 exchange exactly (MQTT ${version === 5 ? '5' : '3.1.1'})`,
      { timeout: 15_000 },
      (t) => tracedQos2(t, broker.port, version),
    );
});

describe('packet trace with the embedded aedes broker', () => {
  const broker = new LocalBroker(silentLogger);
  let port = 0;
  before(async () => {
    ({ port } = await broker.start({
      port: await freePort(),
      credentials: { username: USER, password: PASSWORD },
    }));
  });
  after(() => broker.stop());

  for (const version of [5, 4] as const)
    it(
      `shows a traced QoS 2 exchange exactly (MQTT ${version === 5 ? '5' : '3.1.1'})`,
      { timeout: 15_000 },
      (t) => tracedQos2(t, port, version),
    );
});
