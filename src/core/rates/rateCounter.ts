/**
 * One topic's traffic on one connection: messages and bytes counted into the current second,
 * and the last 60 completed seconds in a ring shared by every counter (all counters roll
 * together, so the ring's head is one number for all of them). Sums over the 10 s and 60 s
 * windows are kept as the ring rolls, so asking for a rate costs nothing.
 */

/** Seconds the ring holds. */
export const RATE_SECONDS = 60;
/** The short window, in seconds. */
export const SHORT_WINDOW = 10;
/** A young counter's rates are over at least this many seconds (one message is no flood). */
const MIN_SPAN = 0.5;

export type RateWindow = typeof SHORT_WINDOW | typeof RATE_SECONDS;

export class RateCounter {
  /** This second so far: the hot path's two increments. */
  msgs = 0;
  bytes = 0;
  readonly msgHistory = new Uint32Array(RATE_SECONDS);
  readonly byteHistory = new Float64Array(RATE_SECONDS);
  msgs10 = 0;
  bytes10 = 0;
  msgs60 = 0;
  bytes60 = 0;
  /** Completed seconds since the counter was made (at most RATE_SECONDS). */
  age = 0;
  /** Completed seconds in a row without traffic. */
  quiet = 0;

  /**
   * @param firstSecond the part of its first second the counter existed (it is made when its
   *   topic's first message arrives, mid-second), in (0, 1].
   */
  constructor(
    readonly connection: string,
    readonly topic: string,
    private readonly firstSecond = 1,
  ) {}

  /**
   * Closes the current second into slot `head` of the ring (the slot of the second 60 s ago)
   * and starts the next one. Returns whether the 10 s count fell to zero by it.
   */
  roll(head: number): boolean {
    const m = this.msgs;
    const b = this.bytes;
    this.msgs = 0;
    this.bytes = 0;
    const before10 = this.msgs10;
    const leaving10 = (head + RATE_SECONDS - SHORT_WINDOW) % RATE_SECONDS;
    this.msgs10 += m - this.msgHistory[leaving10];
    this.bytes10 += b - this.byteHistory[leaving10];
    this.msgs60 += m - this.msgHistory[head];
    this.bytes60 += b - this.byteHistory[head];
    this.msgHistory[head] = m;
    this.byteHistory[head] = b;
    if (this.age < RATE_SECONDS) this.age++;
    this.quiet = m === 0 && b === 0 ? this.quiet + 1 : 0;
    return before10 > 0 && this.msgs10 === 0;
  }

  /** Messages per second over the window (over the time since it was made while younger). */
  msgsPerSecond(window: RateWindow): number {
    return (window === SHORT_WINDOW ? this.msgs10 : this.msgs60) / this.span(window);
  }

  bytesPerSecond(window: RateWindow): number {
    return (window === SHORT_WINDOW ? this.bytes10 : this.bytes60) / this.span(window);
  }

  /** The last 60 completed seconds, oldest first, of messages or bytes. */
  series(head: number, of: 'msgs' | 'bytes'): number[] {
    const ring = of === 'msgs' ? this.msgHistory : this.byteHistory;
    const out = new Array<number>(RATE_SECONDS);
    for (let i = 0; i < RATE_SECONDS; i++) out[i] = ring[(head + 1 + i) % RATE_SECONDS];
    return out;
  }

  private span(window: RateWindow): number {
    if (this.age >= window) return window;
    return Math.max(MIN_SPAN, this.age - 1 + this.firstSecond);
  }
}
