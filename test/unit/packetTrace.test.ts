/**
 * The packet trace: a bounded ring per connection paged by index, round trips paired by packet
 * id, the CONNECT password masked (never kept), sizes on the wire, PUBLISH entries linked to
 * their Message Log entries, and no listening at all while no connection is traced.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import type { ReceivedMessage } from '../../src/core/traffic/trafficTypes';
import { PacketTrace, type TraceSource } from '../../src/core/trace/packetTrace';
import { traceFields, traceSummary } from '../../src/core/trace/traceText';
import { FakeScheduler } from './fakeScheduler';

const source: TraceSource = { name: 'p', profile: { protocolVersion: 5 } };

function setup(capacity = 100) {
  const hub = new TrafficEmitter<TraceSource>();
  const scheduler = new FakeScheduler();
  let now = 1_000_000.5;
  const trace = new PacketTrace(hub.event, { scheduler, capacity, clock: () => now });
  const at = (t: number) => (now = 1_000_000 + t);
  const send = (packet: object, direction: 'sent' | 'received' = 'sent') =>
    hub.fire({ kind: 'packet', direction, packet: packet as Packet, time: 0 }, source);
  return { hub, trace, scheduler, at, send };
}

describe('packet trace', () => {
  it('listens for packets only while a connection is traced', () => {
    const { hub, trace, send } = setup();
    assert.equal(hub.wantsPackets, false);
    send({ cmd: 'pingreq' });
    assert.deepEqual(trace.connections(), []);
    trace.setTraced('p', true);
    assert.equal(hub.wantsPackets, true);
    send({ cmd: 'pingreq' });
    trace.setTraced('p', false);
    assert.equal(hub.wantsPackets, false);
    send({ cmd: 'pingreq' });
    assert.deepEqual(trace.range('p'), { start: 0, end: 1 });
  });

  it('follows the profiles unless the command set the connection', () => {
    const { trace } = setup();
    trace.applyProfiles([{ name: 'p', packetTrace: true }, { name: 'q' }]);
    assert.equal(trace.isTraced('p'), true);
    assert.equal(trace.isTraced('q'), false);
    trace.setTraced('p', false);
    trace.applyProfiles([{ name: 'p', packetTrace: true }]);
    assert.equal(trace.isTraced('p'), false, 'the command holds while the setting stays');
    trace.applyProfiles([{ name: 'p' }]);
    trace.applyProfiles([{ name: 'p', packetTrace: true }]);
    assert.equal(trace.isTraced('p'), true, 'a changed setting wins again');
  });

  it('keeps the newest entries up to its capacity and pages by index', () => {
    const { trace, send, scheduler } = setup(5);
    const changes: (readonly string[])[] = [];
    trace.onDidChange((names) => changes.push(names));
    trace.setTraced('p', true);
    for (let i = 0; i < 12; i++)
      send({ cmd: 'publish', topic: `t/${i}`, qos: 0, payload: Buffer.alloc(i) }, 'received');
    assert.deepEqual(trace.range('p'), { start: 7, end: 12 });
    assert.deepEqual(
      trace.page('p', 5, 4).map((e) => e.index),
      [7, 8],
    );
    assert.deepEqual(
      trace.page('p', 10, 100).map((e) => e.snapshot.topic),
      ['t/10', 't/11'],
    );
    assert.equal(trace.get('p', 6), undefined);
    assert.equal(changes.length, 0, 'announced at most every 100 ms');
    scheduler.advance(100);
    assert.deepEqual(changes, [['p']]);
    // Resized, it keeps the newest entries under the indexes the view already knows them by.
    trace.setCapacity(3);
    assert.deepEqual(trace.range('p'), { start: 9, end: 12 });
    assert.equal(trace.get('p', 11)?.snapshot.topic, 't/11');
  });

  it('pairs each acknowledged exchange by packet id and times its round trip', () => {
    const { trace, send, at } = setup();
    trace.setTraced('p', true);
    at(0);
    send({ cmd: 'connect', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 60 });
    at(1.25);
    send(
      { cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: { receiveMaximum: 20 } },
      'received',
    );
    at(2);
    send({ cmd: 'publish', topic: 'a', qos: 2, messageId: 7, payload: Buffer.from('x') });
    send({ cmd: 'publish', topic: 'b', qos: 1, messageId: 8, payload: Buffer.from('x') });
    at(5);
    send({ cmd: 'pubrec', messageId: 7 }, 'received');
    at(5.5);
    send({ cmd: 'pubrel', messageId: 7 });
    at(6);
    send({ cmd: 'puback', messageId: 8 }, 'received');
    at(9.5);
    send({ cmd: 'pubcomp', messageId: 7 }, 'received');
    at(10);
    send(
      { cmd: 'publish', topic: 'in', qos: 1, messageId: 3, payload: Buffer.from('x') },
      'received',
    );
    at(10.125);
    send({ cmd: 'puback', messageId: 3 });
    at(11);
    send({ cmd: 'subscribe', messageId: 4, subscriptions: [{ topic: 'a/#', qos: 2 }] });
    at(12);
    send({ cmd: 'suback', messageId: 4, granted: [2] }, 'received');
    at(20);
    send({ cmd: 'pingreq' });
    at(20.001);
    send({ cmd: 'pingresp' }, 'received');
    const rtt = trace.page('p', 0, 100).map((e) => [e.type, e.packetId, e.rttMs]);
    const close = (a: unknown, b: number) => Math.abs(Number(a) - b) < 1e-6;
    const byType = (type: string, id?: number) =>
      rtt.find((r) => r[0] === type && r[1] === id)?.[2];
    assert.ok(close(byType('CONNACK'), 1.25));
    assert.ok(close(byType('PUBREC', 7), 3));
    assert.ok(close(byType('PUBACK', 8), 4));
    assert.ok(close(byType('PUBCOMP', 7), 4));
    assert.ok(close(byType('PUBACK', 3), 0.125));
    assert.ok(close(byType('SUBACK', 4), 1));
    assert.ok(close(byType('PINGRESP'), 0.001));
    assert.equal(byType('PUBLISH', 7), undefined, 'a request has no round trip');
    const suback = trace.page('p', 0, 100).find((e) => e.type === 'SUBACK')!;
    assert.match(traceSummary(suback), /0x02 Granted QoS 2/);
    const connack = trace.page('p', 0, 100).find((e) => e.type === 'CONNACK')!;
    assert.ok(
      traceFields(connack).some((f) => f.name === 'properties.receiveMaximum' && f.value === '20'),
    );
  });

  it('masks the CONNECT password, shows the user name and the will payload as a size only', () => {
    const { trace, send } = setup();
    trace.setTraced('p', true);
    const connect = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: 'dev-1',
      clean: true,
      keepalive: 30,
      username: 'alice',
      password: Buffer.from('hunter2-secret'),
      will: {
        topic: 'w',
        payload: Buffer.from('will-bytes-here'),
        qos: 1,
        retain: false,
        properties: { willDelayInterval: 5 },
      },
    };
    send(connect);
    const [entry] = trace.page('p', 0, 1);
    assert.equal(JSON.stringify(entry).includes('hunter2'), false);
    assert.equal(JSON.stringify(entry).includes('will-bytes'), false);
    const fields = traceFields(entry);
    const value = (name: string) => fields.find((f) => f.name === name)?.value;
    assert.equal(value('password'), '••••••');
    assert.equal(value('username'), 'alice');
    assert.equal(value('will.payloadSize'), '15');
    assert.equal(value('will.properties.willDelayInterval'), '5');
    assert.match(traceSummary(entry), /user "alice" password ••••••/);
    assert.equal(
      entry.size,
      mqttPacket.generate(connect as mqttPacket.Packet, { protocolVersion: 5 }).length,
    );
  });

  it('sizes a received packet from its remaining length', () => {
    const { trace, send } = setup();
    trace.setTraced('p', true);
    send(
      { cmd: 'publish', topic: 't', qos: 0, payload: Buffer.alloc(200), length: 203 },
      'received',
    );
    assert.equal(trace.page('p', 0, 1)[0].size, 1 + 2 + 203);
  });

  it('links PUBLISH entries to their Message Log entries, a DUP re-send to the first', async () => {
    const { hub, trace, send } = setup();
    trace.setTraced('p', true);
    const out = (id: number, topic: string, seq: number) =>
      hub.fire(
        {
          kind: 'out',
          id,
          topic,
          payload: new Uint8Array(1),
          qos: 1,
          retain: false,
          time: 0,
          queued: false,
          seq,
        },
        source,
      );
    out(1, 'a', 40);
    out(2, 'never', 41);
    hub.fire(
      { kind: 'outcome', id: 2, result: { state: 'failed', settledAt: 0, steps: [] } },
      source,
    );
    out(3, 'b', 42);
    send({ cmd: 'publish', topic: 'a', qos: 1, messageId: 5, payload: Buffer.from('x') });
    send({ cmd: 'publish', topic: 'b', qos: 1, messageId: 6, payload: Buffer.from('x') });
    send({
      cmd: 'publish',
      topic: 'a',
      qos: 1,
      messageId: 5,
      dup: true,
      payload: Buffer.from('x'),
    });
    const packet = { cmd: 'publish', topic: 'in', qos: 2, messageId: 9, payload: Buffer.from('x') };
    send(packet, 'received');
    const message = {
      kind: 'in',
      topic: 'in',
      payload: new Uint8Array(1),
      qos: 2,
      retain: false,
      dup: false,
      receivedAt: 0,
      packet,
    } as unknown as ReceivedMessage;
    hub.fire(message, source);
    message.seq = 77; // the log's listener ran after the trace's
    await Promise.resolve();
    assert.deepEqual(
      trace.page('p', 0, 10).map((e) => e.seq),
      [40, 42, 40, 77],
    );
    assert.equal(trace.findBySeq('p', 42)?.index, 1);
  });
});
