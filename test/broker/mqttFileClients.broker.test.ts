/**
 * The plain MQTT.js run clients' subscriptions against Mosquitto 2.0 and the embedded broker
 * (aedes 2.0.0-beta.1), over MQTT 5 and 3.1.1: overlapping filters count each publication once,
 * a second EXPECT on a filter leaves the first's count alone and still sees the retained message,
 * `qos:` checks the QoS sent, an EXPECT on a client that is dropped or lost fails at once, and a
 * REQUEST whose response topic is its own topic is not answered by itself.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mqttJsRunClients } from '../../src/core/mqttFile/mqttJsRunClients';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { FileResult, RunClients, RunReporter } from '../../src/core/mqttFile/runTypes';
import { realScheduler } from '../../src/core/ports';
import { startMosquitto } from '../support/mosquitto';
import { bothBrokers } from '../support/bothBrokers';
import { uniqueId } from '../support/sessions';

async function runText(
  text: string,
  clients: RunClients & { closeAll(): Promise<void> },
  reporter?: RunReporter,
): Promise<FileResult> {
  const file = parseMqttFile(text);
  assert.deepEqual(file.problems, []);
  try {
    return await runMqttFile(file, {
      clients,
      scheduler: realScheduler,
      variables: {},
      env: () => undefined,
      secret: () => Promise.resolve(undefined),
      readFile: () => Promise.reject(new Error('no files here')),
      ...(reporter ? { reporter } : {}),
    });
  } finally {
    await clients.closeAll();
  }
}

const statuses = (r: FileResult) =>
  r.results.map((x) => `${x.status}${x.message ? `: ${x.message}` : ''}`);

const servers = bothBrokers();

const BROKERS = [
  { name: 'Mosquitto', port: () => servers.mosquittoPort() },
  { name: 'aedes', port: servers.aedesPort },
];

for (const { name, port } of BROKERS)
  for (const version of [5, 4] as const)
    describe(`.mqtt run clients on ${name}, MQTT ${version === 5 ? '5' : '3.1.1'}`, () => {
      const clients = () =>
        mqttJsRunClients({ broker: `mqtt://127.0.0.1:${port()}`, protocolVersion: version });

      it('overlapping filters each count a publication once', async () => {
        const t = uniqueId('fp');
        const r = await runText(
          `### all\nEXPECT ${t}/# WITHIN 1s\ncount: 1\n\n### one level\nEXPECT ${t}/+ WITHIN 1s\ncount: 1\n\n` +
            `### two wanted\nEXPECT ${t}/# WITHIN 1s\ncount: >= 2\n\n### send\nPUBLISH ${t}/x\nqos: 1\n\nhi\n`,
          clients(),
        );
        assert.deepEqual(statuses(r).slice(0, 2), ['passed', 'passed']);
        assert.equal(r.results[2]!.status, 'failed');
        assert.match(r.results[2]!.message!, /1 arrived/);
        assert.equal(r.results[3]!.status, 'passed');
      });

      it('a second EXPECT on a filter sees the retained message; the first still counts one', async () => {
        const t = uniqueId('ret');
        const r = await runText(
          `### keep\nPUBLISH ${t}\nretain: true\nqos: 1\n\nkept\n\n` +
            `### first\nEXPECT ${t} WITHIN 1s\ncount: 1\nretained: true\n\n` +
            `### second\nEXPECT ${t} WITHIN 1s\ncount: 1\nretained: true\n\n` +
            `### live\nEXPECT ${t} WITHIN 1s\ncount: 1\nretained: false\n\n` +
            `### send\nPUBLISH ${t}\nqos: 1\n\nlive\n\n### wait\nWAIT\n\n` +
            `### clear\nPUBLISH ${t}\nretain: true\nqos: 1\n\n`,
          clients(),
        );
        assert.deepEqual(statuses(r), Array(7).fill('passed'));
      });

      it('qos: N checks the QoS the message was sent with', async () => {
        const t = uniqueId('qos');
        const file = (q: number) =>
          `### wait\nEXPECT ${t} WITHIN 1s\nqos: ${q}\n\n### send\nPUBLISH ${t}\nqos: 2\n\nx\n`;
        const one = await runText(file(1), clients());
        assert.equal(one.results[0]!.status, 'failed');
        assert.match(one.results[0]!.message!, /0 arrived \(1 other message did not match\)/);
        assert.deepEqual(statuses(await runText(file(2), clients())), ['passed', 'passed']);
      });

      it('an EXPECT on a client that is dropped fails at once; so does EXPECT NOTHING', async () => {
        const t = uniqueId('drop');
        const started = performance.now();
        const r = await runText(
          `### dev\nCONNECT dev\n\n### wait on dev\nEXPECT ${t} WITHIN 4s\nclient: dev\n\n` +
            `### nothing on dev\nEXPECT NOTHING ${t}/n WITHIN 4s\nclient: dev\n\n### drop\nDROP dev\n`,
          clients(),
        );
        assert.ok(performance.now() - started < 2000, 'ended well before the window');
        assert.equal(r.results[1]!.status, 'failed');
        assert.match(r.results[1]!.message!, /^"dev" was dropped\. Expected at least 1/);
        assert.equal(r.results[2]!.status, 'failed');
        assert.match(r.results[2]!.message!, /^"dev" was dropped\. Expected nothing/);
      });

      if (version === 5)
        it('a REQUEST on its own topic with no responder is not answered by itself', async () => {
          const t = uniqueId('self');
          const r = await runText(
            `### ask\nREQUEST ${t} WITHIN 500ms\nresponse-topic: ${t}\nqos: 1\n\nping\n`,
            clients(),
          );
          assert.equal(r.results[0]!.status, 'failed');
          assert.match(r.results[0]!.message!, /^No reply/);
        });
    });

describe('.mqtt run clients when Mosquitto goes away under an EXPECT', () => {
  it('the EXPECT fails at once with the lost connection', async () => {
    const gone = await startMosquitto();
    const started = performance.now();
    try {
      const r = await runText(
        '### wait\nEXPECT lost/x WITHIN 4s\n\n### pause\nWAIT 200ms\n',
        mqttJsRunClients({ broker: `mqtt://127.0.0.1:${gone.port}` }),
        { blockStarted: (b) => void (b.kind === 'wait' && gone.kill()) },
      );
      assert.ok(performance.now() - started < 2500, 'ended well before the window');
      assert.equal(r.results[0]!.status, 'failed');
      assert.match(
        r.results[0]!.message!,
        /^"default" lost its connection to mqtt:\/\/127\.0\.0\.1/,
      );
    } finally {
      await gone.stop();
    }
  });
});
