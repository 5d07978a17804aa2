/**
 * The Packet Trace's host binding on a recording channel: init after 'ready' with the traced
 * connection, rows by trace index with summaries, a detail with every field (password masked),
 * stats notices as the trace grows, a pending "Show in Packet Trace" selection, "Show in Message
 * Log" handed to the host, and malformed messages ignored.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Packet } from 'mqtt';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import { PacketTrace, type TraceSource } from '../../src/core/trace/packetTrace';
import { PacketTraceBinding } from '../../src/host/packetTrace/packetTraceBinding';
import { untranslated } from '../../src/host/webviewChannel';
import type {
  TraceDetailReply,
  TraceHostToWebview,
  TraceInit,
  TraceRowsReply,
} from '../../src/protocol/packetTrace';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';
import { FakeScheduler } from './fakeScheduler';

const source: TraceSource = { name: 'dev', profile: { protocolVersion: 5 } };

function setup(o: { connection?: string; index?: number } = {}) {
  const hub = new TrafficEmitter<TraceSource>();
  const scheduler = new FakeScheduler();
  const trace = new PacketTrace(hub.event, { scheduler });
  trace.setTraced('dev', true);
  const send = (packet: object, direction: 'sent' | 'received' = 'sent') =>
    hub.fire({ kind: 'packet', direction, packet: packet as Packet, time: 0 }, source);
  const channel = new RecordingChannel<TraceHostToWebview>();
  const shown: number[] = [];
  const logger = new RecordingLogger();
  const binding = new PacketTraceBinding(
    channel,
    trace,
    {
      showInLog: (seq) => void shown.push(seq),
      l10n: untranslated,
      showError: () => undefined,
      logger,
    },
    o,
  );
  const of = <T extends TraceHostToWebview['type']>(type: T) =>
    channel.posted.filter((m) => m.type === type) as Extract<TraceHostToWebview, { type: T }>[];
  return { trace, send, channel, binding, shown, scheduler, of, logger };
}

describe('packet trace binding', () => {
  it('answers ready with the traced connection and its range', () => {
    const { channel, send, of } = setup();
    send({ cmd: 'pingreq' });
    assert.equal(channel.posted.length, 0, 'nothing before ready');
    channel.send({ type: 'ready' });
    const [init] = of('init') as TraceInit[];
    assert.deepEqual(init.connections, [{ name: 'dev', traced: true }]);
    assert.deepEqual(init.stats, { connection: 'dev', start: 0, end: 1, traced: true });
  });

  it('serves rows by index and a detail with every field, the password masked', () => {
    const { channel, send, of } = setup();
    send({
      cmd: 'connect',
      protocolVersion: 5,
      clientId: 'c1',
      clean: true,
      keepalive: 30,
      username: 'u',
      password: Buffer.from('pw-secret'),
    });
    send({ cmd: 'connack', reasonCode: 0, sessionPresent: false }, 'received');
    channel.send({ type: 'ready' });
    channel.send({ type: 'rows', requestId: 1, connection: 'dev', start: 0, count: 10 });
    const [rows] = of('rows') as TraceRowsReply[];
    assert.equal(rows.requestId, 1);
    assert.deepEqual(
      rows.rows.map((r) => [r.index, r.direction, r.type]),
      [
        [0, 'sent', 'CONNECT'],
        [1, 'received', 'CONNACK'],
      ],
    );
    assert.match(rows.rows[1].summary, /0x00 Success/);
    assert.ok(rows.rows[1].rttMs !== undefined);
    channel.send({ type: 'detail', requestId: 2, connection: 'dev', index: 0 });
    const [detail] = of('detail') as TraceDetailReply[];
    assert.equal(JSON.stringify(channel.posted).includes('pw-secret'), false);
    assert.ok(detail.detail?.fields.some((f) => f.name === 'password' && f.value === '••••••'));
    channel.send({ type: 'detail', requestId: 3, connection: 'dev', index: 99 });
    assert.equal(of('detail')[1].error, 'This packet is no longer in the trace.');
  });

  it('sends a stats notice when the shown trace grows, at most every 100 ms', () => {
    const { channel, send, of, scheduler } = setup();
    channel.send({ type: 'ready' });
    send({ cmd: 'pingreq' });
    send({ cmd: 'pingresp' }, 'received');
    assert.equal(of('stats').length, 0);
    scheduler.advance(100);
    assert.deepEqual(
      of('stats').map((m) => m.stats.end),
      [2],
    );
  });

  it('selects an entry asked for before the webview was ready, and later ones at once', () => {
    const { channel, send, binding, of } = setup({ connection: 'dev', index: 1 });
    send({ cmd: 'pingreq' });
    send({ cmd: 'pingresp' }, 'received');
    channel.send({ type: 'ready' });
    assert.equal((of('init')[0] as TraceInit).select, 1);
    binding.select('dev', 0);
    assert.deepEqual(
      of('select').map((m) => m.index),
      [0],
    );
  });

  it('Show Packet Trace on another connection switches to it, with no entry to select', () => {
    const { trace, channel, binding, of } = setup({ connection: 'dev' });
    trace.setTraced('other', true);
    channel.send({ type: 'ready' });
    binding.select('other');
    const [notice] = of('select');
    assert.equal(notice.stats.connection, 'other');
    assert.equal(notice.index, undefined);
    assert.equal(binding.connection, 'other');
  });

  it('hands "Show in Message Log" to the host and ignores malformed messages', async () => {
    const { channel, shown, logger } = setup();
    channel.send({ type: 'ready' });
    channel.send({ type: 'showInLog', seq: 12 });
    channel.send({ type: 'rows', requestId: 1, connection: 'dev', start: 0, count: 100_000 });
    channel.send({ type: 'nope' });
    await Promise.resolve();
    assert.deepEqual(shown, [12]);
    assert.equal(logger.at('warn').length, 2);
  });
});
