/**
 * A Scheduler for a message store under test: its clock can be pinned (times shown are then
 * predictable), and its timers are held until the test runs them (`flush`), so a test decides
 * when the store announces new messages. `release` lets them run on real time from then on.
 */
import type { Disposable } from '../../src/core/event';
import type { Scheduler } from '../../src/core/ports';

export class TestScheduler implements Scheduler {
  /** When set, `now()` returns it. */
  fixedNow: number | undefined;
  private held = new Set<() => void>();
  private realTime: boolean;

  constructor(o: { realTime?: boolean } = {}) {
    this.realTime = o.realTime ?? false;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    if (this.realTime) {
      const t = setTimeout(callback, ms);
      return { dispose: () => clearTimeout(t) };
    }
    this.held.add(callback);
    return { dispose: () => this.held.delete(callback) };
  }

  now(): number {
    return this.fixedNow ?? Date.now();
  }

  /** Runs every held timer now, in the order they were set. */
  flush(): void {
    const due = [...this.held];
    this.held.clear();
    for (const callback of due) callback();
  }

  /** From now on timers run on real time; the held ones run at once. */
  release(): void {
    this.realTime = true;
    this.flush();
  }
}
