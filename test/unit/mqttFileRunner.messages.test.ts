/**
 * What the `.mqtt` runner sends and how it behaves toward its host: MQTT 5 properties shaped as
 * MQTT.js wants them, a REQUEST's own response topic and correlation data, the reporter's calls,
 * and clients that reject everything (no unhandled rejection, each block fails with why).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { RunClient, RunClients } from '../../src/core/mqttFile/runTypes';
import { correlationDataOf } from '../../src/core/request/requestPairing';
import { runRig, statuses } from '../support/runRig';
import { VirtualClock } from '../support/virtualClock';

describe('runMqttFile: messages', () => {
  it('sends MQTT 5 properties as MQTT.js wants them', async () => {
    const rig = runRig();
    const r = await rig.run(
      parseMqttFile(
        '### props\nPUBLISH dev/1\ncontent-type: application/json\nuser-property: k=a\nuser-property: k=b\n' +
          'user-property: z=1\ncorrelation-data: hex:0a1b\nmessage-expiry: 60\npayload-format: utf8\n' +
          'response-topic: dev/1/reply\n\n{"a":1}\n',
      ),
    );
    assert.deepEqual(statuses(r), ['passed']);
    const props = rig.clients.broker.published[0]!.message.properties!;
    assert.deepEqual(props.userProperties, { k: ['a', 'b'], z: '1' });
    assert.deepEqual(props.correlationData, Buffer.from([0x0a, 0x1b]));
    assert.equal(props.contentType, 'application/json');
    assert.equal(props.messageExpiryInterval, 60);
    assert.equal(props.payloadFormatIndicator, true);
    assert.equal(props.responseTopic, 'dev/1/reply');
  });

  it('MQTT 5 properties on an MQTT 3.1.1 client fail the block before anything is sent', async () => {
    const rig = runRig(4);
    const r = await rig.run(parseMqttFile('### p\nPUBLISH a\ncontent-type: text/plain\n\nx\n'));
    assert.match(
      r.results[0]!.message!,
      /^Line 2, column 9: MQTT 5 properties need an MQTT 5 client/,
    );
    assert.equal(rig.clients.broker.published.length, 0);
  });

  it('a REQUEST with its own response topic and correlation data sends those', async () => {
    const rig = runRig();
    rig.clients.broker.onPublish = (m) => {
      if (m.topic !== 'svc/x') return;
      const reply = {
        ...m,
        topic: m.properties!.responseTopic as string,
        payload: new Uint8Array([0x31]),
      };
      rig.clock.setTimeout(() => void rig.clients.default.publish(reply), 40);
    };
    const r = await rig.run(
      parseMqttFile(
        '### ask\nREQUEST svc/x WITHIN 1s\nresponse-topic: my/replies\ncorrelation-data: abc\n\nq\n',
      ),
    );
    assert.deepEqual(statuses(r), ['passed']);
    assert.equal(r.results[0]!.latencyMs, 40);
    const sent = rig.clients.broker.published[0]!.message;
    assert.equal(sent.properties!.responseTopic, 'my/replies');
    assert.deepEqual(correlationDataOf(sent), Buffer.from('abc'));
  });

  it('the reporter hears each block start and end, an EXPECT ends when it ends', async () => {
    const rig = runRig();
    const heard: string[] = [];
    const r = await rig.run(
      parseMqttFile('### e\nEXPECT t WITHIN 1s\n\n### p\nPUBLISH t\n\nx\n\n### w\nWAIT 10ms\n'),
      {
        reporter: {
          blockStarted: (b) => heard.push(`start ${b.title}`),
          blockEnded: (x) => {
            heard.push(`end ${x.block.title} ${x.status}`);
            throw new Error('a reporter that throws');
          },
        },
      },
    );
    assert.equal(r.passed, true);
    assert.deepEqual(heard, [
      'start e',
      'start p',
      'end e passed',
      'end p passed',
      'start w',
      'end w passed',
    ]);
  });
});

describe('runMqttFile: a client that rejects everything', () => {
  it('each block fails with why; no rejection goes unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const clock = new VirtualClock();
      const bad: RunClient = {
        name: 'bad',
        protocolVersion: 5,
        publish: () => Promise.reject(new Error('publish refused')),
        subscribe: () => Promise.reject('a string, not an Error'),
        close: () => Promise.reject(new Error('close failed')),
        drop: () => {
          throw new Error('drop failed');
        },
      };
      const clients: RunClients = {
        defaultClient: () => Promise.resolve(bad),
        connect: () => Promise.resolve(bad),
      };
      const file = parseMqttFile(
        '### e\nEXPECT t WITHIN 1s\n\n### p\nPUBLISH t\n\nx\n\n### r\nREQUEST s WITHIN 1s\n\n' +
          '### c\nCONNECT dev\n\n### d\nDROP dev\n',
      );
      const r = await clock.run(
        runMqttFile(file, {
          clients,
          scheduler: clock,
          variables: {},
          env: () => undefined,
          secret: () => Promise.resolve(undefined),
          readFile: () => Promise.reject(new Error('no')),
        }),
      );
      assert.deepEqual(
        r.results.map((x) => `${x.status}: ${x.message ?? ''}`),
        [
          'failed: Cannot subscribe to "t": a string, not an Error',
          'failed: The publish failed: publish refused',
          'failed: Cannot subscribe to the response topic "bad/responses/' +
            (r.results[2]!.message!.match(/responses\/([0-9a-f]+)/)?.[1] ?? '?') +
            '": a string, not an Error',
          'passed: ',
          'failed: drop failed',
        ],
      );
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
