/**
 * Exactly once for QoS 2 and at least once for QoS 1 across reconnects, against a real
 * Mosquitto through a proxy that cuts the link inside the acknowledgement handshakes. An
 * independent MQTT.js subscriber, connected straight to the broker, counts what was delivered.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it, before, after, type TestContext } from 'node:test';
import * as mqtt from 'mqtt';
import type * as mqttPacket from 'mqtt-packet';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { freePort } from '../support/ports';
import { startTcpProxy, type Direction, type PacketRule, type TcpProxy } from '../support/tcpProxy';
import {
  inbox,
  newSession,
  text,
  uniqueId,
  waitForState,
  within,
  subscriptionsSettled,
} from '../support/sessions';

/** A rule that applies `verdict` to the first packet matching, then forwards everything. */
function once(
  direction: Direction,
  cmd: mqttPacket.Packet['cmd'],
  verdict: ReturnType<PacketRule>,
): { rule: PacketRule; fired: () => boolean } {
  let fired = false;
  return {
    rule: (packet, dir) => {
      if (fired || dir !== direction || packet.cmd !== cmd) return 'forward';
      fired = true;
      return verdict;
    },
    fired: () => fired,
  };
}

/** An MQTT.js subscriber straight to the broker, counting payloads. */
async function counter(t: TestContext, port: number, topic: string): Promise<string[]> {
  const client = await mqtt.connectAsync({ port, host: '127.0.0.1', clientId: uniqueId('count') });
  t.after(() => client.endAsync());
  const seen: string[] = [];
  client.on('message', (_topic, payload) => seen.push(payload.toString()));
  await client.subscribeAsync(topic, { qos: 2 });
  return seen;
}

/** Wraps `rule`, noting every PUBLISH the client sends to the broker as it was on the wire. */
function wireLog(rule: PacketRule): {
  rule: PacketRule;
  publishes: { messageId?: number; dup: boolean; payload: string }[];
} {
  const publishes: { messageId?: number; dup: boolean; payload: string }[] = [];
  return {
    publishes,
    rule: (packet, direction, clientId) => {
      if (packet.cmd === 'publish' && direction === 'toBroker')
        publishes.push({
          messageId: packet.messageId,
          dup: packet.dup,
          payload: packet.payload.toString(),
        });
      return rule(packet, direction, clientId);
    },
  };
}

