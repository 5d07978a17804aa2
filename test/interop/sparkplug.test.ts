/**
 * Sparkplug B against Mosquitto with independent clients: an edge node made of Paho (Python) and
 * Google's protobuf publishes births, data with a seq gap, a stale death and finally loses its
 * link so its will (NDEATH) fires; MQTT Scope's tracker, fed by a real session through the
 * traffic hub and the message log, follows it and names the aliases of its data. A Rebirth
 * request reaches a Paho subscriber as an NCMD that protobuf decodes, and the demo's edge node
 * answers it with a new NBIRTH and DBIRTH.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { runSparkplugPaho, type SparkplugPahoEvent } from '../support/pahoSparkplug';
import { newSession, subscriptionsSettled, memoryLogger } from '../support/sessions';
import { MessageStore } from '../../src/core/store/messageStore';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import { SparkplugTracker } from '../../src/core/sparkplug/sparkplugTracker';
import { rebirthRequest } from '../../src/core/sparkplug/rebirth';
import { toLogDetail } from '../../src/core/log/logRows';
import { realScheduler } from '../../src/core/ports';
import { DEMO_SPARKPLUG, DemoEdgeNode } from '../../src/core/broker/demoEdgeNode';
import type { DecodedNode } from '../../src/protocol/decoded';
import { decodedText } from '../../src/core/decoders/decodedTree';

/** A real session on spBv1.0/#, logged into a store, with the tracker after the log. */
async function hostApplication(t: TestContext, port: number) {
  const session = newSession(t, {
    host: '127.0.0.1',
    port,
    protocolVersion: 5,
    subscriptions: [{ topic: 'spBv1.0/#', qos: 1 }],
  });
  const store = new MessageStore({
    scheduler: realScheduler,
    maxMessages: 1000,
    maxBytes: 1 << 20,
  });
  const log = new TrafficLog(store, session.onTraffic);
  const tracker = new SparkplugTracker(realScheduler).follow(session.onTraffic);
  t.after(() => {
    tracker.dispose();
    log.dispose();
    store.dispose();
  });
  await session.connect();
  await subscriptionsSettled(session, 5_000);
  const changed = (test: () => boolean, ms: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (test()) return resolve();
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`not seen in ${ms} ms: ${what}`));
      }, ms);
      const listener = tracker.onDidChange(() => {
        if (!test()) return;
        clearTimeout(timer);
        listener.dispose();
        resolve();
      });
    });
  return { session, store, tracker, changed };
}

const metricNames = (node: DecodedNode | undefined): string[] => {
  const metrics = node?.t === 'map' ? node.entries.find(([k]) => k === 'metrics')?.[1] : undefined;
  return metrics?.t === 'map' ? metrics.entries.map(([k]) => k) : [];
};

