/**
 * How MqttSession fails and recovers, over MQTT 3.1.1 and 5: nothing listening, a name that
 * does not resolve, a peer that accepts TCP but never answers, and a Mosquitto that goes away
 * and comes back on the same port.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { MqttError } from '../../src/core/session/session';
import { startMosquitto } from '../support/mosquitto';
import { freePort } from '../support/ports';
import { startTcpProxy } from '../support/tcpProxy';
import {
  inbox,
  newSession,
  recordStates,
  subscriptionsSettled,
  text,
  uniqueId,
  waitForState,
  within,
} from '../support/sessions';

function errorOf(session: { state: { kind: string; message?: string } }): string {
  return session.state.kind === 'error' ? (session.state.message ?? '') : '';
}

/** Accepts TCP connections and never says a word, like a firewall that swallows MQTT. */
async function silentServer(): Promise<{
  port: number;
  sockets: Set<net.Socket>;
  stop(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    // Read (and drop) what arrives: a paused socket would never see the client's FIN.
    socket.resume();
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

for (const protocolVersion of [4, 5] as const) {
  describe(`MqttSession failures, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}`, () => {
    it('reports a refused connection', { timeout: 5_000 }, async (t) => {
      const port = await freePort();
      const session = newSession(t, { host: '127.0.0.1', port, protocolVersion });
      await assert.rejects(session.connect(), MqttError);
      assert.equal(
        errorOf(session),
        `Connection refused by mqtt://127.0.0.1:${port}: no MQTT broker is listening there.`,
      );
    });

    it('reports a host name that does not resolve', { timeout: 10_000 }, async (t) => {
      // .invalid is reserved (RFC 2606) and never resolves.
      const session = newSession(t, {
        host: 'no-such-broker.invalid',
        port: 1883,
        protocolVersion,
      });
      await assert.rejects(session.connect(), /Unknown host/);
      assert.equal(
        errorOf(session),
        'Unknown host "no-such-broker.invalid": the name does not resolve.',
      );
    });

    it(
      'times out when the peer accepts TCP but never answers CONNECT',
      { timeout: 5_000 },
      async (t) => {
        const server = await silentServer();
        t.after(() => server.stop());
        const session = newSession(t, {
          host: '127.0.0.1',
          port: server.port,
          protocolVersion,
          connectTimeout: 1,
        });
        const started = Date.now();
        await assert.rejects(session.connect(), MqttError);
        const elapsed = Date.now() - started;
        assert.ok(
          elapsed >= 900 && elapsed < 3_000,
          `failed after ${elapsed} ms, expected about 1 s`,
        );
        assert.equal(
          errorOf(session),
          `Timed out after 1 s waiting for mqtt://127.0.0.1:${server.port} to accept the MQTT connection.`,
        );
        // The session must not leave the half-open socket behind.
        const deadline = Date.now() + 1_000;
        while (server.sockets.size > 0 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 10));
        assert.equal(server.sockets.size, 0, 'the socket to the silent peer is still open');
      },
    );

    it(
      'sends a publish in flight again when the reconnect finds no session, and still disconnects',
      { timeout: 10_000 },
      async (t) => {
        const broker = await startMosquitto();
        t.after(() => broker.stop());
        const proxy = await startTcpProxy(broker.port);
        t.after(() => proxy.stop());
        const session = newSession(t, { host: '127.0.0.1', port: proxy.port, protocolVersion });
        await session.connect();
        const inFlight = session.publish({
          topic: 'in/flight',
          payload: 'x',
          qos: 2,
          retain: false,
        });
        // Reset before the relay can carry any acknowledgement back.
        proxy.cutAll();
        await within(
          // A clean session is gone after the reconnect: the PUBLISH is sent again.
          inFlight,
          3_000,
          'the in-flight publish to settle',
        );
        await waitForState(session, (s) => s.kind === 'connected', 5_000, 'the reconnect');
        // MQTT.js's graceful end waits for every unacknowledged packet: none may be left behind.
        await within(session.disconnect(), 2_000, 'disconnect() to finish');
        assert.equal(session.state.kind, 'disconnected');
      },
    );

    it(
      'reconnects with backoff when the broker restarts and restores its subscriptions',
      { timeout: 15_000 },
      async (t) => {
        const broker = await startMosquitto();
        t.after(() => broker.stop());
        const topic = `reconnect/v${protocolVersion}/${uniqueId('t')}`;
        const plain = { host: '127.0.0.1', port: broker.port, protocolVersion };
        const session = newSession(t, { ...plain, subscriptions: [{ topic, qos: 1 }] });
        const states = recordStates(session);
        const received = inbox(session);
        await session.connect();
        await subscriptionsSettled(session, 5_000);

        await broker.kill();
        // Attempt 1 comes within 0.5 s and finds nothing listening; attempt 2 within 1 s more.
        await waitForState(
          session,
          (s) => s.kind === 'reconnecting' && s.attempt === 2,
          5_000,
          'attempt 2',
        );
        assert.equal(session.subscriptions[0].status.kind, 'pending');
        await broker.start();
        await waitForState(session, (s) => s.kind === 'connected', 5_000, 'the reconnect');
        await subscriptionsSettled(session, 5_000);
        assert.deepEqual(session.subscriptions[0].status, { kind: 'granted', qos: 1 });

        const refused = `Connection refused by mqtt://127.0.0.1:${broker.port}: no MQTT broker is listening there.`;
        assert.deepEqual(
          states
            .map((s) =>
              s.kind === 'reconnecting'
                ? `${s.nextAttemptAt ? 'waiting for' : 'trying'} ${s.attempt}: ${s.cause}${s.lastError ? ` / ${s.lastError}` : ''}`
                : s.kind,
            )
            .slice(0, 6),
          [
            'connecting',
            'connected',
            'waiting for 1: the connection was lost',
            'trying 1: the connection was lost',
            `trying 1: the connection was lost / ${refused}`,
            `waiting for 2: the connection was lost / ${refused}`,
          ],
        );

        const publisher = newSession(t, plain);
        await publisher.connect();
        await publisher.publish({ topic, payload: 'after restart', qos: 1, retain: false });
        assert.equal(text((await received.waitFor(1, 5_000))[0]), 'after restart');
      },
    );
  });
}