async function until(what: string, probe: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const versions = [
  { protocolVersion: 4, clean: false },
  { protocolVersion: 5, clean: false, sessionExpiryInterval: 300 },
] as const;

describe('MqttSession across cuts inside the handshakes (Mosquitto)', () => {
  let broker: MosquittoBroker;
  let proxy: TcpProxy;
  before(async () => {
    broker = await startMosquitto();
    proxy = await startTcpProxy(broker.port);
  });
  after(async () => {
    await proxy.stop();
    await broker.stop();
  });
  const through = () => ({ host: '127.0.0.1', port: proxy.port });

  for (const v of versions) {
    const label = `MQTT ${v.protocolVersion === 5 ? '5, session expiry' : '3.1.1, clean false'}`;

    it(`${label}: a QoS 2 message whose PUBREL was cut off is shown exactly once`, async (t) => {
      proxy.setRule(undefined);
      const topic = `rel/in/${uniqueId('t')}`;
      const session = newSession(t, { ...through(), ...v, subscriptions: [{ topic, qos: 2 }] });
      const received = inbox(session);
      await session.connect();
      await subscriptionsSettled(session, 5_000);
      // Our PUBREC reaches the broker; its PUBREL does not reach us.
      const cut = once('toClient', 'pubrel', 'cut-before');
      proxy.setRule(cut.rule);
      const publisher = await mqtt.connectAsync({ port: broker.port, clientId: uniqueId('pub') });
      t.after(() => publisher.endAsync());
      await publisher.publishAsync(topic, 'exactly once', { qos: 2 });
      await until('the cut', cut.fired);
      await waitForState(session, (s) => s.kind === 'connected', 5_000, 'the reconnect');
      const messages = await received.waitFor(1, 5_000, 300);
      assert.deepEqual(messages.map(text), ['exactly once']);
    });

    for (const [direction, cmd] of [
      ['toClient', 'pubrec'],
      ['toBroker', 'pubrel'],
      ['toClient', 'pubcomp'],
    ] as const) {
      it(`${label}: our QoS 2 publish cut at ${cmd} (${direction}) is delivered once and resolves`, async (t) => {
        proxy.setRule(undefined);
        const topic = `rel/out/${uniqueId('t')}`;
        const seen = await counter(t, broker.port, topic);
        const session = newSession(t, { ...through(), ...v });
        await session.connect();
        const cut = once(direction, cmd, 'cut-before');
        const wire = wireLog(cut.rule);
        proxy.setRule(wire.rule);
        const outcome = await within(
          session.publish({ topic, payload: 'q2', qos: 2, retain: false }),
          8_000,
          'the publish to resolve after the reconnect',
        );
        assert.ok(cut.fired());
        assert.equal(outcome.qos, 2);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(seen, ['q2']);
        // Unanswered by a PUBREC, the PUBLISH is sent again, flagged DUP; after one, the
        // PUBREL is what goes again, and the PUBLISH is not repeated.
        const { messageId } = wire.publishes[0];
        const expected =
          cmd === 'pubrec'
            ? [
                { messageId, dup: false, payload: 'q2' },
                { messageId, dup: true, payload: 'q2' },
              ]
            : [{ messageId, dup: false, payload: 'q2' }];
        assert.deepEqual(wire.publishes, expected);
      });
    }

    it(`${label}: QoS 1 with the PUBACK cut off resolves after the reconnect, delivered`, async (t) => {
      proxy.setRule(undefined);
      const topic = `rel/q1/${uniqueId('t')}`;
      const seen = await counter(t, broker.port, topic);
      const session = newSession(t, { ...through(), ...v });
      await session.connect();
      const wire = wireLog(once('toClient', 'puback', 'cut-before').rule);
      proxy.setRule(wire.rule);
      await within(
        session.publish({ topic, payload: 'q1', qos: 1, retain: false }),
        8_000,
        'the publish to resolve',
      );
      await until('the delivery', () => seen.length >= 1);
      assert.ok(seen.every((m) => m === 'q1'));
      // The broker's PUBACK never arrived: the same message goes again, flagged DUP.
      const { messageId } = wire.publishes[0];
      assert.deepEqual(wire.publishes, [
        { messageId, dup: false, payload: 'q1' },
        { messageId, dup: true, payload: 'q1' },
      ]);
    });
  }

  it('a kept session is not subscribed again: retained messages do not come back', async (t) => {
    proxy.setRule(undefined);
    const topic = `rel/retained/${uniqueId('t')}`;
    const publisher = await mqtt.connectAsync({ port: broker.port, clientId: uniqueId('pub') });
    t.after(() => publisher.endAsync());
    await publisher.publishAsync(topic, 'kept', { qos: 1, retain: true });
    const session = newSession(t, {
      ...through(),
      ...versions[1],
      // QoS 0: nothing to acknowledge, so nothing the broker could rightly deliver again.
      subscriptions: [{ topic, qos: 0 }],
    });
    const received = inbox(session);
    await session.connect();
    await received.waitFor(1, 5_000);
    proxy.cutAll();
    await waitForState(session, (s) => s.kind === 'reconnecting', 2_000);
    await waitForState(session, (s) => s.kind === 'connected', 5_000, 'the reconnect');
    await subscriptionsSettled(session, 5_000);
    await publisher.publishAsync(topic, 'live', { qos: 1 });
    const messages = await received.waitFor(2, 5_000, 300);
    assert.deepEqual(messages.map(text), ['kept', 'live']);
    assert.deepEqual(session.subscriptions[0].status, { kind: 'granted', qos: 0 });
  });

  it('publishes made while reconnecting wait in the queue and go out in order', async (t) => {
    proxy.setRule(undefined);
    const topic = `rel/queue/${uniqueId('t')}`;
    const seen = await counter(t, broker.port, topic);
    const session = newSession(t, { ...through(), protocolVersion: 5 });
    const counts: number[] = [];
    session.onDidChangeQueue((n) => counts.push(n));
    await session.connect();
    proxy.refuse(true);
    proxy.cutAll();
    await waitForState(session, (s) => s.kind === 'reconnecting', 2_000);
    const sent = [0, 1, 2].map((qos) =>
      session.publish({ topic, payload: `m${qos}`, qos: qos as 0 | 1 | 2, retain: false }),
    );
    assert.equal(session.queued, 3);
    proxy.refuse(false);
    await within(Promise.all(sent), 10_000, 'the queued publishes');
    await until('all three', () => seen.length === 3);
    assert.deepEqual(seen, ['m0', 'm1', 'm2']);
    assert.deepEqual(counts, [1, 2, 3, 0]);
  });
});

describe('MqttSession: first connections and ports that do not speak MQTT', () => {
  it('an autoConnect profile whose broker starts later connects by itself', async (t) => {
    const port = await freePort();
    const session = newSession(t, { host: '127.0.0.1', port, autoConnect: true });
    await assert.rejects(session.connect(), /Connection refused/);
    assert.equal(session.state.kind, 'reconnecting');
    const broker = await startMosquitto({ port });
    t.after(() => broker.stop());
    await waitForState(session, (s) => s.kind === 'connected', 10_000, 'the retried connect');
  });

  it('an HTTP server on the port: "answered, but not in MQTT"', async (t) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as net.AddressInfo;
    const session = newSession(t, { host: '127.0.0.1', port });
    await assert.rejects(
      session.connect(),
      new RegExp(
        `^MqttError: mqtt://127\\.0\\.0\\.1:${port} answered, but not in MQTT: an HTTP or WebSocket port\\?`,
      ),
    );
  });
});
