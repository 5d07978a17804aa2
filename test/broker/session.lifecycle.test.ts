/**
 * MqttSession's lifecycle against scripted brokers that misbehave in ways real brokers only do
 * on bad days: one that accepts TCP but never answers CONNECT, and one that accepts the
 * connection and then stops acknowledging. Disconnect must always win, promptly, and leave no
 * connection behind.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import * as mqttPacket from 'mqtt-packet';
import { newSession } from '../support/sessions';

interface ScriptedBroker {
  port: number;
  /** Sockets currently open from clients. */
  open(): number;
  /** Connections ever accepted. */
  accepted(): number;
}

/** A TCP server that answers CONNECT with CONNACK only when `answer` is true, then ignores all. */
async function scriptedBroker(t: TestContext, answer: boolean): Promise<ScriptedBroker> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connect' && answer) {
        socket.write(mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
      }
    });
    socket.on('data', (chunk) => parser.parse(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address() as net.AddressInfo;
  return { port: address.port, open: () => sockets.size, accepted: () => accepted };
}

async function waitUntil(what: string, probe: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MqttSession lifecycle', () => {
  it('disconnect while waiting for CONNACK cancels the connect and closes the socket', async (t) => {
    const broker = await scriptedBroker(t, false);
    const session = newSession(t, {
      name: 's',
      url: `mqtt://127.0.0.1:${broker.port}`,
      protocolVersion: 4,
    });
    const connecting = session.connect();
    await waitUntil('the TCP connection', () => broker.open() === 1);
    assert.equal(session.state.kind, 'connecting');
    await session.disconnect();
    await assert.rejects(connecting, /cancelled/);
    assert.equal(session.state.kind, 'disconnected');
    await waitUntil('the socket to close', () => broker.open() === 0);
  });

  it('a second connect while connecting shares the first one', async (t) => {
    const broker = await scriptedBroker(t, true);
    const session = newSession(t, {
      name: 's',
      url: `mqtt://127.0.0.1:${broker.port}`,
      protocolVersion: 4,
    });
    const first = session.connect();
    const second = session.connect();
    assert.equal(first, second);
    await first;
    assert.equal(session.state.kind, 'connected');
    assert.equal(broker.accepted(), 1);
  });

  it('disconnect during the password prompt: the late password opens no connection', async (t) => {
    const broker = await scriptedBroker(t, true);
    let answer: (password: string) => void = () => undefined;
    const session = newSession(
      t,
      { name: 's', url: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: 4, username: 'u' },
      { deps: { getPassword: () => new Promise<string>((resolve) => (answer = resolve)) } },
    );
    const connecting = session.connect();
    await session.disconnect();
    answer('secret');
    await assert.rejects(connecting, /cancelled/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(broker.accepted(), 0);
    assert.equal(session.state.kind, 'disconnected');
  });

  it('disconnect with an unacknowledged QoS 1 publish returns promptly and fails the publish', async (t) => {
    const broker = await scriptedBroker(t, true);
    const session = newSession(t, {
      name: 's',
      url: `mqtt://127.0.0.1:${broker.port}`,
      protocolVersion: 4,
    });
    await session.connect();
    const publish = session.publish({ topic: 'a', payload: 'x', qos: 1, retain: false });
    publish.catch(() => undefined);
    const started = Date.now();
    await session.disconnect();
    assert.ok(Date.now() - started < 2_500, `disconnect took ${Date.now() - started} ms`);
    await assert.rejects(publish, /connection was lost|acknowledged/);
    assert.equal(session.state.kind, 'disconnected');
    await waitUntil('the socket to close', () => broker.open() === 0);
  });
});
