/**
 * The `.mqtt` runner over plain MQTT.js clients (`mqttJsRunClients`) against the embedded broker
 * (aedes, MQTT 3.1.1) and Mosquitto (MQTT 5): QoS 0, 1 and 2 published and expected (QoS 2 went
 * PUBREC → PUBREL → PUBCOMP), a retained message seen by a late EXPECT, a Last Will seen after
 * DROP, EXPECT NOTHING, a failing expectation, a refused subscription, an unreachable broker,
 * and (Mosquitto) a REQUEST answered by a Paho responder.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { mqttJsRunClients } from '../../src/core/mqttFile/mqttJsRunClients';
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { MqttFile } from '../../src/core/mqttFile/mqttFileAst';
import type { FileResult, RunClients } from '../../src/core/mqttFile/runTypes';
import { startAedes } from '../support/aedesBroker';
import { startMosquitto } from '../support/mosquitto';
import { startPahoResponder } from '../support/pahoResponder';
import { freePort } from '../support/ports';
import { uniqueId } from '../support/sessions';
import {
  close,
  connect,
  expect,
  mqttFile,
  publish,
  request,
  t,
  text,
  wait,
} from '../support/mqttBlocks';

interface Broker {
  port: number;
  stop(): Promise<void> | void;
}

const BROKERS: { name: string; version: 4 | 5; start(): Promise<Broker> }[] = [
  { name: 'the embedded broker (aedes, MQTT 3.1.1)', version: 4, start: () => startAedes() },
  { name: 'Mosquitto (MQTT 5)', version: 5, start: () => startMosquitto() },
];

async function runFile(
  file: MqttFile,
  clients: RunClients & { closeAll(): Promise<void> },
): Promise<FileResult> {
  try {
    return await runMqttFile(file, {
      clients,
      scheduler: realScheduler,
      variables: {},
      env: () => undefined,
      secret: () => Promise.resolve(undefined),
      readFile: () => Promise.reject(new Error('no files here')),
    });
  } finally {
    await clients.closeAll();
  }
}

const statuses = (r: FileResult) =>
  r.results.map((x) => `${x.status}${x.message ? `: ${x.message}` : ''}`);

for (const { name, version, start } of BROKERS) {
  describe(`the .mqtt runner with ${name}`, () => {
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
      const blocks = ([0, 1, 2] as const).flatMap((qos) => [
        expect(`${topic}/${qos}`, 3000, {
          qos,
          qosRequired: true,
          matchers: { payload: text(`hello at QoS ${qos}`), json: [] },
        }),
        publish(`${topic}/${qos}`, `hello at QoS ${qos}`, { qos }),
      ]);
      const r = await runFile(mqttFile(blocks), clients());
      assert.deepEqual(statuses(r), Array(6).fill('passed'));
      for (const i of [0, 2, 4]) assert.ok(r.results[i]!.latencyMs! < 3000);

      const c = clients();
      try {
        const client = await c.defaultClient();
        const handshakes = [];
        for (const qos of [0, 1, 2] as const)
          handshakes.push(
            (await client.publish({ topic, payload: new Uint8Array([qos]), qos, retain: false }))
              .handshake,
          );
        assert.deepEqual(handshakes, [[], ['PUBACK'], ['PUBREC', 'PUBREL', 'PUBCOMP']]);
      } finally {
        await c.closeAll();
      }
    });

    it('a retained message is seen by a late EXPECT, flagged retained', async () => {
      const topic = `iot/lab/${uniqueId('retained')}`;
      const r = await runFile(
        mqttFile([
          publish(topic, 'kept', { qos: 1, retain: true }),
          expect(topic, 3000, { retained: true, matchers: { payload: text('kept'), json: [] } }),
          wait(),
          publish(topic, '', { qos: 1, retain: true }),
        ]),
        clients(),
      );
      assert.deepEqual(statuses(r), ['passed', 'passed', 'passed', 'passed']);
    });

    it('DROP closes the socket without DISCONNECT: the Last Will arrives', async () => {
      const topic = `iot/lab/${uniqueId('will')}`;
      const will = {
        topic: t(`${topic}/status`),
        payload: t('gone'),
        qos: 1 as const,
        retain: false,
      };
      const r = await runFile(
        mqttFile([
          connect('device', { will, keepaliveSeconds: 30 }),
          expect(`${topic}/status`, 5000, { matchers: { payload: text('gone'), json: [] } }),
          close('drop', 'device'),
          connect('quiet', { will: { ...will, payload: t('quiet gone') } }),
          expect(`${topic}/status`, 1500, {
            nothing: true,
            matchers: { payload: text('quiet gone'), json: [] },
          }),
          close('disconnect', 'quiet'),
        ]),
        clients(),
      );
      assert.deepEqual(statuses(r), Array(6).fill('passed'));
    });

    it('EXPECT NOTHING passes on silence; a wrong payload fails with expected and actual', async () => {
      const topic = `iot/lab/${uniqueId('fail')}`;
      const r = await runFile(
        mqttFile([
          expect(`${topic}/quiet`, 800, { nothing: true }),
          expect(topic, 800, { matchers: { payload: text('{"on": true}'), json: [] } }),
          publish(topic, '{"on": false}', { qos: 1 }),
        ]),
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

    it('an unreachable broker fails every block with why', async () => {
      const port = await freePort();
      const r = await runFile(
        mqttFile([expect('a', 500), publish('a', '1')]),
        mqttJsRunClients({ broker: `mqtt://127.0.0.1:${port}`, protocolVersion: version }),
      );
      assert.deepEqual(
        statuses(r),
        Array(2).fill(
          `failed: Cannot connect: Cannot reach mqtt://127.0.0.1:${port}: Connection refused by mqtt://127.0.0.1:${port}: no MQTT broker is listening there.`,
        ),
      );
    });
  });
}

describe('the .mqtt runner with aedes refusing a subscription', () => {
  it('the EXPECT fails with the SUBACK reason', async () => {
    const aedes = await startAedes({
      authorizeSubscribe: (_c, sub, cb) => cb(null, sub.topic.startsWith('secret') ? null : sub),
    });
    try {
      const r = await runFile(
        mqttFile([expect('secret/#', 500), expect('open/#', 300, { nothing: true })]),
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

describe('the .mqtt runner with Mosquitto and a Paho responder', () => {
  let broker: Broker;
  before(async () => (broker = await startMosquitto()));
  after(() => broker?.stop());

  it('a REQUEST is answered, paired and timed; MQTT 3.1.1 cannot request', async () => {
    const topic = `svc/${uniqueId('echo')}`;
    const responder = startPahoResponder({ port: broker.port, topic, timeoutMs: 20_000 });
    try {
      await responder.ready;
      const url = `mqtt://127.0.0.1:${broker.port}`;
      const r = await runFile(
        mqttFile([
          request(topic, 'ping', 5000, { reply: { payload: text('reply:ping'), json: [] } }),
        ]),
        mqttJsRunClients({ broker: url, protocolVersion: 5 }),
      );
      assert.deepEqual(statuses(r), ['passed']);
      assert.ok(r.results[0]!.latencyMs! > 0 && r.results[0]!.latencyMs! < 5000);
      const v4 = await runFile(
        mqttFile([request(topic, 'ping', 1000)]),
        mqttJsRunClients({ broker: url, protocolVersion: 4 }),
      );
      assert.match(v4.results[0]!.message!, /uses MQTT 3\.1\.1; a REQUEST needs MQTT 5/);
    } finally {
      responder.stop();
    }
  });
});
