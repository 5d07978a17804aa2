/**
 * The core against independent MQTT implementations, through a real Mosquitto: Eclipse Paho
 * (Python) publishing to and subscribing from an MqttSession at QoS 0, 1 and 2 over MQTT 3.1.1
 * and 5, and mosquitto_sub receiving what the session publishes.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { pahoPublish, pahoSubscribe } from '../support/paho';
import { inbox, newSession, subscriptionsSettled, text, uniqueId } from '../support/sessions';

const N = 200;
const ordered = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}${i}`);
/** QoS 0 promises neither order nor delivery; on loopback without queue limits all arrive. */
const sortedByIndex = (payloads: string[]) =>
  [...payloads].sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));

let broker: MosquittoBroker;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker?.stop());

for (const protocol of [4, 5] as const) {
  describe(`Paho ⇄ MqttSession, MQTT ${protocol === 5 ? '5' : '3.1.1'}`, () => {
    const plain = () => ({ host: '127.0.0.1', port: broker.port, protocolVersion: protocol });

    for (const qos of [0, 1, 2] as const) {
      it(
        `the session receives all ${N} QoS ${qos} messages Paho publishes`,
        { timeout: 20_000 },
        async (t) => {
          const topic = `interop/paho-pub/v${protocol}/${qos}/${uniqueId('t')}`;
          const session = newSession(t, { ...plain(), subscriptions: [{ topic, qos: 2 }] });
          const received = inbox(session);
          await session.connect();
          await subscriptionsSettled(session, 5_000);

          await pahoPublish({
            port: broker.port,
            topic,
            payload: 'p{i}',
            qos,
            count: N,
            protocol,
            timeoutMs: 10_000,
          });
          const messages = await received.waitFor(N, 10_000, 150);
          assert.equal(messages.length, N, 'no message may arrive twice');
          const payloads = messages.map(text);
          assert.deepEqual(qos === 0 ? sortedByIndex(payloads) : payloads, ordered('p'));
          assert.ok(messages.every((m) => m.qos === qos && !m.retain && m.topic === topic));
        },
      );

      it(
        `Paho receives all ${N} QoS ${qos} messages the session publishes`,
        { timeout: 20_000 },
        async (t) => {
          const topic = `interop/paho-sub/v${protocol}/${qos}/${uniqueId('t')}`;
          const paho = pahoSubscribe({
            port: broker.port,
            topic,
            qos: 2,
            count: N,
            protocol,
            timeoutMs: 10_000,
            lingerMs: 150,
          });
          t.after(() => paho.kill());
          assert.deepEqual(await paho.ready, [2]);
          const session = newSession(t, plain());
          await session.connect();

          await Promise.all(
            Array.from({ length: N }, (_, i) =>
              session.publish({ topic, payload: `s${i}`, qos, retain: false }),
            ),
          );
          const messages = await paho.messages;
          assert.equal(messages.length, N, 'no message may arrive twice');
          const payloads = messages.map((m) => m.payload.toString('utf8'));
          assert.deepEqual(qos === 0 ? sortedByIndex(payloads) : payloads, ordered('s'));
          assert.ok(messages.every((m) => m.qos === qos && !m.retain && m.topic === topic));
        },
      );
    }

    it(
      'mosquitto_sub receives what the session publishes, retained flag included',
      { timeout: 15_000 },
      async (t) => {
        const topic = `interop/mosquitto-sub/v${protocol}/${uniqueId('t')}`;
        const session = newSession(t, plain());
        await session.connect();
        // Published before mosquitto_sub subscribes: it must arrive as a retained message.
        await session.publish({ topic, payload: 'retained', qos: 1, retain: true });

        const sub = mosquittoSub(broker.port, topic, protocol, 1 + 20);
        t.after(() => sub.kill());
        await sub.ready;
        for (let i = 0; i < 20; i++)
          await session.publish({ topic, payload: `live ${i}`, qos: 1, retain: false });
        const lines = await sub.lines;
        assert.deepEqual(lines, [
          `${topic} q1 r1 retained`,
          ...Array.from({ length: 20 }, (_, i) => `${topic} q1 r0 live ${i}`),
        ]);
      },
    );
  });
}

/**
 * Runs mosquitto_sub until it has `count` messages. `-d` prints "received SUBACK" once it is
 * subscribed, which is when the test may publish; messages are told apart by an "MSG " prefix.
 */
function mosquittoSub(port: number, topic: string, protocol: 4 | 5, count: number) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', '1', '-C', String(count)];
  args.push(
    '-W',
    '10',
    '-d',
    '-V',
    protocol === 5 ? 'mqttv5' : 'mqttv311',
    '-F',
    'MSG %t q%q r%r %p',
  );
  const child = spawn('mosquitto_sub', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('received SUBACK')) onReady();
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const lines = new Promise<string[]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`mosquitto_sub exited with ${code}: ${err}\n${out}`));
      else
        resolve(
          out
            .split('\n')
            .filter((l) => l.startsWith('MSG '))
            .map((l) => l.slice(4)),
        );
    });
  });
  lines.catch(() => undefined);
  return {
    ready: Promise.race([ready, lines.then(() => undefined)]),
    lines,
    kill: () => child.kill('SIGKILL'),
  };
}
