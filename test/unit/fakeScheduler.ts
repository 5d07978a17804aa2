/**
 * A fake clock for the core's Scheduler port: timers fire only when the test calls advance().
 */
import type { Disposable } from '../../src/core/event';
import type { Scheduler } from '../../src/core/ports';

interface Timer {
  id: number;
  due: number;
  callback: () => void;
}

export class FakeScheduler implements Scheduler {
  private time: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const timer: Timer = { id: this.nextId++, due: this.time + Math.max(0, ms), callback };
    this.timers.push(timer);
    return { dispose: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  now(): number {
    return this.time;
  }

  /** Timers not yet fired nor disposed. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves the clock forward, firing due timers in order of due time, then creation. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.due <= end)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.due;
      due.callback();
    }
    this.time = end;
  }
}
