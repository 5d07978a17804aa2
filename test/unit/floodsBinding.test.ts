/**
 * Who Floods' host binding on a recording channel over real TopicRates: init after 'ready',
 * a ranking per roll (not while hidden), setView and show changing what is ranked, a row's
 * click handed to the host (its failure shown), and malformed messages ignored with a log line.
 * Also the validator's bounds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TopicRates } from '../../src/core/rates/topicRates';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import { FloodsBinding } from '../../src/host/floods/floodsBinding';
import type { FloodsHostToWebview } from '../../src/protocol/floods';
import { validateFloodsMessage } from '../../src/protocol/validateFloodsMessage';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';
import { FakeScheduler } from './fakeScheduler';

function setup() {
  const scheduler = new FakeScheduler();
  const hub = new TrafficEmitter<{ name: string }>();
  const rates = new TopicRates(hub.event, { scheduler });
  const receive = (name: string, topic: string, n: number, bytes = 10) => {
    for (let i = 0; i < n; i++)
      hub.fire(
        {
          kind: 'in',
          topic,
          payload: new Uint8Array(bytes),
          qos: 0,
          retain: false,
          dup: false,
          receivedAt: 0,
        },
        { name },
      );
  };
  const channel = new RecordingChannel<FloodsHostToWebview>();
  const opened: [string, string][] = [];
  const errors: string[] = [];
  const logger = new RecordingLogger();
  const visible = { now: true };
  let fail = false;
  const binding = new FloodsBinding(channel, rates, {
    openLog: (connection, topic) => {
      if (fail) throw new Error('the log cannot open');
      opened.push([connection, topic]);
    },
    showError: (message) => errors.push(message),
    isVisible: () => visible.now,
    logger,
  });
  const last = () => channel.posted[channel.posted.length - 1];
  return {
    scheduler,
    receive,
    channel,
    binding,
    opened,
    errors,
    logger,
    visible,
    last,
    failNext: () => (fail = true),
  };
}

describe('who floods binding', () => {
  it('answers ready with an empty ranking, then ranks once a second while traffic flows', () => {
    const { scheduler, receive, channel, last } = setup();
    receive('a', 'hot', 30);
    scheduler.advance(1000);
    assert.equal(channel.posted.length, 0, 'nothing before ready');
    channel.send({ type: 'ready' });
    const init = last();
    assert.equal(init.type, 'init');
    assert.deepEqual(init.ranking.view, { window: 10, sort: 'msgs' });
    assert.deepEqual(init.ranking.connections, ['a']);
    assert.equal(init.ranking.rows[0].topic, 'hot');
    assert.equal(init.ranking.rows[0].msgsPerSecond, 30);
    assert.equal(init.ranking.maxTopics, 10_000);
    receive('a', 'hotter', 90);
    scheduler.advance(1000);
    const notice = last();
    assert.equal(notice.type, 'ranking');
    assert.deepEqual(
      notice.ranking.rows.map((r) => r.topic),
      ['hotter', 'hot'],
    );
    assert.equal(notice.ranking.rows[0].spark.length, 60);
  });

  it('builds no ranking while the view is hidden', () => {
    const { scheduler, receive, channel, visible } = setup();
    channel.send({ type: 'ready' });
    visible.now = false;
    const before = channel.posted.length;
    receive('a', 't', 5);
    scheduler.advance(3000);
    assert.equal(channel.posted.length, before);
  });

  it('ranks what the webview asks for: connection, window and sort', () => {
    const { scheduler, receive, channel, binding, last } = setup();
    receive('a', 'small-many', 100, 1);
    receive('b', 'large-few', 2, 5000);
    scheduler.advance(1000);
    channel.send({ type: 'ready' });
    channel.send({ type: 'setView', view: { window: 60, sort: 'bytes' } });
    assert.deepEqual(last().type === 'ranking' && last().ranking.rows.map((r) => r.topic), [
      'large-few',
      'small-many',
    ]);
    channel.send({ type: 'setView', view: { window: 10, sort: 'bytes', connection: 'a' } });
    assert.deepEqual(
      last().ranking.rows.map((r) => r.connection),
      ['a'],
    );
    assert.deepEqual(binding.shown, { window: 10, sort: 'bytes', connection: 'a' });
    binding.show({ window: 10, sort: 'msgs', connection: 'b' });
    assert.equal(last().type, 'show');
    assert.deepEqual(
      last().ranking.rows.map((r) => r.topic),
      ['large-few'],
    );
  });

  it('hands a row to the host, and shows why when the log cannot open', async () => {
    const { channel, opened, errors, failNext } = setup();
    channel.send({ type: 'ready' });
    channel.send({ type: 'openTopic', connection: 'a', topic: 'x/\u202Ey' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(opened, [['a', 'x/\u202Ey']]);
    failNext();
    channel.send({ type: 'openTopic', connection: 'a', topic: 'x' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors, ['the log cannot open']);
  });

  it('cuts a huge topic in the rows it sends, and a row opens the whole topic', async () => {
    const { scheduler, receive, channel, opened, last } = setup();
    const huge = `big/${'x'.repeat(60_000)}`;
    receive('a', huge, 3);
    scheduler.advance(1000);
    channel.send({ type: 'ready' });
    const [row] = last().ranking.rows;
    assert.equal(row.topic.length, 1024);
    assert.ok(huge.startsWith(row.topic));
    channel.send({ type: 'openTopic', connection: 'a', topic: row.topic });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(opened, [['a', huge]]);
  });

  it('ignores a malformed message, with a log line naming the field', () => {
    const { channel, logger, binding } = setup();
    channel.send({ type: 'ready' });
    channel.send({ type: 'setView', view: { window: 30, sort: 'msgs' } });
    assert.deepEqual(binding.shown, { window: 10, sort: 'msgs' });
    assert.match(logger.at('warn')[0], /setView\.view\.window must be 10 or 60/);
  });

  it('stops listening when disposed', () => {
    const { scheduler, receive, channel, binding } = setup();
    channel.send({ type: 'ready' });
    binding.dispose();
    const before = channel.posted.length;
    receive('a', 't', 5);
    scheduler.advance(2000);
    assert.equal(channel.posted.length, before);
    assert.equal(channel.listening, 0);
  });
});

describe('validateFloodsMessage', () => {
  const bad = (data: unknown, problem: RegExp) => {
    const r = validateFloodsMessage(data);
    assert.equal(r.ok, false, JSON.stringify(data));
    if (!r.ok) assert.match(r.problem, problem);
  };

  it('accepts what the page sends', () => {
    assert.deepEqual(validateFloodsMessage({ type: 'ready' }), {
      ok: true,
      message: { type: 'ready' },
    });
    assert.deepEqual(
      validateFloodsMessage({
        type: 'setView',
        view: { window: 60, sort: 'bytes', connection: 'c' },
      }),
      {
        ok: true,
        message: { type: 'setView', view: { window: 60, sort: 'bytes', connection: 'c' } },
      },
    );
  });

  it('refuses anything else, naming the field', () => {
    bad(null, /must be an object/);
    bad({ type: 'nope' }, /unknown message type/);
    bad({ type: 'setView' }, /setView\.view must be an object/);
    bad({ type: 'setView', view: { window: 10, sort: 'size' } }, /sort must be "msgs" or "bytes"/);
    bad({ type: 'setView', view: { window: 10, sort: 'msgs', extra: 1 } }, /unknown field "extra"/);
    bad({ type: 'setView', view: { window: 10, sort: 'msgs', connection: '' } }, /connection name/);
    bad({ type: 'openTopic', connection: 'a', topic: '' }, /openTopic\.topic must be a topic/);
    bad({ type: 'openTopic', connection: 'a', topic: 'x'.repeat(70_000) }, /must be a topic/);
    bad({ type: 'openTopic', connection: 7, topic: 'x' }, /openTopic\.connection/);
  });
});
