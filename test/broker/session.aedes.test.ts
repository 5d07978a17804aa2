/**
 * MqttSession and SessionManager against an in-process aedes 1.2.0 (MQTT 3.1.1 only). aedes is
 * here for what Mosquitto cannot do: refuse a SUBSCRIBE (0x80 in the SUBACK) and answer a bad
 * password with "bad user name or password"; and it lets the test see client ids directly.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realScheduler, silentLogger, type KeyValueStore } from '../../src/core/ports';
import { validateProfiles, type ConnectionProfile } from '../../src/core/profile/profile';
import { MqttError, type MqttSession, type SessionState } from '../../src/core/session/session';
import { SessionManager } from '../../src/core/session/sessionManager';
import { startAedes, type AedesBroker, type AedesHooks } from '../support/aedesBroker';
import { markerToNewSubscriber, retainedThenLateSubscriber } from '../support/roundTrips';
import {
  inbox,
  newSession,
  subscriptionsSettled,
  text,
  uniqueId,
  waitForState,
} from '../support/sessions';

const N = 200;
const USERS: Record<string, string> = { carol: 'carol-secret' };

const hooks: AedesHooks = {
  authenticate(_client, username, password, done) {
    if (username === undefined) return done(null, true);
    if (USERS[username] !== undefined && password?.toString() === USERS[username]) {
      return done(null, true);
    }
    // 4 = CONNACK "bad user name or password" (AuthErrorCode is a const enum, unusable here).
    done(Object.assign(new Error('bad credentials'), { returnCode: 4 }) as never, null);
  },
  authorizeSubscribe(_client, subscription, done) {
    // null (not an Error) makes aedes answer 0x80 in the SUBACK instead of disconnecting.
    done(null, subscription.topic.startsWith('forbidden/') ? null : subscription);
  },
};

let aedes: AedesBroker;
before(async () => {
  aedes = await startAedes(hooks);
});
after(() => aedes?.stop());

const plain = () => ({ host: '127.0.0.1', port: aedes.port, protocolVersion: 4 });

describe('MqttSession with aedes (MQTT 3.1.1)', () => {
  for (const qos of [0, 1, 2] as const) {
    const expected = [[], ['PUBACK'], ['PUBREC', 'PUBREL', 'PUBCOMP']][qos];
    it(
      `delivers ${N} QoS ${qos} messages exactly once, in order`,
      { timeout: 15_000 },
      async (t) => {
        const topic = `qos/${qos}/${uniqueId('t')}`;
        const subscriber = newSession(t, { ...plain(), subscriptions: [{ topic, qos: 2 }] });
        const publisher = newSession(t, plain());
        const received = inbox(subscriber);
        await subscriber.connect();
        await subscriptionsSettled(subscriber, 5_000);
        assert.deepEqual(subscriber.subscriptions[0].status, { kind: 'granted', qos: 2 });
        await publisher.connect();

        const outcomes = await Promise.all(
          Array.from({ length: N }, (_, i) =>
            publisher.publish({ topic, payload: String(i), qos, retain: false }),
          ),
        );
        assert.ok(outcomes.every((o) => JSON.stringify(o.handshake) === JSON.stringify(expected)));
        const messages = await received.waitFor(N, 10_000, 150);
        assert.equal(messages.length, N, 'no message may arrive twice');
        const payloads = messages.map(text);
        const ordered = Array.from({ length: N }, (_, i) => String(i));
        assert.deepEqual(qos === 0 ? [...payloads].sort((a, b) => +a - +b) : payloads, ordered);
        assert.ok(messages.every((m) => m.qos === qos && !m.retain));
      },
    );
  }

  it(
    'delivers a retained message to a later subscriber, and an empty one clears it',
    { timeout: 10_000 },
    async (t) => {
      const topic = `retained/${uniqueId('t')}`;
      const { publisher, lateInbox } = await retainedThenLateSubscriber(t, plain(), topic);
      const [retained] = await lateInbox.waitFor(1, 5_000);
      assert.deepEqual([text(retained), retained.retain], ['kept', true]);

      await publisher.publish({ topic, payload: '', qos: 1, retain: true });
      const afterInbox = await markerToNewSubscriber(t, plain(), publisher, topic);
      await afterInbox.waitFor(1, 5_000, 100);
      assert.deepEqual(
        afterInbox.messages.map((m) => [text(m), m.retain]),
        [['marker', false]],
      );
    },
  );

  it(
    'shows a refused subscription as 0x80 Failure and grants the others',
    { timeout: 10_000 },
    async (t) => {
      const id = uniqueId('s');
      const subscriptions = [
        { topic: `allowed/${id}/#`, qos: 1 },
        { topic: `forbidden/${id}/#`, qos: 1 },
        { topic: `other/${id}/+`, qos: 2 },
      ];
      const session = newSession(t, { ...plain(), subscriptions });
      const received = inbox(session);
      await session.connect();
      await subscriptionsSettled(session, 5_000);
      assert.deepEqual(
        session.subscriptions.map((s) => [s.topic, s.status]),
        [
          [`allowed/${id}/#`, { kind: 'granted', qos: 1 }],
          [`forbidden/${id}/#`, { kind: 'refused', reason: '0x80 Failure' }],
          [`other/${id}/+`, { kind: 'granted', qos: 2 }],
        ],
      );
      // Added later, the answer comes back from subscribe() itself.
      assert.deepEqual(await session.subscribe({ topic: `forbidden/${id}/x`, qos: 0 }), {
        kind: 'refused',
        reason: '0x80 Failure',
      });
      assert.equal(session.state.kind, 'connected');

      // Nothing arrives through the refused filter; what is published after it still does.
      await session.publish({ topic: `forbidden/${id}/x`, payload: 'no', qos: 1, retain: false });
      await session.publish({ topic: `other/${id}/x`, payload: 'yes', qos: 1, retain: false });
      await received.waitFor(1, 5_000, 100);
      assert.deepEqual(received.messages.map(text), ['yes']);
    },
  );

  it('reports a wrong password as "Bad user name or password"', { timeout: 10_000 }, async (t) => {
    const good = newSession(t, { ...plain(), username: 'carol' }, { password: USERS.carol });
    await good.connect();
    const bad = newSession(t, { ...plain(), username: 'carol' }, { password: 'nope' });
    await assert.rejects(
      bad.connect(),
      (error: unknown) => error instanceof MqttError && error.reasonCode === 4,
    );
    assert.deepEqual(bad.state, {
      kind: 'error',
      message: 'The broker refused the connection: 0x04 Bad user name or password.',
      reasonCode: 4,
    });
  });
});

describe('SessionManager with aedes', () => {
  const CLIENT_IDS = 'mqttScope.clientIds';

  function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
    const data = new Map<string, unknown>();
    return {
      data,
      get: <T>(key: string) => data.get(key) as T | undefined,
      update: async (key, value) => void data.set(key, value),
    };
  }

  function profiles(raw: Record<string, unknown>[]): ConnectionProfile[] {
    const result = validateProfiles(raw.map((p) => ({ ...plain(), ...p })));
    assert.deepEqual(result.problems, []);
    return result.profiles;
  }

  /** Client ids as aedes saw them connect and go, in order. */
  function brokerEvents(): { events: string[]; dispose(): void } {
    const events: string[] = [];
    const ready = (client: { id: string }) => events.push(`+${client.id}`);
    const gone = (client: { id: string }) => events.push(`-${client.id}`);
    aedes.broker.on('clientReady', ready);
    aedes.broker.on('clientDisconnect', gone);
    return {
      events,
      dispose() {
        aedes.broker.off('clientReady', ready);
        aedes.broker.off('clientDisconnect', gone);
      },
    };
  }

  async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it(
    'adds, keeps, changes and removes sessions with a stable client id',
    { timeout: 15_000 },
    async (t) => {
      const store = memoryStore();
      const asked: string[] = [];
      const credentials = {
        getPassword: async (name: string, username: string) => {
          asked.push(`${name}/${username}`);
          return USERS[username];
        },
      };
      const deps = { scheduler: realScheduler, logger: silentLogger, credentials, store };
      const manager = new SessionManager(deps);
      const seen = brokerEvents();
      t.after(() => {
        seen.dispose();
        manager.dispose();
      });
      let listChanges = 0;
      manager.onDidChangeSessions(() => listChanges++);
      const states: string[] = [];
      manager.onDidChangeState(({ session, state }) =>
        states.push(`${session.name}:${state.kind}`),
      );

      const a = { name: 'a', autoConnect: true };
      const b = { name: 'b', autoConnect: false };
      manager.apply(profiles([a, b]));
      assert.equal(listChanges, 1);
      assert.deepEqual(
        manager.all().map((s) => s.name),
        ['a', 'b'],
      );
      const first = manager.get('a')!;
      await waitForState(first, connected, 5_000, 'a to connect');
      const ids = store.data.get(CLIENT_IDS) as Record<string, string>;
      assert.match(ids.a, /^mqtt-scope-[0-9a-f]{8}$/);
      assert.match(ids.b, /^mqtt-scope-[0-9a-f]{8}$/);
      assert.notEqual(ids.a, ids.b);
      assert.equal(first.clientId, ids.a);
      await eventually(() => seen.events.includes(`+${ids.a}`), 'aedes to see a');
      assert.equal(manager.get('b')!.state.kind, 'disconnected', 'b is not autoConnect');

      // The same profiles again change nothing.
      manager.apply(profiles([a, b]));
      assert.equal(listChanges, 1);
      assert.equal(manager.get('a'), first);

      // A changed profile replaces its session; it was connected, so the new one connects too,
      // under the same client id.
      const topic = `manager/${uniqueId('t')}`;
      const b2 = manager.get('b');
      manager.apply(
        profiles([{ ...a, autoConnect: false, subscriptions: [{ topic, qos: 1 }] }, b]),
      );
      assert.equal(listChanges, 2);
      const second = manager.get('a')!;
      assert.notEqual(second, first);
      assert.equal(manager.get('b'), b2, 'an unchanged profile keeps its session');
      // The replaced session disconnects in the background.
      await eventually(() => first.state.kind === 'disconnected', 'the old a to disconnect');
      await waitForState(second, connected, 5_000, 'the changed a to connect');
      assert.equal(second.clientId, ids.a);
      await subscriptionsSettled(second, 5_000);
      assert.deepEqual(second.subscriptions[0].status, { kind: 'granted', qos: 1 });
      await eventually(
        () => seen.events.filter((e) => e === `+${ids.a}`).length === 2,
        'a to reconnect',
      );

      // A profile with a user name asks the credentials provider, by profile name and user.
      manager.apply(
        profiles([
          { ...a, autoConnect: false, subscriptions: [{ topic, qos: 1 }] },
          b,
          { name: 'c', username: 'carol', autoConnect: true },
        ]),
      );
      await waitForState(manager.get('c')!, connected, 5_000, 'c to connect');
      assert.deepEqual(asked, ['c/carol']);

      // Removing a profile disconnects its session.
      manager.apply(profiles([b]));
      assert.deepEqual(
        manager.all().map((s) => s.name),
        ['b'],
      );
      await eventually(() => second.state.kind === 'disconnected', 'a to disconnect');
      await eventually(() => seen.events.filter((e) => e === `-${ids.a}`).length === 2, 'a to go');
      assert.ok(states.includes('a:connected') && states.includes('c:connected'));

      // A new manager over the same store (the next VS Code session) reuses the ids.
      const next = new SessionManager(deps);
      t.after(() => next.dispose());
      next.apply(profiles([a]));
      await waitForState(next.get('a')!, connected, 5_000, 'a to connect again');
      assert.equal(next.get('a')!.clientId, ids.a);
    },
  );

  it(
    'leaves a session disconnected when no password is entered',
    { timeout: 10_000 },
    async (t) => {
      const credentials = { getPassword: async () => undefined };
      const store = memoryStore();
      const manager = new SessionManager({
        scheduler: realScheduler,
        logger: silentLogger,
        credentials,
        store,
      });
      const seen = brokerEvents();
      t.after(() => {
        seen.dispose();
        manager.dispose();
      });
      const states: SessionState[] = [];
      manager.onDidChangeState(({ state }) => states.push(state));
      manager.apply(profiles([{ name: 'd', username: 'carol', autoConnect: true }]));
      const session: MqttSession = manager.get('d')!;
      await waitForState(session, (s) => s.kind === 'disconnected' && states.length > 1, 5_000);
      assert.deepEqual(
        states.map((s) => s.kind),
        ['connecting', 'disconnected'],
      );
      const id = (store.data.get(CLIENT_IDS) as Record<string, string>).d;
      assert.equal(session.clientId, id);
      assert.deepEqual(
        seen.events.filter((e) => e.endsWith(id)),
        [],
        'nothing may reach the broker',
      );
    },
  );
});

function connected(s: SessionState): boolean {
  return s.kind === 'connected';
}
