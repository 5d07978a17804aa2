/**
 * Request/response (MQTT 5 §4.10) against Mosquitto and the embedded broker (aedes 2 beta), with
 * a real Paho Python responder: the reply is paired by correlation data and timed; a reply with
 * other correlation data reaches the session but is not paired, so the request times out; other
 * replies within the window are counted; and the temporary subscription is gone afterwards — a
 * publish to the response topic after the request is not received.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { realScheduler, silentLogger } from '../../src/core/ports';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { sendRequest, type RequestResult } from '../../src/core/request/sendRequest';
import type { MqttSession } from '../../src/core/session/session';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { startPahoResponder } from '../support/pahoResponder';
import { freePort } from '../support/ports';
import {
  inbox,
  newSession,
  subscriptionsSettled,
  text,
  uniqueId,
  within,
} from '../support/sessions';

interface Broker {
  port: number;
  stop(): Promise<void> | void;
}

const BROKERS: { name: string; start(): Promise<Broker> }[] = [
  { name: 'Mosquitto', start: (): Promise<MosquittoBroker> => startMosquitto() },
  {
    name: 'the embedded broker (aedes 2)',
    async start() {
      const broker = new LocalBroker(silentLogger);
      const { port } = await broker.start({ port: await freePort() });
      return { port, stop: () => broker.stop() };
    },
  },
];

for (const { name, start } of BROKERS) {
  describe(`request/response with ${name} and a Paho responder`, () => {
    let broker: Broker;
    before(async () => {
      broker = await start();
    });
    after(() => broker?.stop());

    async function setup(t: TestContext, responder: { wrong?: boolean; replies?: number } = {}) {
      const requestTopic = `svc/${uniqueId('echo')}`;
      const marker = `user/${uniqueId('marker')}`;
      const session = newSession(t, {
        host: '127.0.0.1',
        port: broker.port,
        protocolVersion: 5,
        subscriptions: [{ topic: marker, qos: 1 }],
      });
      await session.connect();
      await subscriptionsSettled(session, 5_000);
      const paho = startPahoResponder({
        port: broker.port,
        topic: requestTopic,
        qos: 1,
        timeoutMs: 20_000,
        ...responder,
      });
      t.after(() => paho.stop());
      await within(paho.ready, 10_000, 'the Paho responder to subscribe');
      return { session, paho, requestTopic, marker };
    }

    /** Publishes to the response topic, then to the marker: once the marker arrived, the other would have too. */
    async function assertUnsubscribed(session: MqttSession, responseTopic: string, marker: string) {
      const seen = inbox(session);
      await session.publish({ topic: responseTopic, payload: 'after', qos: 1, retain: false });
      await session.publish({ topic: marker, payload: 'marker', qos: 1, retain: false });
      await seen.waitFor(1, 5_000);
      assert.deepEqual(
        seen.messages.map((m) => m.topic),
        [marker],
        'nothing arrives on the response topic after the request',
      );
      assert.deepEqual(session.temporary.topics, []);
      assert.deepEqual(
        session.subscriptions.map((s) => s.topic),
        [marker],
        'never among the user subscriptions',
      );
    }

    it(
      'pairs the reply by correlation data and measures its latency',
      { timeout: 20_000 },
      async (t) => {
        const { session, paho, requestTopic, marker } = await setup(t);
        const result: RequestResult = await within(
          sendRequest(
            session,
            { topic: requestTopic, payload: 'ping', qos: 1, timeoutMs: 5_000, windowMs: 300 },
            realScheduler,
          ),
          10_000,
          'the request',
        );
        const answer = await paho.nextAnswer();
        assert.equal(answer.responseTopic, result.responseTopic);
        assert.equal(answer.correlationHex, Buffer.from(result.correlationData).toString('hex'));
        assert.match(result.responseTopic, /\/responses\/[0-9a-f]{12}$/);
        assert.ok(result.kind === 'replied', JSON.stringify(result));
        assert.equal(text(result.first.message), 'reply:ping');
        assert.equal(result.others.length, 0);
        assert.ok(result.first.latencyMs >= 0 && result.first.latencyMs < 5_000);
        t.diagnostic(`${name}: reply latency ${result.first.latencyMs} ms`);
        await assertUnsubscribed(session, result.responseTopic, marker);
      },
    );

    it(
      'does not pair a reply with other correlation data: a timeout',
      { timeout: 20_000 },
      async (t) => {
        const { session, paho, requestTopic, marker } = await setup(t, { wrong: true });
        const received = inbox(session, 'test-responses/');
        const result = await within(
          sendRequest(
            session,
            {
              topic: requestTopic,
              payload: 'ping',
              qos: 1,
              timeoutMs: 1_500,
              responseTopic: `test-responses/${uniqueId()}`,
            },
            realScheduler,
          ),
          10_000,
          'the request',
        );
        assert.equal(result.kind, 'timeout');
        const answer = await paho.nextAnswer();
        assert.notEqual(answer.sentHex, answer.correlationHex);
        assert.equal(received.messages.length, 1, 'the wrong reply did arrive');
        assert.equal(text(received.messages[0]), 'reply:ping');
        await assertUnsubscribed(session, result.responseTopic, marker);
      },
    );

    it('counts the other replies within the window', { timeout: 20_000 }, async (t) => {
      const { session, requestTopic, marker } = await setup(t, { replies: 3 });
      const result = await within(
        sendRequest(
          session,
          { topic: requestTopic, payload: 'x', qos: 1, timeoutMs: 5_000, windowMs: 1_000 },
          realScheduler,
        ),
        10_000,
        'the request',
      );
      assert.ok(result.kind === 'replied');
      assert.deepEqual(
        result.others.map((o) => text(o.message)),
        ['reply:x #2', 'reply:x #3'],
      );
      assert.ok(result.others.every((o) => o.latencyMs >= result.first.latencyMs));
      await assertUnsubscribed(session, result.responseTopic, marker);
    });
  });
}

describe('request/response on an MQTT 3.1.1 connection', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker?.stop());

  it('is refused with why, before anything is sent', { timeout: 10_000 }, async (t) => {
    const session = newSession(t, { host: '127.0.0.1', port: broker.port, protocolVersion: 4 });
    await session.connect();
    await assert.rejects(
      sendRequest(
        session,
        { topic: 'svc/x', payload: '', qos: 0, timeoutMs: 1_000 },
        realScheduler,
      ),
      /uses MQTT 3\.1\.1; a request needs MQTT 5/,
    );
    assert.deepEqual(session.temporary.topics, []);
  });
});
