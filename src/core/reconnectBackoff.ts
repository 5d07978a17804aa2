/**
 * How long an MqttSession waits before each reconnect attempt. Only a connection that stays up
 * resets the backoff: a broker that accepts and then drops at once must not be hammered every
 * second.
 */
import type { Scheduler } from './ports';

const RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** How long a connection must stay up before the next drop starts the backoff over. */
const STABLE_AFTER_MS = 10_000;

export class ReconnectBackoff {
  private attempts = 0;
  private stableTimer: { dispose(): void } | undefined;

  constructor(private readonly scheduler: Scheduler) {}

  /** Starts over from the shortest delay, e.g. when the user connects. */
  reset(): void {
    this.attempts = 0;
  }

  /** The connection is up: reset the backoff once it has stayed up a while. */
  connected(): void {
    this.stableTimer?.dispose();
    this.stableTimer = this.scheduler.setTimeout(() => (this.attempts = 0), STABLE_AFTER_MS);
  }

  /** The connection is gone (or going): it did not stay up long enough to reset anything. */
  cancelStable(): void {
    this.stableTimer?.dispose();
  }

  /** Counts one more attempt and says which one it is and how long to wait before it. */
  next(): { attempt: number; delayMs: number } {
    const delayMs = RECONNECT_DELAYS_MS[Math.min(this.attempts, RECONNECT_DELAYS_MS.length - 1)];
    this.attempts++;
    return { attempt: this.attempts, delayMs };
  }
}