describe('Sparkplug B with Paho and Mosquitto', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker?.stop());

  it(
    'follows a Paho edge node: births, seq gap, stale death, will',
    { timeout: 20_000 },
    async (t) => {
      const host = await hostApplication(t, broker.port);
      const edge = { mode: 'edge', port: broker.port, group: 'line-1', node: 'py-edge', bdseq: 7 };
      await runSparkplugPaho({
      ...edge,
      timeout: 10,
      drop: true,
      messages: [
        { type: 'NBIRTH', seq: 0, metrics: [
          { name: 'bdSeq', datatype: 8, value: 7 },
          { name: 'Temperature', alias: 1, datatype: 10, value: 20.5 },
          { name: 'Offset', alias: 3, datatype: 3, value: -4 },
        ] },
        { type: 'DBIRTH', device: 'pump', seq: 1, metrics: [{ name: 'Speed', alias: 2, datatype: 7, value: 1200 }] },
        { type: 'NDATA', seq: 2, metrics: [{ alias: 1, datatype: 10, value: 21 }] },
        { type: 'NDATA', seq: 5, metrics: [{ alias: 3, datatype: 3, value: -9 }] },
        { type: 'DDATA', device: 'pump', seq: 6, metrics: [{ alias: 2, datatype: 7, value: 1300 }] },
        { type: 'NDEATH', metrics: [{ name: 'bdSeq', datatype: 8, value: 6 }] },
        { type: 'DDEATH', device: 'pump', seq: 7, metrics: [] },
      ],
    }); // prettier-ignore
      const node = () => host.tracker.edgeNode(host.session.name, 'line-1', 'py-edge');
      await host.changed(
        () => node()?.state === 'offline',
        8_000,
        'the will (NDEATH) taking the node offline',
      );
      const n = node()!;
      assert.equal(n.bdSeq, 7);
      assert.equal(n.lastSeq, 7);
      assert.equal(n.seqGaps, 1);
      assert.equal(n.bdSeqMismatches, 1, 'the NDEATH with bdSeq 6 was flagged, not obeyed');
      assert.deepEqual(
        n.warnings.map((w) => w.text),
        [
          'seq gap: NDATA has seq 5 after 2 (expected 3, 2 missing)',
          "NDEATH bdSeq 6 does not match the NBIRTH's bdSeq 7",
        ],
      );
      assert.equal(n.devices.get('pump')?.state, 'offline');

      // The log's detail names the metrics the data messages sent by alias, Int32 with its sign.
      const detailOf = (topic: string) => {
        const entry = host.store.page({ limit: 1000 }).entries.find((e) => e.topic === topic);
        assert.ok(entry, `${topic} logged`);
        return toLogDetail(entry, undefined, true, {
          now: Date.now(),
          sparkplugAliases: (c, tp, seq) => host.tracker.aliasesFor(c, tp, seq),
        }).decoded;
      };
      const ddata = detailOf('spBv1.0/line-1/DDATA/py-edge/pump');
      assert.equal(ddata?.label, 'Sparkplug B DDATA');
      assert.deepEqual(metricNames(ddata?.value), ['Speed']);
      const ndata = host.store
        .page({ limit: 1000 })
        .entries.filter((e) => e.topic === 'spBv1.0/line-1/NDATA/py-edge');
      const last = toLogDetail(ndata[1], undefined, true, {
        now: Date.now(),
        sparkplugAliases: (c, tp, seq) => host.tracker.aliasesFor(c, tp, seq),
      }).decoded;
      assert.deepEqual(metricNames(last?.value), ['Offset']);
      assert.match(decodedText(last!.value!), /"value": -9/);
    },
  );

  it(
    'Request Rebirth reaches a Paho subscriber as an NCMD protobuf decodes',
    { timeout: 15_000 },
    async (t) => {
      const host = await hostApplication(t, broker.port);
      let ready: () => void = () => undefined;
      const subscribed = new Promise<void>((resolve) => (ready = resolve));
      const received = runSparkplugPaho(
        { mode: 'sub', port: broker.port, topic: 'spBv1.0/+/NCMD/#', count: 1, timeout: 10 },
        (e) => e.event === 'ready' && ready(),
      );
      await subscribed;
      const { topic, payload } = rebirthRequest('line-1', 'py-edge', Date.now());
      await host.session.publish({ topic, payload, qos: 0, retain: false });
      const events = await received;
      const message = events.find((e) => e.event === 'message') as SparkplugPahoEvent;
      assert.equal(message.topic, 'spBv1.0/line-1/NCMD/py-edge');
      assert.deepEqual(message.payload?.metrics, [
        { name: 'Node Control/Rebirth', datatype: 11, boolean_value: true },
      ]);
    },
  );

  it(
    'the demo edge node is born, sends data by alias, and answers a Rebirth',
    { timeout: 15_000 },
    async (t) => {
      const host = await hostApplication(t, broker.port);
      const edge = new DemoEdgeNode({ url: `mqtt://127.0.0.1:${broker.port}`, scheduler: realScheduler, logger: memoryLogger() }); // prettier-ignore
      t.after(() => edge.stop());
      await edge.start();
      const { group, node: name, device } = DEMO_SPARKPLUG;
      const node = () => host.tracker.edgeNode(host.session.name, group, name);
      await host.changed(() => node()?.devices.get(device)?.state === 'online', 5_000, 'DBIRTH');
      edge.publishData();
      await host.changed(() => node()?.lastSeq === 3, 5_000, 'NDATA and DDATA (seq 2, 3)');
      assert.equal(node()!.bdSeq, 0);
      assert.equal(node()!.births.length, 1);
      const { topic, payload } = rebirthRequest(group, name, Date.now());
      await host.session.publish({ topic, payload, qos: 0, retain: false });
      await host.changed(
        () => node()?.births.length === 2 && node()?.lastSeq === 1,
        5_000,
        'a new NBIRTH and DBIRTH',
      );
      assert.equal(node()!.seqGaps, 0);
      assert.equal(node()!.state, 'online');
      await edge.stop();
      await host.changed(() => node()?.state === 'offline', 5_000, 'the NDEATH of a clean stop');
      assert.equal(node()!.bdSeqMismatches, 0);
    },
  );
});
