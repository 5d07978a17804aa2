/**
 * `.mqtt` files run over plain MQTT.js clients (`mqttJsRunClients`) against the embedded broker
 * (aedes, MQTT 3.1.1) and Mosquitto (MQTT 5): QoS 0, 1 and 2 published and expected (QoS 2 went
 * PUBREC → PUBREL → PUBCOMP), a retained message seen by a late EXPECT, a Last Will seen after
 * DROP, EXPECT NOTHING, a failing expectation, a QoS 1 REPEAT's pace, a refused subscription, an unreachable broker, a
 * broker that goes away, and (Mosquitto) a REQUEST answered by a Paho responder.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { mqttJsRunClients } from '../../src/core/mqttFile/mqttJsRunClients';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { FileResult, RunClients, RunReporter } from '../../src/core/mqttFile/runTypes';
import { startAedes } from '../support/aedesBroker';
import { startMosquitto } from '../support/mosquitto';
import { startPahoResponder } from '../support/pahoResponder';
import { freePort } from '../support/ports';
import { uniqueId } from '../support/sessions';

interface Broker {
  port: number;
  stop(): Promise<void> | void;
}

const BROKERS: { name: string; version: 4 | 5; start(): Promise<Broker> }[] = [
  { name: 'the embedded broker (aedes, MQTT 3.1.1)', version: 4, start: () => startAedes() },
  { name: 'Mosquitto (MQTT 5)', version: 5, start: () => startMosquitto() },
];

/** Parses `text` (it must have no problem) and runs it, then closes every client. */
async function runText(
  text: string,
  clients: RunClients & { closeAll(): Promise<void> },
  o: { variables?: Record<string, string>; reporter?: RunReporter } = {},
): Promise<FileResult> {
  const file = parseMqttFile(text, { knownVariables: Object.keys(o.variables ?? {}) });
  assert.deepEqual(file.problems, []);
  try {
    return await runMqttFile(file, {
      clients,
      scheduler: realScheduler,
      variables: o.variables ?? {},
      env: () => undefined,
      secret: () => Promise.resolve(undefined),
      readFile: () => Promise.reject(new Error('no files here')),
      ...(o.reporter ? { reporter: o.reporter } : {}),
    });
  } finally {
    await clients.closeAll();
  }
}

const statuses = (r: FileResult) =>
  r.results.map((x) => `${x.status}${x.message ? `: ${x.message}` : ''}`);

