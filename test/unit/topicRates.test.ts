/**
 * Who floods, the counting: one-second buckets that roll on a timer, 10 s and 60 s windows,
 * ranking by messages/s or bytes/s with a 60-value sparkline, the cap on tracked topics (the
 * rest counted), idle topics dropped and the timer stopped, fed through a real TrafficEmitter.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import { TopicRates, type RatesRoll } from '../../src/core/rates/topicRates';
import { FakeScheduler } from './fakeScheduler';

function setup(maxTopics?: number, maxTopicChars?: number) {
  const scheduler = new FakeScheduler();
  const hub = new TrafficEmitter<{ name: string }>();
  // The clock the rates read may run ahead of the timers (a stalled event loop).
  const clock = { skew: 0 };
  const rates = new TopicRates(hub.event, {
    scheduler: {
      setTimeout: (cb, ms) => scheduler.setTimeout(cb, ms),
      now: () => scheduler.now() + clock.skew,
    },
    maxTopics,
    maxTopicChars,
  });
  const rolls: RatesRoll[] = [];
  rates.onDidRoll((r) => rolls.push(r));
  const receive = (connection: string, topic: string, bytes = 10, n = 1) => {
    for (let i = 0; i < n; i++)
      hub.fire(
        {
          kind: 'in',
          topic,
          payload: new Uint8Array(bytes),
          qos: 0,
          retain: false,
          dup: false,
          receivedAt: scheduler.now(),
        },
        { name: connection },
      );
  };
  const publish = (connection: string, topic: string, bytes: number) =>
    hub.fire(
      {
        kind: 'out',
        id: 1,
        topic,
        payload: new Uint8Array(bytes),
        qos: 0,
        retain: false,
        time: scheduler.now(),
        queued: false,
      },
      { name: connection },
    );
  return { scheduler, clock, hub, rates, rolls, receive, publish };
}

describe('TopicRates', () => {
  it('counts nothing until a second completes, then rates over the seconds seen', () => {
    const { scheduler, rates, receive } = setup();
    receive('a', 't/1', 10, 12);
    assert.deepEqual(rates.ranking({ window: 10, sort: 'msgs', limit: 10 }), []);
    scheduler.advance(1000);
    assert.equal(rates.rate('a', 't/1'), 12, 'one second seen: 12 msgs/s');
    receive('a', 't/1', 10, 8);
    scheduler.advance(1000);
    assert.equal(rates.rate('a', 't/1'), 10, '20 messages over 2 s');
    const [row] = rates.ranking({ window: 10, sort: 'bytes', limit: 10 });
    assert.equal(row.bytesPerSecond, 100);
    assert.equal(row.spark.length, 60);
    assert.deepEqual(row.spark.slice(-2), [120, 80], 'the last seconds, oldest first');
  });

  it('counts received messages only (as the tree does), and separates connections', () => {
    const { scheduler, rates, receive, publish } = setup();
    publish('a', 'cmd', 50);
    publish('b', 'cmd', 50);
    receive('b', 'cmd', 5, 3);
    receive('c', 'cmd', 5, 1);
    scheduler.advance(1000);
    assert.equal(rates.rate('a', 'cmd'), undefined, 'a publish is not counted');
    assert.equal(rates.rate('b', 'cmd'), 3);
    assert.deepEqual(rates.connectionNames(), ['b', 'c']);
    const onlyB = rates.ranking({ connection: 'b', window: 10, sort: 'msgs', limit: 10 });
    assert.deepEqual(
      onlyB.map((r) => [r.connection, r.topic]),
      [['b', 'cmd']],
    );
  });

  it('rates a young topic over the time since its first message, not whole seconds', () => {
    const { scheduler, rates, receive } = setup();
    receive('a', 'old', 10, 1);
    scheduler.advance(500);
    // 10 messages a second from half a second before the roll.
    receive('a', 'young', 10, 5);
    scheduler.advance(500);
    assert.equal(rates.rate('a', 'young'), 10, '5 messages in half a second');
    receive('a', 'young', 10, 10);
    scheduler.advance(1000);
    assert.equal(rates.rate('a', 'young'), 10, '15 messages in 1.5 s');
    assert.equal(rates.rate('a', 'young', 60), 10);
    assert.equal(rates.rate('a', 'old'), 0.5, 'a topic made on a roll: whole seconds');
  });

  it('the 10 s window forgets what the 60 s window keeps', () => {
    const { scheduler, rates, receive } = setup();
    receive('a', 'old', 10, 600);
    scheduler.advance(1000);
    // Keep the topic alive with nothing, 20 s later.
    for (let i = 0; i < 20; i++) {
      receive('a', 'new', 10, 10);
      scheduler.advance(1000);
    }
    assert.equal(rates.rate('a', 'old', 10), 0);
    assert.equal(rates.rate('a', 'old', 60), 600 / 21, 'over its 21 s of age');
    const short = rates.ranking({ window: 10, sort: 'msgs', limit: 10 }).map((r) => r.topic);
    const long = rates.ranking({ window: 60, sort: 'msgs', limit: 10 }).map((r) => r.topic);
    assert.deepEqual(short, ['new']);
    assert.deepEqual(long, ['old', 'new']);
  });

  it('ranks by messages or by bytes, top N only', () => {
    const { scheduler, rates, receive } = setup();
    receive('a', 'many-small', 1, 100);
    receive('a', 'few-large', 10_000, 2);
    receive('a', 'middle', 100, 50);
    scheduler.advance(1000);
    const byMsgs = rates.ranking({ window: 10, sort: 'msgs', limit: 2 }).map((r) => r.topic);
    const byBytes = rates.ranking({ window: 10, sort: 'bytes', limit: 3 }).map((r) => r.topic);
    assert.deepEqual(byMsgs, ['many-small', 'middle']);
    assert.deepEqual(byBytes, ['few-large', 'middle', 'many-small']);
  });

  it('caps the topics it tracks and counts the messages on the others', () => {
    const { scheduler, rates, receive } = setup(3);
    for (let i = 0; i < 10; i++) receive('a', `t/${i}`, 1, 2);
    assert.equal(rates.size, 3);
    scheduler.advance(1000);
    assert.equal(rates.untracked('a', 10), 14, '7 topics × 2 messages, not tracked');
    assert.equal(rates.untracked(undefined, 10), 14);
    assert.equal(rates.rate('a', 't/9'), undefined);
  });

  it('caps the characters of the topic names it tracks (long topics beyond it are counted)', () => {
    const { scheduler, rates, receive } = setup(undefined, 100_000);
    // The default budget (4 M characters) holds 61 topics of the MQTT maximum length.
    for (let i = 0; i < 100; i++) receive('a', `${i}/`.padEnd(65_535, 'x'), 1, 1);
    assert.equal(rates.size, 1, 'a second 65,535-character topic is over the budget');
    scheduler.advance(1000);
    assert.equal(rates.untracked('a', 10), 99);
    receive('a', 'short', 1, 1);
    assert.equal(rates.size, 2, 'a short topic still fits');
    const defaults = setup();
    for (let i = 0; i < 100; i++) defaults.receive('a', `${i}/`.padEnd(65_535, 'x'), 1, 1);
    assert.equal(defaults.rates.size, 61);
  });

  it('drops a topic quiet for 60 s, names it once its 10 s rate falls to zero, and stops its timer', () => {
    const { scheduler, rates, rolls, receive } = setup();
    receive('a', 'burst', 10, 5);
    scheduler.advance(1000);
    assert.equal(rates.size, 1);
    scheduler.advance(9000);
    assert.equal(rates.rate('a', 'burst'), 0.5, '5 messages over 10 s');
    scheduler.advance(1000);
    assert.equal(rates.rate('a', 'burst'), 0);
    const quieted = rolls.flatMap((r) => r.quieted);
    assert.deepEqual(quieted, [{ connection: 'a', topic: 'burst' }], 'named once');
    scheduler.advance(50_000);
    assert.equal(rates.size, 0, 'dropped after a quiet minute');
    assert.equal(rates.rate('a', 'burst'), undefined);
    assert.deepEqual(rates.connectionNames(), []);
    assert.equal(scheduler.pending, 0, 'no timer while nothing is tracked');
    receive('a', 'again', 10, 1);
    scheduler.advance(1000);
    assert.equal(rates.rate('a', 'again'), 1, 'counting starts again');
  });

  it('a stalled event loop rolls the seconds it missed', () => {
    const { scheduler, clock, rates, receive } = setup();
    receive('a', 't', 10, 30);
    scheduler.advance(1000);
    receive('a', 't', 10, 30);
    // The next timer fires 5 s late: 6 seconds roll, the traffic in the first of them.
    clock.skew = 5000;
    scheduler.advance(1000);
    const [row] = rates.ranking({ window: 10, sort: 'msgs', limit: 1 });
    assert.deepEqual(row.spark.slice(-7), [30, 30, 0, 0, 0, 0, 0]);
    assert.equal(row.msgsPerSecond, 60 / 7, '60 messages over 7 seconds');
  });

  it('ignores outcomes and packets, and stops counting once disposed', () => {
    const { scheduler, hub, rates, receive } = setup();
    hub.fire(
      { kind: 'outcome', id: 1, result: { state: 'ok', settledAt: 0, steps: [] } },
      {
        name: 'a',
      },
    );
    assert.equal(rates.size, 0);
    rates.dispose();
    receive('a', 't', 10, 3);
    scheduler.advance(1000);
    assert.equal(rates.size, 0);
    assert.equal(scheduler.pending, 0);
  });
});
