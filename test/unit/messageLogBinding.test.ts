// The Message Log's handler set on the generic binding, in plain Node: what VS Code does
// (translate, show an error, run an action) comes in as parameters, so it is checked here with
// a recording channel and a real store.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageStore } from '../../src/core/store/messageStore';
import { MessageLogBinding } from '../../src/host/messageLog/messageLogBinding';
import type { Translator } from '../../src/host/webviewChannel';
import type { HostToWebview } from '../../src/protocol/messageLog';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';
import { FakeScheduler } from './fakeScheduler';

/** Marks every translated text, so a test sees which words went through it. */
const marked: Translator = { t: (message, ...args) => `«${message}»${args.join(',')}` };

function setup(run: () => Promise<void> | void = () => {}) {
  const scheduler = new FakeScheduler();
  const store = new MessageStore({ scheduler, maxMessages: 100, maxBytes: 1 << 20 });
  const channel = new RecordingChannel<HostToWebview>();
  const errors: string[] = [];
  const logger = new RecordingLogger();
  const binding = new MessageLogBinding(channel, store, {
    actions: { connections: () => ['local'], run },
    l10n: marked,
    showError: (message) => void errors.push(message),
    logger,
  });
  const add = (topic: string) =>
    store.append('local', 'in', { topic, payload: Buffer.from('x'), qos: 0, retain: false });
  return { scheduler, store, channel, errors, logger, binding, add };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MessageLogBinding', () => {
  it('sends stats only once the webview is ready, after its init', async () => {
    const { scheduler, channel, add } = setup();
    add('a');
    scheduler.advance(200);
    assert.equal(channel.posted.length, 0, 'nothing before ready');
    channel.send({ type: 'ready' });
    add('b');
    scheduler.advance(200);
    assert.deepEqual(
      channel.posted.map((m) => m.type),
      ['init', 'stats'],
    );
    assert.deepEqual(channel.posted[1], {
      type: 'stats',
      stats: { total: 2, stored: 2, evicted: 0, lastSeq: 2, outcomes: 0 },
    });
  });

  it('answers rows and a detail by id; a message no longer stored in translated words', () => {
    const { channel, add, store } = setup();
    add('a');
    channel.send({ type: 'ready' });
    channel.send({ type: 'rows', requestId: 5, start: 0, count: 10 });
    const rows = channel.posted.at(-1) as Extract<HostToWebview, { type: 'rows' }>;
    assert.equal(rows.requestId, 5);
    assert.deepEqual(
      rows.rows.map((r) => r.topic),
      ['a'],
    );
    store.clear();
    channel.send({ type: 'detail', requestId: 6, seq: 1 });
    assert.deepEqual(channel.posted.at(-1), {
      type: 'detail',
      requestId: 6,
      error: '«This message is no longer stored (evicted or cleared).»',
    });
  });

  it('shows a failed action in translated words; a malformed one is only logged', async () => {
    const { channel, errors, logger } = setup(() => Promise.reject(new Error('clipboard gone')));
    channel.send({ type: 'ready' });
    channel.send({ type: 'action', action: 'copyTopic', seq: 1 });
    channel.send({ type: 'action', action: 'rm -rf', seq: 1 });
    await tick();
    assert.deepEqual(errors, ['«MQTT: {0}»clipboard gone']);
    assert.equal(logger.at('warn').length, 1);
    assert.match(logger.at('warn')[0], /^Message Log: ignored a malformed message/);
  });

  it('posts nothing after dispose', async () => {
    const { scheduler, channel, binding, add } = setup();
    channel.send({ type: 'ready' });
    binding.dispose();
    add('a');
    scheduler.advance(200);
    binding.connectionsChanged();
    await binding.select(1);
    assert.deepEqual(
      channel.posted.map((m) => m.type),
      ['init'],
    );
  });
});

describe('MessageLogBinding and the Packet Trace', () => {
  it('marks a detail "traced" only when the trace holds the message\'s packet', () => {
    const scheduler = new FakeScheduler();
    const store = new MessageStore({ scheduler, maxMessages: 100, maxBytes: 1 << 20 });
    const channel = new RecordingChannel<HostToWebview>();
    const asked: [number, string][] = [];
    new MessageLogBinding(channel, store, {
      actions: {
        connections: () => ['local'],
        run: () => undefined,
        traced: (seq, connection) => (asked.push([seq, connection]), seq === 1),
      },
      l10n: marked,
      showError: () => undefined,
    });
    for (const topic of ['a', 'b'])
      store.append('local', 'in', { topic, payload: Buffer.from('x'), qos: 0, retain: false });
    channel.send({ type: 'ready' });
    channel.send({ type: 'detail', requestId: 1, seq: 1 });
    channel.send({ type: 'detail', requestId: 2, seq: 2 });
    const details = channel.posted.filter((m) => m.type === 'detail');
    assert.deepEqual(
      details.map((d) => d.detail?.traced),
      [true, undefined],
    );
    assert.deepEqual(asked, [
      [1, 'local'],
      [2, 'local'],
    ]);
  });
});
