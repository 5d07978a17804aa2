/**
 * The Sparkplug B tracker over a scripted stream: births and deaths, seq wrapping 255 → 0 and
 * gaps, a rebirth that changes aliases (a message decoded later keeps its birth's names), a
 * death with another bdSeq, data before any birth, limits, and announcements at most every
 * 100 ms. Fed through the real traffic hub's event shape.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SparkplugTracker } from '../../src/core/sparkplug/sparkplugTracker';
import { DEFAULT_LIMITS, warnedSinceBirth } from '../../src/core/sparkplug/sparkplugState';
import {
  DataType,
  encodeSparkplugPayload,
  type MetricInput,
} from '../../src/core/sparkplug/sparkplugCodec';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import { FakeScheduler } from './fakeScheduler';
import { Emitter } from '../../src/core/event';
import { followConnections } from '../../src/core/sparkplug/sparkplugConnections';

const C = 'plant-broker';
let logSeq = 0;

function setup(limits = DEFAULT_LIMITS) {
  const scheduler = new FakeScheduler();
  const tracker = new SparkplugTracker(scheduler, limits);
  const send = (topic: string, seq: number | undefined, metrics: MetricInput[] = []) => {
    const payload = encodeSparkplugPayload({
      timestamp: scheduler.now(),
      ...(seq !== undefined ? { seq } : {}),
      metrics,
    });
    tracker.observe({ connection: C, topic, payload, time: scheduler.now(), seq: ++logSeq });
    return logSeq;
  };
  return { scheduler, tracker, send };
}

const bdSeq = (n: number): MetricInput => ({ name: 'bdSeq', datatype: DataType.Int64, value: n });
const named = (name: string, alias: number): MetricInput => ({
  name,
  alias,
  datatype: DataType.Double,
  value: 1,
});

describe('Sparkplug B tracker', () => {
  it('follows births and deaths of an edge node and its devices', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g1/NBIRTH/edge', 0, [bdSeq(3), named('Temp', 1)]);
    send('spBv1.0/g1/DBIRTH/edge/pump', 1, [named('Speed', 2)]);
    const node = tracker.edgeNode(C, 'g1', 'edge')!;
    assert.equal(node.state, 'online');
    assert.equal(node.bdSeq, 3);
    assert.equal(node.devices.get('pump')?.state, 'online');
    send('spBv1.0/g1/DDEATH/edge/pump', 2);
    assert.equal(node.devices.get('pump')?.state, 'offline');
    assert.equal(node.state, 'online');
    send('spBv1.0/g1/NDEATH/edge', undefined, [bdSeq(3)]);
    assert.equal(node.state, 'offline');
    assert.equal(node.seqGaps, 0);
    assert.equal(node.warnings.length, 0);
  });

  it('wraps seq 255 → 0 without a warning, and flags a gap', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(0)]);
    for (let s = 1; s <= 255; s++) send('spBv1.0/g/NDATA/n', s);
    send('spBv1.0/g/NDATA/n', 0);
    const node = tracker.edgeNode(C, 'g', 'n')!;
    assert.equal(node.seqGaps, 0);
    assert.equal(node.lastSeq, 0);
    send('spBv1.0/g/NDATA/n', 4);
    assert.equal(node.seqGaps, 1);
    assert.equal(node.warnings[0].kind, 'seqGap');
    assert.equal(node.warnings[0].text, 'seq gap: NDATA has seq 4 after 0 (expected 1, 3 missing)');
    // Across the wrap: 254 then 1 misses 255 and 0.
    send('spBv1.0/g/NDATA/n', 254);
    send('spBv1.0/g/NDATA/n', 1);
    assert.match(node.warnings.at(-1)!.text, /seq 1 after 254 \(expected 255, 2 missing\)/);
  });

  it('resolves aliases from the birth in force when a message arrived, across a rebirth', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(1), named('Temperature', 1)]);
    send('spBv1.0/g/DBIRTH/n/dev', 1, [named('Pressure', 7)]);
    const before = send('spBv1.0/g/NDATA/n', 2, [{ alias: 1, datatype: 10, value: 5 }]);
    const deviceData = send('spBv1.0/g/DDATA/n/dev', 3, [{ alias: 7, datatype: 10, value: 2 }]);
    // Rebirth: alias 1 now means something else.
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(2), named('Humidity', 1)]);
    const after = send('spBv1.0/g/NDATA/n', 1, [{ alias: 1, datatype: 10, value: 5 }]);
    const lookup = (seq: number, topic = 'spBv1.0/g/NDATA/n') =>
      tracker.aliasesFor(C, topic, seq)!('1');
    assert.deepEqual(lookup(before), { name: 'Temperature' });
    assert.deepEqual(lookup(after), { name: 'Humidity' });
    assert.deepEqual(tracker.aliasesFor(C, 'spBv1.0/g/DDATA/n/dev', deviceData)!('7'), {
      name: 'Pressure',
    });
    assert.deepEqual(tracker.aliasesFor(C, 'spBv1.0/g/NDATA/n', after)!('99'), {
      unknown: 'not in its birth',
    });
    assert.deepEqual(tracker.aliasesFor(C, 'spBv1.0/g/NDATA/other', after)!('1'), {
      unknown: 'no birth seen',
    });
  });

  it('says no birth was seen before a message older than every birth, when none was let go', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(1)]);
    const early = send('spBv1.0/g/DDATA/n/d', 1, [{ alias: 5, datatype: 10, value: 1 }]);
    send('spBv1.0/g/DBIRTH/n/d', 2, [named('Flow', 5)]);
    const topic = 'spBv1.0/g/DDATA/n/d';
    assert.deepEqual(tracker.aliasesFor(C, topic, early)!('5'), {
      unknown: 'no birth seen before it',
    });
    assert.deepEqual(tracker.aliasesFor(C, topic, early + 2)!('5'), { name: 'Flow' });
  });

  it('flags a death whose bdSeq is not the birth’s, and keeps the node online', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(5)]);
    send('spBv1.0/g/NDEATH/n', undefined, [bdSeq(4)]);
    const node = tracker.edgeNode(C, 'g', 'n')!;
    assert.equal(node.state, 'online');
    assert.equal(node.bdSeqMismatches, 1);
    assert.equal(node.warnings[0].text, "NDEATH bdSeq 4 does not match the NBIRTH's bdSeq 5");
  });

  it('flags data before any birth, and an undecodable message, without throwing', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g/NDATA/late', 17, [{ alias: 1, datatype: 10, value: 1 }]);
    const node = tracker.edgeNode(C, 'g', 'late')!;
    assert.equal(node.state, 'unknown');
    assert.equal(node.warnings[0].kind, 'dataBeforeBirth');
    assert.equal(node.lastSeq, 17);
    send('spBv1.0/g/NDATA/late', 18, [{ alias: 1, datatype: 10, value: 2 }]);
    assert.equal(node.warnings.length, 1, 'said once, not once per message');
    tracker.observe({
      connection: C,
      topic: 'spBv1.0/g/NDATA/late',
      payload: Buffer.from([0x1a, 0xff]),
      time: 0,
    });
    assert.equal(node.warnings.at(-1)!.kind, 'undecodable');
  });

  it('is bounded: nodes, devices, warnings, births kept', () => {
    const limits = { ...DEFAULT_LIMITS, maxNodes: 2, maxDevicesPerNode: 1, birthsKept: 2 };
    const { tracker, send } = setup(limits);
    for (let i = 0; i < 5; i++) send(`spBv1.0/g/NBIRTH/n${i}`, 0, [bdSeq(i)]);
    assert.equal(tracker.edgeNodes().length, 2);
    assert.equal(tracker.droppedNodes, 3);
    send('spBv1.0/g/DBIRTH/n0/a', 1);
    send('spBv1.0/g/DBIRTH/n0/b', 2);
    assert.deepEqual([...tracker.edgeNode(C, 'g', 'n0')!.devices.keys()], ['a']);
    const first = send('spBv1.0/g/NBIRTH/n1', 0, [named('x', 1)]);
    send('spBv1.0/g/NBIRTH/n1', 0, [named('y', 1)]);
    send('spBv1.0/g/NBIRTH/n1', 0, [named('z', 1)]);
    assert.equal(tracker.edgeNode(C, 'g', 'n1')!.births.length, 2);
    assert.deepEqual(tracker.aliasesFor(C, 'spBv1.0/g/NDATA/n1', first)!('1'), {
      unknown: 'its birth is no longer kept',
    });
    for (let i = 0; i < 50; i++) send('spBv1.0/g/NDATA/n1', 100);
    assert.equal(tracker.edgeNode(C, 'g', 'n1')!.warnings.length, DEFAULT_LIMITS.warningsKept);
  });

  it('clears the warning state on a healthy NBIRTH, keeping the history', () => {
    const { tracker, send } = setup();
    send('spBv1.0/g/NDATA/n', 17);
    const node = tracker.edgeNode(C, 'g', 'n')!;
    assert.ok(warnedSinceBirth(node));
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(1)]);
    send('spBv1.0/g/NDATA/n', 1);
    assert.equal(warnedSinceBirth(node), false);
    assert.equal(node.warnings.length, 1, 'the history is kept');
    send('spBv1.0/g/NDATA/n', 5);
    assert.ok(warnedSinceBirth(node), 'a gap after the birth warns');
  });

  it('checks the seq of a device beyond the limit, and counts such devices', () => {
    const { tracker, send } = setup({ ...DEFAULT_LIMITS, maxDevicesPerNode: 1 });
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(0)]);
    send('spBv1.0/g/DBIRTH/n/a', 1);
    send('spBv1.0/g/DBIRTH/n/b', 2);
    send('spBv1.0/g/DDATA/n/b', 3);
    send('spBv1.0/g/DBIRTH/n/c', 4);
    send('spBv1.0/g/NDATA/n', 5);
    send('spBv1.0/g/DDATA/n/a', 6);
    const node = tracker.edgeNode(C, 'g', 'n')!;
    assert.deepEqual([...node.devices.keys()], ['a']);
    assert.equal(node.seqGaps, 0, node.warnings.map((w) => w.text).join('; '));
    assert.equal(node.lastSeq, 6);
    assert.equal(node.droppedDevices, 2);
  });

  it('keeps alias maps within a byte budget and metric names cut to a length', () => {
    const limits = { ...DEFAULT_LIMITS, aliasBytesKept: 200_000, maxNameLength: 256 };
    const { tracker, send } = setup(limits);
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(0)]);
    const long = (d: number, i: number) => `${'m'.repeat(1000)}-${d}-${i}`;
    const births: number[] = [];
    for (let d = 0; d < 50; d++) {
      const metrics = Array.from({ length: 100 }, (_, i) => named(long(d, i), i + 1));
      births.push(send(`spBv1.0/g/DBIRTH/n/dev${d}`, d + 1, metrics));
    }
    assert.ok(tracker.aliasMemory.bytes <= 200_000, `${tracker.aliasMemory.bytes} bytes kept`);
    const ddata = (d: number) => `spBv1.0/g/DDATA/n/dev${d}`;
    assert.deepEqual(tracker.aliasesFor(C, ddata(0), births[0] + 1)!('1'), {
      unknown: 'its birth is no longer kept',
    });
    const newest = tracker.aliasesFor(C, ddata(49), births[49])!('1');
    assert.ok('name' in newest);
    assert.equal(newest.name.length, 256);
    assert.ok(newest.name.endsWith('…'));
  });

  it('shows a dropped connection’s nodes as unknown, and forgets a removed one', () => {
    const { tracker, send } = setup();
    const states = new Emitter<{ session: { name: string }; state: { kind: string } }>();
    const list = new Emitter<void>();
    let names = [C, 'other'];
    const sessions = {
      onDidChangeState: states.event,
      onDidChangeSessions: list.event,
      all: () => names.map((name) => ({ name })),
    };
    const following = followConnections(tracker, sessions);
    send('spBv1.0/g/NBIRTH/n', 0, [bdSeq(1), named('x', 1)]);
    send('spBv1.0/g/DBIRTH/n/d', 1, [named('y', 2)]);
    const node = tracker.edgeNode(C, 'g', 'n')!;
    states.fire({ session: { name: 'other' }, state: { kind: 'reconnecting' } });
    assert.equal(node.state, 'online');
    states.fire({ session: { name: C }, state: { kind: 'reconnecting' } });
    assert.equal(node.state, 'unknown');
    assert.equal(node.devices.get('d')?.state, 'unknown');
    assert.ok(node.connectionLost);
    send('spBv1.0/g/NDATA/n', 7);
    assert.equal(node.seqGaps, 0, 'the seq starts afresh after our connection dropped');
    assert.ok(tracker.aliasMemory.bytes > 0);
    names = ['other'];
    list.fire();
    assert.equal(tracker.edgeNodes().length, 0);
    assert.equal(tracker.aliasMemory.bytes, 0);
    following.dispose();
  });

  it('looks only at spBv1.0/ topics from the hub, and announces at most every 100 ms', () => {
    const scheduler = new FakeScheduler();
    const hub = new TrafficEmitter<{ name: string }>();
    const tracker = new SparkplugTracker(scheduler).follow(hub.event);
    let changes = 0;
    tracker.onDidChange(() => changes++);
    const message = (topic: string, payload: Uint8Array) => ({
      kind: 'in' as const,
      topic,
      payload,
      qos: 0 as const,
      retain: false,
      dup: false,
      receivedAt: scheduler.now(),
    });
    hub.fire(message('plant/NBIRTH/x', Buffer.from('not sparkplug')), { name: C });
    assert.equal(tracker.edgeNodes().length, 0);
    for (let s = 0; s < 50; s++)
      hub.fire(message('spBv1.0/g/NDATA/n', encodeSparkplugPayload({ seq: s, metrics: [] })), {
        name: C,
      });
    assert.equal(changes, 0);
    scheduler.advance(100);
    assert.equal(changes, 1);
    assert.equal(tracker.edgeNode(C, 'g', 'n')?.lastSeq, 49);
    tracker.dispose();
  });
});
