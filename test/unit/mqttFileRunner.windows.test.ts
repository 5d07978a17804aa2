/**
 * The runner's windows on virtual time over the in-memory broker: an EXPECT's window starts with
 * the block (a slow SUBACK is inside it), a REQUEST's unacknowledged publish does not hold it past
 * WITHIN, and a REQUEST pairs neither its own request (response topic = request topic, a client
 * without No Local) nor a retained message.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlationDataOf } from '../../src/core/request/requestPairing';
import { expect, message, mqttFile, publish, request, t } from '../support/mqttBlocks';
import { runRig, statuses } from '../support/runRig';

describe('runMqttFile: windows', () => {
  it('an EXPECT lasts its WITHIN from the block start, a slow SUBACK included', async () => {
    const rig = runRig();
    rig.clients.broker.subackDelayMs = 600;
    const r = await rig.run(mqttFile([expect('slow/t', 1000)]));
    assert.equal(r.results[0]!.status, 'failed');
    assert.equal(r.results[0]!.durationMs, 1000);
    const later = runRig();
    later.clients.broker.subackDelayMs = 1500;
    const late = await later.run(mqttFile([expect('slow/t', 1000)]));
    assert.match(late.results[0]!.message!, /no SUBACK within 1 s/);
    assert.equal(late.results[0]!.durationMs, 1000);
  });

  it('EXPECT subscribes at QoS 2, so qos: 1 fails for a QoS 2 message', async () => {
    const rig = runRig();
    const r = await rig.run(
      mqttFile([
        expect('q/t', 500, { qos: 1, qosRequired: true }),
        publish('q/t', 'two', { qos: 2 }),
      ]),
    );
    assert.deepEqual(statuses(r), ['failed', 'passed']);
    assert.equal(r.results[0]!.actual, 'qos: 2\n\ntwo');
  });

  it('a REQUEST whose publish is never acknowledged ends with its window', async () => {
    const rig = runRig();
    rig.clients.broker.unacknowledged.add('svc/slow');
    rig.clients.broker.onPublish = (m) => {
      if (m.topic !== 'svc/slow') return;
      void rig.clients.default.publish({
        topic: m.properties!.responseTopic as string,
        payload: new TextEncoder().encode('ok'),
        qos: 0,
        retain: false,
        properties: { correlationData: correlationDataOf(m)! },
      });
    };
    const block = request('svc/slow', 'x', 800);
    block.message.qos = 1;
    const r = await rig.run(mqttFile([block]));
    assert.equal(r.results[0]!.status, 'failed');
    assert.match(r.results[0]!.message!, /did not acknowledge the request within 0\.8 s/);
    assert.equal(r.results[0]!.durationMs, 800);
  });

  it('a REQUEST on its own topic is not answered by itself; a responder there is', async () => {
    const rig = runRig();
    const self = (topic: string) =>
      request(topic, 'ping', 500, {
        message: message(topic, 'ping', {
          properties: { userProperties: [], responseTopic: t(topic) },
        }),
      });
    const alone = await runRig().run(mqttFile([self('loop/t')]));
    assert.match(alone.results[0]!.message!, /^No reply on "loop\/t"/);
    rig.clients.broker.onPublish = (m) => {
      if (new TextDecoder().decode(m.payload) !== 'ping') return;
      void rig.clients.default.publish({
        topic: m.topic,
        payload: new TextEncoder().encode('pong'),
        qos: 0,
        retain: false,
        properties: { correlationData: correlationDataOf(m)! },
      });
    };
    const answered = await rig.run(mqttFile([self('loop/u')]));
    assert.deepEqual(statuses(answered), ['passed']);
  });

  it('a retained message with the right correlation data is never the reply', async () => {
    const rig = runRig();
    rig.clients.broker.retainAsPublished = true;
    rig.clients.broker.onPublish = (m) => {
      if (m.topic !== 'svc/stale') return;
      void rig.clients.default.publish({
        topic: m.properties!.responseTopic as string,
        payload: new TextEncoder().encode('old'),
        qos: 0,
        retain: true,
        properties: { correlationData: correlationDataOf(m)! },
      });
    };
    const r = await rig.run(mqttFile([request('svc/stale', 'x', 500)]));
    assert.deepEqual(statuses(r), ['failed']);
    assert.match(r.results[0]!.message!, /^No reply on /);
  });
});
