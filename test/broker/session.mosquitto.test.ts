/**
 * MqttSession against a real Mosquitto 2.0, over MQTT 3.1.1 and 5: state transitions, exact
 * QoS 0/1/2 delivery with the acknowledgement handshake, retained messages, ACL denial,
 * authentication, TLS, WebSockets, Last Will and topic validation. Connection failures and
 * reconnection live in session.mosquitto-failures.test.ts.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MqttError } from '../../src/core/session/session';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { markerToNewSubscriber, retainedThenLateSubscriber } from '../support/roundTrips';
import { startTcpProxy } from '../support/tcpProxy';
import {
  inbox,
  newSession,
  recordStates,
  subscriptionsSettled,
  text,
  uniqueId,
  waitForState,
} from '../support/sessions';

const N = 200;
const PASSWORDS = { alice: 'alice-secret', reader: 'reader-secret' };
// Lines before the first `user` apply to anonymous clients. `reader` may read everything but
// publish only under open/.
const ACL = `topic readwrite #
user alice
topic readwrite #
user reader
topic read #
topic readwrite open/#
`;

let broker: MosquittoBroker;
before(async () => {
  broker = await startMosquitto({
    passwords: PASSWORDS,
    acl: ACL,
    tls: { requireCertificate: true },
    websockets: true,
  });
});
after(() => broker?.stop());

for (const protocolVersion of [4, 5] as const) {
  describe(`MqttSession with Mosquitto, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}`, () => {
    const v = `v${protocolVersion}`;
    const plain = () => ({ host: '127.0.0.1', port: broker.port, protocolVersion });

    it('goes connecting → connected → disconnected', { timeout: 10_000 }, async (t) => {
      const session = newSession(t, plain());
      const states = recordStates(session);
      await session.connect();
      assert.equal(session.state.kind, 'connected');
      await session.disconnect();
      assert.deepEqual(
        states.map((s) => s.kind),
        ['connecting', 'connected', 'disconnected'],
      );
      assert.match(broker.log(), new RegExp(`New client connected from .* as ${session.clientId}`));
    });

    for (const qos of [0, 1, 2] as const) {
      const expected = [[], ['PUBACK'], ['PUBREC', 'PUBREL', 'PUBCOMP']][qos];
      it(
        `delivers ${N} QoS ${qos} messages exactly once, acknowledged ${expected.join(' → ') || 'by nothing'}`,
        { timeout: 15_000 },
        async (t) => {
          const topic = `qos/${v}/${qos}/${uniqueId('t')}`;
          const subscriber = newSession(t, { ...plain(), subscriptions: [{ topic, qos: 2 }] });
          const publisher = newSession(t, plain());
          const received = inbox(subscriber);
          await subscriber.connect();
          await subscriptionsSettled(subscriber, 5_000);
          await publisher.connect();

          const outcomes = await Promise.all(
            Array.from({ length: N }, (_, i) =>
              publisher.publish({ topic, payload: String(i), qos, retain: false }),
            ),
          );
          for (const outcome of outcomes) assert.deepEqual(outcome.handshake, expected);

          const messages = await received.waitFor(N, 10_000, 150);
          assert.equal(messages.length, N, 'no message may arrive twice');
          const payloads = messages.map(text);
          const ordered = Array.from({ length: N }, (_, i) => String(i));
          // QoS 0 is not promised to be ordered, only (here, on loopback) complete.
          assert.deepEqual(qos === 0 ? [...payloads].sort((a, b) => +a - +b) : payloads, ordered);
          assert.ok(messages.every((m) => m.qos === qos && !m.retain && m.topic === topic));
          subscriber.topics.flush();
          assert.equal(subscriber.topics.find(topic)?.messageCount, N);
        },
      );
    }

    it(
      'delivers a retained message to a later subscriber, and an empty one clears it',
      { timeout: 10_000 },
      async (t) => {
        const topic = `retained/${v}/${uniqueId('t')}`;
        const { publisher, lateInbox, granted } = await retainedThenLateSubscriber(
          t,
          plain(),
          topic,
        );
        assert.deepEqual(granted, { kind: 'granted', qos: 1 });
        const [retained] = await lateInbox.waitFor(1, 5_000);
        assert.equal(text(retained), 'kept');
        assert.equal(retained.retain, true);
        // A live message to an existing subscription is not flagged retained.
        await publisher.publish({ topic, payload: '', qos: 1, retain: true });
        const [, cleared] = await lateInbox.waitFor(2, 5_000);
        assert.equal(cleared.payload.length, 0);
        assert.equal(cleared.retain, false);

        // After the clear, a new subscriber's first message must be a live marker, not 'kept'.
        const afterInbox = await markerToNewSubscriber(t, plain(), publisher, topic);
        const [first] = await afterInbox.waitFor(1, 5_000, 100);
        assert.deepEqual(
          [text(first), first.retain, afterInbox.messages.length],
          ['marker', false, 1],
        );
      },
    );

    it(
      protocolVersion === 5
        ? 'rejects a publish the ACL denies with 0x87 Not authorized'
        : 'accepts a publish the ACL denies without delivering it (3.1.1 has no way to say no)',
      { timeout: 10_000 },
      async (t) => {
        const id = uniqueId('acl');
        const observer = newSession(t, {
          ...plain(),
          subscriptions: [{ topic: `+/${id}/#`, qos: 1 }],
        });
        const observed = inbox(observer);
        await observer.connect();
        await subscriptionsSettled(observer, 5_000);
        const reader = newSession(
          t,
          { ...plain(), username: 'reader' },
          { password: PASSWORDS.reader },
        );
        await reader.connect();

        for (const qos of [1, 2] as const) {
          const denied = reader.publish({
            topic: `closed/${id}/${qos}`,
            payload: 'no',
            qos,
            retain: false,
          });
          if (protocolVersion === 5) {
            await assert.rejects(denied, (error: unknown) => {
              assert.ok(error instanceof MqttError);
              assert.equal(error.reasonCode, 0x87);
              assert.match(
                error.message,
                /refused the publish to "closed\/.*": 0x87 Not authorized$/,
              );
              return true;
            });
          } else {
            const outcome = await denied;
            assert.deepEqual(
              outcome.handshake,
              qos === 1 ? ['PUBACK'] : ['PUBREC', 'PUBREL', 'PUBCOMP'],
            );
          }
        }
        // Delivery is in order per publisher: once the allowed message arrives, a denied one
        // that slipped through would already be here.
        await reader.publish({ topic: `open/${id}/ok`, payload: 'yes', qos: 1, retain: false });
        const messages = await observed.waitFor(1, 5_000, 100);
        assert.deepEqual(
          messages.map((m) => m.topic),
          [`open/${id}/ok`],
        );
        assert.equal(reader.state.kind, 'connected');
      },
    );

    it(
      'connects with the right password and fails with a wrong one',
      { timeout: 10_000 },
      async (t) => {
        const good = newSession(
          t,
          { ...plain(), username: 'alice' },
          { password: PASSWORDS.alice },
        );
        await good.connect();
        assert.equal(good.state.kind, 'connected');

        const bad = newSession(t, { ...plain(), username: 'alice' }, { password: 'wrong' });
        await assert.rejects(bad.connect(), MqttError);
        // Mosquitto answers a wrong password with "not authorized", not "bad user name or password".
        const code = protocolVersion === 5 ? '0x87' : '0x05';
        assert.equal(errorOf(bad), `The broker refused the connection: ${code} Not authorized.`);
        assert.equal(
          bad.state.kind === 'error' && bad.state.reasonCode,
          protocolVersion === 5 ? 0x87 : 5,
        );
      },
    );

    it(
      'connects over TLS with its own CA and a client certificate',
      { timeout: 10_000 },
      async (t) => {
        const certs = broker.certs!;
        const tls = { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
        const session = newSession(t, {
          url: `mqtts://127.0.0.1:${broker.tlsPort}`,
          protocolVersion,
          tls,
        });
        const received = inbox(session);
        await session.connect();
        const topic = `tls/${v}/${uniqueId('t')}`;
        assert.deepEqual(await session.subscribe({ topic, qos: 1 }), { kind: 'granted', qos: 1 });
        await session.publish({ topic, payload: 'secret', qos: 1, retain: false });
        assert.equal(text((await received.waitFor(1, 5_000))[0]), 'secret');
      },
    );

    it(
      'fails with a TLS error when the server certificate is not from the trusted CA',
      { timeout: 10_000 },
      async (t) => {
        const certs = broker.certs!;
        const tls = { ca: certs.otherCa, cert: certs.clientCert, key: certs.clientKey };
        const session = newSession(t, {
          url: `mqtts://127.0.0.1:${broker.tlsPort}`,
          protocolVersion,
          tls,
        });
        await assert.rejects(session.connect(), MqttError);
        assert.equal(session.state.kind, 'error');
        assert.match(
          errorOf(session),
          /^TLS failure with mqtts:\/\/127\.0\.0\.1:\d+: .*\(SELF_SIGNED_CERT_IN_CHAIN\)\.$/,
        );
      },
    );

    it('says which file is missing when tls.ca cannot be read', { timeout: 5_000 }, async (t) => {
      const ca = `/nonexistent/${uniqueId('ca')}.pem`;
      const session = newSession(t, {
        url: `mqtts://127.0.0.1:${broker.tlsPort}`,
        protocolVersion,
        tls: { ca },
      });
      await assert.rejects(session.connect(), /Cannot read tls\.ca/);
      assert.equal(errorOf(session), `Cannot read tls.ca "${ca}": no such file.`);
    });

    it(
      'is refused over TLS without the client certificate the broker requires',
      { timeout: 10_000 },
      async (t) => {
        const tls = { ca: broker.certs!.ca };
        const session = newSession(t, {
          url: `mqtts://127.0.0.1:${broker.tlsPort}`,
          protocolVersion,
          tls,
        });
        await assert.rejects(session.connect(), MqttError);
        assert.match(
          errorOf(session),
          /^TLS failure with .*\(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)\.$/,
        );
      },
    );

    it('connects and round-trips over WebSockets', { timeout: 10_000 }, async (t) => {
      const session = newSession(t, {
        url: `ws://127.0.0.1:${broker.wsPort}/mqtt`,
        protocolVersion,
      });
      const received = inbox(session);
      await session.connect();
      assert.equal(session.target, `ws://127.0.0.1:${broker.wsPort}`);
      const topic = `ws/${v}/${uniqueId('t')}`;
      assert.deepEqual(await session.subscribe({ topic, qos: 2 }), { kind: 'granted', qos: 2 });
      const outcome = await session.publish({ topic, payload: 'over ws', qos: 2, retain: false });
      assert.deepEqual(outcome.handshake, ['PUBREC', 'PUBREL', 'PUBCOMP']);
      assert.equal(text((await received.waitFor(1, 5_000))[0]), 'over ws');
    });

    it('points at TLS when plain MQTT reaches the TLS port', { timeout: 10_000 }, async (t) => {
      const session = newSession(t, { url: `mqtt://127.0.0.1:${broker.tlsPort}`, protocolVersion });
      await assert.rejects(session.connect(), MqttError);
      // Mosquitto resets the connection; either wording must send the user to the TLS setting.
      assert.match(errorOf(session), /^mqtt:\/\/127\.0\.0\.1:\d+ closed the connection.*TLS/);
    });

    it(
      'publishes the Last Will when the connection drops, not on a clean disconnect',
      { timeout: 10_000 },
      async (t) => {
        const willTopic = `will/${v}/${uniqueId('w')}`;
        const will = { topic: willTopic, payload: 'gone', qos: 1, retain: false };
        const observer = newSession(t, {
          ...plain(),
          subscriptions: [{ topic: willTopic, qos: 1 }],
        });
        const observed = inbox(observer);
        await observer.connect();
        await subscriptionsSettled(observer, 5_000);

        const polite = newSession(t, { ...plain(), will });
        await polite.connect();
        await polite.disconnect();

        const proxy = await startTcpProxy(broker.port);
        t.after(() => proxy.stop());
        const victim = newSession(t, {
          host: '127.0.0.1',
          port: proxy.port,
          protocolVersion,
          will,
        });
        await victim.connect();
        // The marker is published after the clean disconnect: if that had fired the will, the
        // will would arrive first.
        await observer.publish({ topic: willTopic, payload: 'marker', qos: 1, retain: false });
        await observed.waitFor(1, 5_000);
        proxy.cutAll();

        const messages = await observed.waitFor(2, 5_000, 100);
        assert.deepEqual(
          messages.map((m) => [text(m), m.qos]),
          [
            ['marker', 1],
            ['gone', 1],
          ],
        );
        const state = await waitForState(victim, (s) => s.kind === 'reconnecting', 2_000);
        assert.equal(state.kind === 'reconnecting' && state.attempt, 1);
        assert.equal(
          state.kind === 'reconnecting' && state.cause,
          `mqtt://127.0.0.1:${proxy.port} reset the connection (ECONNRESET)`,
        );
      },
    );

    it(
      'refuses an invalid topic filter or name before sending anything',
      { timeout: 10_000 },
      async (t) => {
        const proxy = await startTcpProxy(broker.port);
        t.after(() => proxy.stop());
        const session = newSession(t, { host: '127.0.0.1', port: proxy.port, protocolVersion });
        await session.connect();
        const before = proxy.bytesFromClients;

        await assert.rejects(
          session.subscribe({ topic: 'a/#/b', qos: 0 }),
          /"#" must be the last level/,
        );
        await assert.rejects(
          session.subscribe({ topic: 'a/b+', qos: 0 }),
          /"\+" must occupy a whole level/,
        );
        await assert.rejects(
          session.publish({ topic: 'a/+', payload: 'x', qos: 1, retain: false }),
          /must not contain the wildcards/,
        );
        await assert.rejects(
          session.publish({ topic: '', payload: 'x', qos: 0, retain: false }),
          /must not be empty/,
        );
        assert.deepEqual(session.subscriptions, []);

        // The next valid publish is the only thing on the wire: exactly its bytes went out.
        const topic = 'valid/topic';
        await session.publish({ topic, payload: 'x', qos: 1, retain: false });
        const publishBytes = 2 + (2 + topic.length) + 2 + (protocolVersion === 5 ? 1 : 0) + 1;
        assert.equal(proxy.bytesFromClients - before, publishBytes);
        assert.equal(session.state.kind, 'connected');
      },
    );
  });
}

function errorOf(session: { state: { kind: string; message?: string } }): string {
  return session.state.kind === 'error' ? (session.state.message ?? '') : '';
}
