/**
 * A payload filter over messages a device really sent (through aedes into the session and the
 * message store) must never block the extension host's thread. `(\w+\s?)+$` against the 26-byte
 * payload "aaaaaaaaaaaaaaaaaaaaaaaaa!" backtracks for 5–7 s: run inline it froze the event loop
 * that long. The timer-drift probe below measures the longest gap between 10 ms ticks.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { toMessageFilter } from '../../src/core/log/logRows';
import { LogView } from '../../src/core/log/logView';
import { MessageStore } from '../../src/core/store/messageStore';
import { FilterStoppedError } from '../../src/core/log/payloadMatcher';
import { realScheduler } from '../../src/core/ports';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { inbox, newSession, subscriptionsSettled, uniqueId, within } from '../support/sessions';

/** 26 bytes: about 5–7 s on the extension host's thread before. */
const HOSTILE_26 = 'aaaaaaaaaaaaaaaaaaaaaaaaa!';
/** Each further letter doubles the work: this one outlasts any limit, even natively compiled. */
const HOSTILE = `${'a'.repeat(32)}!`;
const CATASTROPHIC = '(\\w+\\s?)+$';
const LIMIT_MS = 1000;
/** The longest the event loop may stall while a filter runs. */
const MAX_DRIFT_MS = 100;

let aedes: AedesBroker;
before(async () => {
  aedes = await startAedes();
});
after(() => aedes?.stop());

/** The longest gap between 10 ms ticks while it runs: how long the event loop was blocked. */
function driftProbe(): { stop(): number } {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(worst, performance.now() - last - 10);
    },
  };
}

/** A store filled by a real subscriber session; `send` publishes payloads from a device. */
async function deviceLog(t: TestContext) {
  const topic = `hostile/${uniqueId('t')}`;
  const plain = { host: '127.0.0.1', port: aedes.port, protocolVersion: 4 };
  const subscriber = newSession(t, { ...plain, subscriptions: [{ topic: `${topic}/#`, qos: 1 }] });
  const device = newSession(t, plain);
  const store = new MessageStore({ scheduler: realScheduler, maxMessages: 10_000 });
  subscriber.onMessage((m) => store.append(subscriber.name, 'in', m));
  const received = inbox(subscriber);
  await subscriber.connect();
  await subscriptionsSettled(subscriber, 5_000);
  await device.connect();
  const view = new LogView(store, { limitMs: LIMIT_MS });
  t.after(() => {
    view.dispose();
    store.dispose();
  });
  let sent = 0;
  const send = async (payloads: string[], sub = 'data') => {
    for (const p of payloads)
      await device.publish({ topic: `${topic}/${sub}`, payload: p, qos: 1, retain: false });
    sent += payloads.length;
    await received.waitFor(sent, 10_000);
  };
  return { topic, store, view, send };
}

const normal = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ n: i }));
const filterOf = (text: string, regex = true) => toMessageFilter({ text, regex }).filter;

describe('Message Log filters over hostile payloads (aedes)', () => {
  it(
    'a catastrophic regex is stopped at its limit while the event loop keeps running, and the previous filter stays',
    { timeout: 30_000 },
    async (t) => {
      const { topic, view, send } = await deviceLog(t);
      await send(normal(300));
      await send([HOSTILE_26, HOSTILE], 'evil');
      await view.setFilter(toMessageFilter({ topicFilter: `${topic}/data` }).filter);
      assert.equal(view.length, 300);

      const probe = driftProbe();
      const started = performance.now();
      const outcome = await view.setFilter(filterOf(CATASTROPHIC));
      const took = performance.now() - started;
      const drift = probe.stop();
      t.diagnostic(
        `setFilter settled after ${took.toFixed(0)} ms; longest event-loop stall ${drift.toFixed(1)} ms`,
      );

      assert.deepEqual(outcome, { kind: 'stopped', limitMs: LIMIT_MS });
      assert.ok(drift < MAX_DRIFT_MS, `the event loop stalled ${drift.toFixed(0)} ms`);
      assert.ok(took < LIMIT_MS + 3_000, `reported after ${took.toFixed(0)} ms`);
      // The previous rows stay in force and usable.
      assert.equal(view.activeFilter?.topicFilter, `${topic}/data`);
      assert.equal(view.length, 300);
      assert.deepEqual(
        view.rows(0, 2).map((e) => Buffer.from(e.payload).toString()),
        ['{"n":0}', '{"n":1}'],
      );
    },
  );

  it(
    'a hostile message arriving under a regex filter stops it in the background, without a stall',
    { timeout: 30_000 },
    async (t) => {
      const { view, send } = await deviceLog(t);
      await send(words(50));
      assert.deepEqual(await view.setFilter(filterOf(CATASTROPHIC)), { kind: 'applied' });
      assert.equal(view.length, 50, 'every "value N" ends in word characters');
      const stopped = new Promise<Error>((resolve) => view.onDidStop(resolve));

      const probe = driftProbe();
      await send([HOSTILE], 'evil');
      assert.equal(view.length, 50, 'the new message is tested in the background');
      const error = await within(stopped, LIMIT_MS + 5_000, 'the filter to be stopped');
      const drift = probe.stop();
      t.diagnostic(`longest event-loop stall ${drift.toFixed(1)} ms`);
      assert.ok(error instanceof FilterStoppedError, String(error));
      assert.ok(drift < MAX_DRIFT_MS, `the event loop stalled ${drift.toFixed(0)} ms`);
      assert.equal(view.length, 50);
    },
  );

  it(
    'a filter typed while a catastrophic one runs replaces it at once: the worker is stopped, not waited for',
    { timeout: 30_000 },
    async (t) => {
      const { view, send } = await deviceLog(t);
      await send([HOSTILE], 'evil');
      await send(words(50));
      const first = view.setFilter(filterOf(CATASTROPHIC));
      // Let the catastrophic batch reach the worker.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      const second = await view.setFilter(filterOf('^value 4\\d$'));
      const took = performance.now() - started;
      assert.deepEqual(await first, { kind: 'replaced' });
      assert.deepEqual(second, { kind: 'applied' });
      assert.ok(took < LIMIT_MS, `the second filter waited ${took.toFixed(0)} ms`);
      assert.equal(view.length, 10);
    },
  );

  it('regex and text filters still find exactly their matches', { timeout: 30_000 }, async (t) => {
    const { view, send } = await deviceLog(t);
    await send(words(50));
    await send(['VALUE 1 in capitals', 'binary \u00ff value 1'], 'other');
    assert.deepEqual(await view.setFilter(filterOf('^value 4\\d$')), { kind: 'applied' });
    assert.deepEqual(
      view.rows(0, 100).map((e) => Buffer.from(e.payload).toString()),
      words(50).slice(40),
    );
    // Plain text is case-insensitive, as typed in the log's field.
    assert.deepEqual(await view.setFilter(filterOf('value 1', false)), { kind: 'applied' });
    assert.equal(view.length, 11 + 2);
    // New messages join a payload filter's rows as they arrive.
    const updated = new Promise<void>((resolve) => view.onDidUpdate(resolve));
    await send(['value 1000']);
    void view.length;
    await within(updated, 5_000, 'the new row');
    assert.equal(view.length, 14);
  });
});

const words = (n: number) => Array.from({ length: n }, (_, i) => `value ${i}`);
