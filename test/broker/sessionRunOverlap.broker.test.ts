/**
 * A `.mqtt` run over a user's connection whose own subscriptions overlap the run's filters (the
 * topic explorer subscribed to `#`): an EXPECT `count: 1` of one publish passes, and `count: 3`
 * of three identical publishes, on Mosquitto 2.0 (one copy per subscription on MQTT 5) and the
 * embedded aedes 2.0.0-beta.1 (one copy), over MQTT 5 and 3.1.1, with the user's subscriptions
 * with and without identifiers (one taking the top of the range the run counts down from); and
 * a REQUEST answered by a Paho responder over MQTT 5, and one on its own topic not answered by itself.
 */
import * as assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { FileResult } from '../../src/core/mqttFile/runTypes';
import { sessionRunClient } from '../../src/extension/mqttFile/sessionRunClient';
import { startPahoResponder } from '../support/pahoResponder';
import { bothBrokers } from '../support/bothBrokers';
import { newSession, subscriptionsSettled, uniqueId } from '../support/sessions';

const servers = bothBrokers();

const brokers = [
  { name: 'Mosquitto 2.0', port: () => servers.mosquittoPort() },
  { name: 'aedes 2.0.0-beta.1', port: servers.aedesPort },
];

const userSubscriptions: { name: string; version: 4 | 5; subs: Record<string, unknown>[] }[] = [
  { name: 'MQTT 3.1.1, `#`', version: 4, subs: [{ topic: '#', qos: 1 }] },
  { name: 'MQTT 5, `#` without identifier', version: 5, subs: [{ topic: '#', qos: 1 }] },
  {
    name: 'MQTT 5, `#` and `lab/#` with identifiers, one the largest',
    version: 5,
    subs: [
      { topic: '#', qos: 1, subscriptionIdentifier: 268_435_455 },
      { topic: 'lab/#', qos: 0, subscriptionIdentifier: 7 },
    ],
  },
];

/** Runs `text` over a session of `port` already subscribed to `subs`. */
async function runOverSession(
  t: TestContext,
  port: number,
  version: 4 | 5,
  subs: Record<string, unknown>[],
  text: string,
): Promise<FileResult> {
  const session = newSession(t, {
    host: '127.0.0.1',
    port,
    protocolVersion: version,
    subscriptions: subs,
  });
  await session.connect();
  await subscriptionsSettled(session, 5_000);
  assert.ok(session.subscriptions.every((s) => s.status.kind === 'granted'));
  const file = parseMqttFile(text);
  assert.deepEqual(file.problems, []);
  const client = await sessionRunClient(session, async () => false);
  try {
    return await runMqttFile(file, {
      clients: {
        defaultClient: async () => client,
        connect: () => Promise.reject(new Error('no CONNECT blocks here')),
      },
      scheduler: realScheduler,
      variables: {},
      env: () => undefined,
      secret: () => Promise.resolve(undefined),
      readFile: () => Promise.reject(new Error('no files here')),
    });
  } finally {
    await client.close();
  }
}

const outcome = (r: FileResult) =>
  r.results.map((x) => `${x.status}${x.message ? `: ${x.message}` : ''}`);

for (const broker of brokers) {
  for (const user of userSubscriptions) {
    describe(`a run over a connection subscribed to ${user.name} on ${broker.name}`, () => {
      it('EXPECT count: 1 of one publish passes; count: 3 of three identical ones', async (t) => {
        const root = `lab/${uniqueId('overlap')}`;
        const publish = `PUBLISH ${root}/dev/a\nqos: 1\n\nsame\n`;
        const text =
          `### one\nEXPECT ${root}/dev/+ WITHIN 1s\ncount: 1\n\nonce\n\n` +
          `### publish once\nPUBLISH ${root}/dev/a\nqos: 1\n\nonce\n\n` +
          `### three\nEXPECT ${root}/# WITHIN 1s\ncount: 3\n\n` +
          [1, 2, 3].map((i) => `### publish ${i}\n${publish}`).join('\n');
        const r = await runOverSession(t, broker.port(), user.version, user.subs, text);
        assert.deepEqual(outcome(r), Array(6).fill('passed'));
        assert.equal(r.results[0].messages, 1);
        assert.equal(r.results[2].messages, 3);
      });

      if (user.version === 5)
        it('a REQUEST answered by a Paho responder passes; its request counts once', async (t) => {
          const topic = `lab/${uniqueId('svc')}/echo`;
          const responder = startPahoResponder({ port: broker.port(), topic, timeoutMs: 20_000 });
          try {
            await responder.ready;
            const r = await runOverSession(
              t,
              broker.port(),
              5,
              user.subs,
              `### sent once\nEXPECT ${topic} WITHIN 1s\ncount: 1\n\nping\n\n` +
                `### ask\nREQUEST ${topic} WITHIN 5s\nmatch: /^reply:ping$/\n\nping\n`,
            );
            assert.deepEqual(outcome(r), ['passed', 'passed']);
            assert.equal(responder.answers.length, 1);
          } finally {
            responder.stop();
          }
        });

      if (user.version === 5)
        it('a REQUEST whose response topic is its own topic is not its own reply', async (t) => {
          const topic = `lab/${uniqueId('self')}`;
          const r = await runOverSession(
            t,
            broker.port(),
            5,
            user.subs,
            `### ask\nREQUEST ${topic} WITHIN 500ms\nresponse-topic: ${topic}\nqos: 1\n\nping\n`,
          );
          assert.equal(r.results[0]!.status, 'failed');
          assert.match(r.results[0]!.message!, /^No reply on /);
        });
    });
  }
}
