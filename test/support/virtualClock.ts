/**
 * A Scheduler on virtual time for code that awaits between timers (a runner that sets its next
 * timer only after a publish was acknowledged): `advance` lets pending promise work run before
 * and after each timer, so a chain of timers and awaits plays out as it would in real time.
 */
import type { Disposable } from '../../src/core/event';
import type { Scheduler } from '../../src/core/ports';

interface Timer {
  id: number;
  due: number;
  callback: () => void;
}

export class VirtualClock implements Scheduler {
  private time: number;
  private nextId = 1;
  private readonly timers = new Set<Timer>();
  /** The most timers ever pending at once. */
  maxPending = 0;

  constructor(start = 1_000_000) {
    this.time = start;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const timer: Timer = { id: this.nextId++, due: this.time + Math.max(0, ms), callback };
    this.timers.add(timer);
    this.maxPending = Math.max(this.maxPending, this.timers.size);
    return { dispose: () => this.timers.delete(timer) };
  }

  now(): number {
    return this.time;
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running due timers in order with pending work between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      let next: Timer | undefined;
      for (const t of this.timers)
        if (t.due <= end && (!next || t.due < next.due || (t.due === next.due && t.id < next.id)))
          next = t;
      if (!next) break;
      this.timers.delete(next);
      this.time = next.due;
      next.callback();
    }
    this.time = end;
    await settle();
  }

  /** Runs timers one by one (time jumps to each) until `promise` settles. */
  async run<T>(promise: Promise<T>, limitMs = 15 * 60_000): Promise<T> {
    let done = false;
    const watched = promise.finally(() => (done = true));
    watched.catch(() => undefined);
    const end = this.time + limitMs;
    for (;;) {
      await settle();
      if (done) return watched;
      let next: Timer | undefined;
      for (const t of this.timers)
        if (!next || t.due < next.due || (t.due === next.due && t.id < next.id)) next = t;
      if (!next) throw new Error('stuck: no timer pending and the promise has not settled');
      if (next.due > end) throw new Error(`still running after ${limitMs} ms of virtual time`);
      this.timers.delete(next);
      this.time = next.due;
      next.callback();
    }
  }
}

/** Lets promise callbacks and immediates queued so far run. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}
