/**
 * The core against independent MQTT implementations, through a real Mosquitto: Eclipse Paho
 * (Python) publishing to and subscribing from an MqttSession at QoS 0, 1 and 2 over MQTT 3.1.1
 * and 5, and mosquitto_sub receiving what the session publishes.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { mosquittoSub } from '../support/mosquittoClients';
import { pahoToSession, sessionToPaho } from '../support/roundTrips';
import { newSession, uniqueId } from '../support/sessions';

const N = 200;

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
          await pahoToSession(t, { port: broker.port, protocol, qos, topic, count: N });
        },
      );

      it(
        `Paho receives all ${N} QoS ${qos} messages the session publishes`,
        { timeout: 20_000 },
        async (t) => {
          const topic = `interop/paho-sub/v${protocol}/${qos}/${uniqueId('t')}`;
          await sessionToPaho(t, { port: broker.port, protocol, qos, topic, count: N });
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

        const sub = mosquittoSub({
          port: broker.port,
          topic,
          qos: 1,
          protocol,
          count: 1 + 20,
          timeoutSeconds: 10,
        });
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
