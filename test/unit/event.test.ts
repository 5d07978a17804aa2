/**
 * Emitter: who a fire reaches when listeners come and go, also while it runs (a fire keeps
 * the listeners it began with, without copying them on every fire).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/event';

describe('Emitter', () => {
  it('calls every listener once, in the order they were added', () => {
    const emitter = new Emitter<number>();
    const calls: string[] = [];
    emitter.event((n) => calls.push(`a${n}`));
    emitter.event((n) => calls.push(`b${n}`));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(calls, ['a1', 'b1', 'a2', 'b2']);
  });

  it('reaches a listener added during a fire from the next fire on', () => {
    const emitter = new Emitter<number>();
    const calls: string[] = [];
    emitter.event((n) => {
      calls.push(`a${n}`);
      if (n === 1) emitter.event((m) => calls.push(`late${m}`));
    });
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(calls, ['a1', 'a2', 'late2']);
  });

  it('still reaches, in that fire, a listener removed during it; not in the next', () => {
    const emitter = new Emitter<number>();
    const calls: string[] = [];
    const later: { dispose(): void }[] = [];
    emitter.event((n) => {
      calls.push(`a${n}`);
      for (const listener of later) listener.dispose();
    });
    later.push(emitter.event((n) => calls.push(`b${n}`)));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(calls, ['a1', 'b1', 'a2']);
  });

  it('stops a disposed listener, takes one added again, and dispose() stops all', () => {
    const emitter = new Emitter<number>();
    const calls: number[] = [];
    const listener = (n: number) => calls.push(n);
    const first = emitter.event(listener);
    emitter.fire(1);
    first.dispose();
    first.dispose(); // twice is harmless
    emitter.fire(2);
    emitter.event(listener);
    emitter.fire(3);
    emitter.dispose();
    emitter.fire(4);
    assert.deepEqual(calls, [1, 3]);
  });
});
