/**
 * A `.mqtt` run's default client over one of the user's connections, against an in-process
 * aedes: its publishes are logged by the traffic hub and it learns their seq, its subscriptions
 * are temporary (never the user's, gone after), a retained message sent right behind the SUBACK
 * is not missed, two blocks on one filter share it, and closing never disconnects the user's
 * connection.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { MessageStore } from '../../src/core/store/messageStore';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import type { RunMessage } from '../../src/core/mqttFile/runTypes';
import { sessionRunClient } from '../../src/extension/mqttFile/sessionRunClient';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { newSession, uniqueId, within } from '../support/sessions';

function messages() {
  const got: RunMessage[] = [];
  let wake: (() => void) | undefined;
  return {
    got,
    push: (m: RunMessage) => {
      got.push(m);
      wake?.();
    },
    async count(n: number) {
      while (got.length < n)
        await within(new Promise<void>((r) => (wake = r)), 5_000, `${n} message(s)`);
    },
  };
}

describe('the session-backed run client (aedes)', () => {
  let broker: AedesBroker;
  before(async () => {
    broker = await startAedes();
  });
  after(() => broker?.stop());

  const connected = async (t: Parameters<typeof newSession>[0]) => {
    const session = newSession(t, { host: '127.0.0.1', port: broker.port, protocolVersion: 4 });
    const store = new MessageStore({ scheduler: realScheduler });
    const log = new TrafficLog(store, session.onTraffic);
    t.after(() => {
      log.dispose();
      store.dispose();
    });
    const client = await sessionRunClient(session, async (s) => {
      await (s as typeof session).connect();
      return true;
    });
    return { session, store, client };
  };

  it('publishes through the session: logged, with its seq and handshake', async (t) => {
    const { store, client, session } = await connected(t);
    assert.equal(session.state.kind, 'connected', 'connected on first use');
    const topic = `run/${uniqueId()}`;
    const result = await client.publish({
      topic,
      payload: Buffer.from('hi'),
      qos: 1,
      retain: false,
    });
    assert.deepEqual(result.handshake, ['PUBACK']);
    assert.ok(result.seq !== undefined, 'the seq of the logged publish');
    const entry = store.get(result.seq);
    assert.equal(entry?.topic, topic);
    assert.equal(entry?.direction, 'out');
  });

  it('subscribes temporarily, gets a retained message and the seq of each message', async (t) => {
    const { client, session } = await connected(t);
    const topic = `run/${uniqueId()}/state`;
    await client.publish({ topic, payload: Buffer.from('kept'), qos: 1, retain: true });
    const first = messages();
    const second = messages();
    const a = await client.subscribe(`${topic.split('/').slice(0, 2).join('/')}/+`, 1, first.push);
    const b = await client.subscribe(`${topic.split('/').slice(0, 2).join('/')}/+`, 1, second.push);
    assert.equal(a.grantedQos, 1);
    assert.deepEqual(
      session.subscriptions.map((s) => s.topic),
      [],
      'never among the user subscriptions',
    );
    assert.equal(session.temporary.topics.length, 1, 'one shared subscription for one filter');
    await first.count(1);
    assert.equal(Buffer.from(first.got[0].payload).toString(), 'kept');
    assert.equal(first.got[0].retain, true);
    await client.publish({ topic, payload: Buffer.from('live'), qos: 0, retain: false });
    await first.count(2);
    await second.count(1);
    assert.ok(first.got[1].seq !== undefined, 'the received message carries its log seq');
    await a.close();
    assert.equal(session.temporary.topics.length, 1, 'still used by the second block');
    await b.close();
    assert.equal(session.temporary.topics.length, 0, 'unsubscribed once nobody waits on it');
    await client.publish({ topic, payload: new Uint8Array(), qos: 1, retain: true });
  });

  it('close() stops using the connection and never disconnects it', async (t) => {
    const { client, session } = await connected(t);
    await client.subscribe(`run/${uniqueId()}/#`, 0, () => undefined);
    await client.close();
    assert.equal(session.state.kind, 'connected');
    assert.equal(session.temporary.topics.length, 0);
    await assert.rejects(
      client.publish({ topic: 'run/x', payload: new Uint8Array(), qos: 0, retain: false }),
      /no longer uses/,
    );
  });

  it('fails clearly when the connection cannot be connected', async (t) => {
    const session = newSession(t, { host: '127.0.0.1', port: broker.port, protocolVersion: 4 });
    await assert.rejects(
      sessionRunClient(session, async () => false),
      /The connection "test" is not connected/,
    );
  });
});