for (const { name, version, start } of BROKERS) {
  describe(`.mqtt files with ${name}`, () => {
    let broker: Broker;
    let url: string;
    before(async () => {
      broker = await start();
      url = `mqtt://127.0.0.1:${broker.port}`;
    });
    after(() => broker?.stop());
    const clients = () => mqttJsRunClients({ broker: url, protocolVersion: version });

    it('QoS 0, 1 and 2 published and expected; QoS 2 goes PUBREC, PUBREL, PUBCOMP', async () => {
      const topic = `iot/lab/${uniqueId('qos')}`;
      const text = [0, 1, 2]
        .map(
          (q) =>
            `### QoS ${q} arrives\nEXPECT {{topic}} WITHIN 3s\nqos: ${q}\n\nhello at QoS ${q}\n\n` +
            `### publish at QoS ${q}\nPUBLISH {{topic}}\nqos: ${q}\n\nhello at QoS ${q}\n`,
        )
        .join('\n');
      const r = await runText(`@topic = ${topic}\n\n${text}`, clients());
      assert.deepEqual(statuses(r), Array(6).fill('passed'));
      for (const i of [0, 2, 4]) assert.ok(r.results[i]!.latencyMs! < 3000);

      const c = clients();
      try {
        const client = await c.defaultClient();
        const handshakes = [];
        for (const qos of [0, 1, 2] as const) {
          const payload = new Uint8Array([qos]);
          handshakes.push((await client.publish({ topic, payload, qos, retain: false })).handshake);
        }
        assert.deepEqual(handshakes, [[], ['PUBACK'], ['PUBREC', 'PUBREL', 'PUBCOMP']]);
      } finally {
        await c.closeAll();
      }
    });

    it('a retained message is seen by a late EXPECT, flagged retained', async () => {
      const topic = `iot/lab/${uniqueId('retained')}`;
      const r = await runText(
        `### keep it\nPUBLISH ${topic}\nqos: 1\nretain: true\n\nkept\n\n` +
          `### a late subscriber sees it\nEXPECT ${topic} WITHIN 3s\nretained: true\n\nkept\n\n` +
          `###\nWAIT\n\n### clear it\nPUBLISH ${topic}\nqos: 1\nretain: true\n`,
        clients(),
      );
      assert.deepEqual(statuses(r), ['passed', 'passed', 'passed', 'passed']);
    });

    it('DROP closes the socket without DISCONNECT: the Last Will arrives; DISCONNECT: it does not', async () => {
      const topic = `iot/lab/${uniqueId('will')}`;
      const r = await runText(
        `### the device\nCONNECT device\nwill-topic: ${topic}/status\nwill-payload: gone\nwill-qos: 1\nkeepalive: 30\n\n` +
          `### its will arrives\nEXPECT ${topic}/status WITHIN 5s\n\ngone\n\n` +
          `### it dies\nDROP device\n\n` +
          `### a quiet one\nCONNECT quiet\nwill-topic: ${topic}/status\nwill-payload: quiet gone\n\n` +
          `### no will\nEXPECT NOTHING ${topic}/status WITHIN 1500ms\n\nquiet gone\n\n` +
          `### it leaves\nDISCONNECT quiet\n`,
        clients(),
      );
      assert.deepEqual(statuses(r), Array(6).fill('passed'));
    });

    it('EXPECT NOTHING passes on silence; a wrong payload fails with expected and actual', async () => {
      const topic = `iot/lab/${uniqueId('fail')}`;
      const r = await runText(
        `### quiet\nEXPECT NOTHING ${topic}/quiet WITHIN 800ms\n\n` +
          `### on\nEXPECT ${topic} WITHIN 800ms\n\n{"on": true}\n\n` +
          `### off\nPUBLISH ${topic}\nqos: 1\n\n{"on": false}\n`,
        clients(),
      );
      assert.deepEqual(
        r.results.map((x) => x.status),
        ['passed', 'failed', 'passed'],
      );
      assert.equal(r.results[1]!.expected, '{\n  "on": true\n}');
      assert.equal(r.results[1]!.actual, '{\n  "on": false\n}');
      assert.equal(r.passed, false);
    });

    it('a QoS 1 REPEAT keeps its pace: each message waits for its PUBACK, not for Nagle', async () => {
      const topic = `iot/lab/${uniqueId('repeat')}`;
      const r = await runText(
        `### all arrive\nEXPECT ${topic}/+ WITHIN 10s\ncount: >= 200\n\n` +
          `### a series\nPUBLISH ${topic}/{{$index}} REPEAT 200 EVERY 5ms\nqos: 1\n\n{"i": {{$index}}}\n`,
        clients(),
      );
      assert.deepEqual(statuses(r), ['passed', 'passed']);
      assert.equal(r.results[1]!.messages, 200);
      // 200 × 5 ms is 1 s; held back by Nagle (~40 ms a PUBACK round) it would take 8 s.
      assert.ok(r.results[1]!.durationMs < 4000, `took ${r.results[1]!.durationMs} ms`);
    });

    it('one set of clients serves file after file: each run connects its default client anew', async () => {
      const topic = `iot/lab/${uniqueId('files')}`;
      const shared = clients();
      const text = `### e\nEXPECT ${topic} WITHIN 2s\n\n### p\nPUBLISH ${topic}\nqos: 1\n\nx\n`;
      const file = parseMqttFile(text);
      const options = {
        clients: shared,
        scheduler: realScheduler,
        variables: {},
        env: () => undefined,
        secret: () => Promise.resolve(undefined),
        readFile: () => Promise.reject(new Error('no files here')),
      };
      try {
        const first = await runMqttFile(file, options);
        const second = await runMqttFile(file, options);
        assert.deepEqual([...statuses(first), ...statuses(second)], Array(4).fill('passed'));
      } finally {
        await shared.closeAll();
      }
    });

    it('an unreachable broker fails every block with why', async () => {
      const port = await freePort();
      const target = `mqtt://127.0.0.1:${port}`;
      const r = await runText(
        '### a\nEXPECT a WITHIN 500ms\n\n### b\nPUBLISH a\n\n1\n',
        mqttJsRunClients({ broker: target, protocolVersion: version }),
      );
      assert.deepEqual(
        statuses(r),
        Array(2).fill(
          `failed: Cannot connect: Connection refused by ${target}: no MQTT broker is listening there.`,
        ),
      );
    });
  });
}

