// A payload filter is built in the background: the previous filter's rows serve until the new
// one is complete, a stopped or replaced one never takes over. The regex matcher is scripted
// here; test/broker/logFilter.hostile.test.ts runs the real worker against device messages.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogView } from '../../src/core/log/logView';
import { MessageStore } from '../../src/core/store/messageStore';
import {
  FilterCancelledError,
  FilterStoppedError,
  type PayloadMatcher,
} from '../../src/core/log/payloadMatcher';
import { FakeScheduler } from './fakeScheduler';

/** A matcher whose answers the test gives, one call at a time. */
class ScriptedMatcher implements PayloadMatcher {
  readonly limitMs = 2000;
  readonly calls: { payloads: string[]; answer(error?: Error): void }[] = [];
  match(regex: RegExp, payloads: readonly Uint8Array[], signal?: AbortSignal) {
    return new Promise<Uint8Array>((resolve, reject) => {
      const texts = payloads.map((p) => Buffer.from(p).toString());
      signal?.addEventListener('abort', () => reject(new FilterCancelledError()));
      this.calls.push({
        payloads: texts,
        answer: (error) =>
          error ? reject(error) : resolve(Uint8Array.from(texts, (t) => (regex.test(t) ? 1 : 0))),
      });
    });
  }
  dispose() {}
}

function setup(payloads: string[]) {
  const store = new MessageStore({ scheduler: new FakeScheduler() });
  for (const p of payloads)
    store.append('a', 'in', {
      topic: p.startsWith('x') ? 'x' : 'y',
      payload: Buffer.from(p),
      qos: 0,
      retain: false,
    });
  const matcher = new ScriptedMatcher();
  const view = new LogView(store, { matcher });
  return { store, matcher, view };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LogView with a payload filter', () => {
  it('keeps the previous rows until the new filter is complete', async () => {
    const { matcher, view } = setup(['x1', 'x2', 'y1', 'y22']);
    await view.setFilter({ topicFilter: 'y' });
    assert.equal(view.length, 2);
    const applying = view.setFilter({ regex: /2/ });
    await tick();
    assert.equal(view.length, 2, 'the topic filter still serves');
    assert.equal(view.activeFilter?.topicFilter, 'y');
    assert.deepEqual(matcher.calls[0].payloads, ['x1', 'x2', 'y1', 'y22']);
    matcher.calls[0].answer();
    assert.deepEqual(await applying, { kind: 'applied' });
    assert.deepEqual(
      view.rows(0, 10).map((e) => Buffer.from(e.payload).toString()),
      ['x2', 'y22'],
    );
  });

  it('a stopped filter never takes over and says how long it was given', async () => {
    const { matcher, view } = setup(['x1', 'y1']);
    await view.setFilter({ topicFilter: 'x' });
    const applying = view.setFilter({ regex: /1/ });
    await tick();
    matcher.calls[0].answer(new FilterStoppedError(2000));
    assert.deepEqual(await applying, { kind: 'stopped', limitMs: 2000 });
    assert.equal(view.activeFilter?.topicFilter, 'x');
    assert.equal(view.length, 1);
  });

  it('a filter set while another is being built replaces it; the first reports it was replaced', async () => {
    const { matcher, view } = setup(['x1', 'y1']);
    const first = view.setFilter({ regex: /1/ });
    await tick();
    const second = view.setFilter({ topicFilter: 'y' });
    assert.deepEqual(await first, { kind: 'replaced' });
    assert.deepEqual(await second, { kind: 'applied' });
    assert.equal(matcher.calls.length, 1);
    assert.equal(view.length, 1);
  });

  it('tests new messages in the background and announces the rows, or that it had to stop', async () => {
    const { store, matcher, view } = setup(['x1']);
    const applying = view.setFilter({ regex: /1/ });
    await tick();
    matcher.calls[0].answer();
    await applying;
    assert.equal(view.length, 1);
    const updated = new Promise<void>((resolve) => view.onDidUpdate(resolve));
    store.append('a', 'in', { topic: 'x', payload: Buffer.from('x10'), qos: 0, retain: false });
    assert.equal(view.length, 1, 'not tested on the caller’s turn');
    await tick();
    matcher.calls[1].answer();
    await updated;
    assert.equal(view.length, 2);

    const stopped = new Promise<Error>((resolve) => view.onDidStop(resolve));
    store.append('a', 'in', { topic: 'x', payload: Buffer.from('x11'), qos: 0, retain: false });
    void view.length;
    await tick();
    matcher.calls[2].answer(new FilterStoppedError(2000));
    assert.ok((await stopped) instanceof FilterStoppedError);
    void view.length;
    await tick();
    assert.equal(matcher.calls.length, 3, 'a stopped filter is not tried again');
  });

  it('plain text searches the whole store in slices and finds every match', async () => {
    const { store, view } = setup([]);
    for (let i = 0; i < 20_000; i++)
      store.append('a', 'in', {
        topic: 'x',
        payload: Buffer.from(`value ${i}`),
        qos: 0,
        retain: false,
      });
    assert.deepEqual(await view.setFilter({ text: 'VALUE 1999', ignoreCase: true }), {
      kind: 'applied',
    });
    assert.deepEqual(
      view.rows(0, 20).map((e) => Buffer.from(e.payload).toString()),
      [
        'value 1999',
        ...Array.from({ length: 10 }, (_, i) => `value 1999${i}`).filter(
          (v) => Number(v.slice(6)) < 20_000,
        ),
      ],
    );
  });
});