describe('.mqtt files with aedes refusing a subscription', () => {
  it('the EXPECT fails with the SUBACK reason', async () => {
    const aedes = await startAedes({
      authorizeSubscribe: (_c, sub, cb) => cb(null, sub.topic.startsWith('secret') ? null : sub),
    });
    try {
      const r = await runText(
        '### refused\nEXPECT secret/# WITHIN 500ms\n\n### allowed\nEXPECT NOTHING open/# WITHIN 300ms\n',
        mqttJsRunClients({ broker: `mqtt://127.0.0.1:${aedes.port}`, protocolVersion: 4 }),
      );
      assert.deepEqual(statuses(r), [
        'failed: Cannot subscribe to "secret/#": the broker refused it: 0x80 Failure',
        'passed',
      ]);
    } finally {
      await aedes.stop();
    }
  });
});

describe('.mqtt files with Mosquitto and a Paho responder', () => {
  let broker: Broker;
  before(async () => (broker = await startMosquitto()));
  after(() => broker?.stop());

  it('a REQUEST is answered, paired and timed; the reply is captured; MQTT 3.1.1 cannot request', async () => {
    const topic = `svc/${uniqueId('echo')}`;
    const responder = startPahoResponder({ port: broker.port, topic, timeoutMs: 20_000 });
    try {
      await responder.ready;
      const url = `mqtt://127.0.0.1:${broker.port}`;
      const r = await runText(
        `### ask\nREQUEST ${topic} WITHIN 5s\nmatch: /^reply:ping$/\n\nping\n\n` +
          `### the reply is captured\nEXPECT ${topic}/seen WITHIN 2s\n\nreply:ping\n\n` +
          `### tell\nPUBLISH ${topic}/seen\n\n{{lastReply.payload}}\n`,
        mqttJsRunClients({ broker: url, protocolVersion: 5 }),
      );
      assert.deepEqual(statuses(r), ['passed', 'passed', 'passed']);
      assert.ok(r.results[0]!.latencyMs! > 0 && r.results[0]!.latencyMs! < 5000);
      const v4 = await runText(
        `### ask\nREQUEST ${topic} WITHIN 1s\n\nping\n`,
        mqttJsRunClients({ broker: url, protocolVersion: 4 }),
      );
      assert.match(v4.results[0]!.message!, /uses MQTT 3\.1\.1; a REQUEST needs MQTT 5/);
    } finally {
      responder.stop();
    }
  });
});

describe('.mqtt files when Mosquitto goes away', () => {
  it('the blocks after the loss fail with the lost connection, and the run ends', async () => {
    const mosquitto = await startMosquitto();
    try {
      const r = await runText(
        '### one\nPUBLISH gone/1\nqos: 1\n\na\n\n### pause\nWAIT 300ms\n\n### two\nPUBLISH gone/2\nqos: 1\n\nb\n',
        mqttJsRunClients({ broker: `mqtt://127.0.0.1:${mosquitto.port}` }),
        { reporter: { blockStarted: (b) => void (b.kind === 'wait' && mosquitto.kill()) } },
      );
      assert.deepEqual(statuses(r), [
        'passed',
        'passed',
        `failed: The publish failed: "default" lost its connection to mqtt://127.0.0.1:${mosquitto.port}.`,
      ]);
    } finally {
      await mosquitto.stop();
    }
  });
});
