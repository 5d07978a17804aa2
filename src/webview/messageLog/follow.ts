/**
 * Follow and Pause. Follow keeps the newest rows in view, waiting briefly for them to load so the
 * grid does not show blank rows; Pause freezes the rows shown and counts what arrives meanwhile
 * for the Resume badge.
 */
import type { LogStats } from '../../protocol/messageLog';
import type { Window } from './rowModel';

/** Longest time Follow waits for the newest rows before showing the new tail anyway. */
const FOLLOW_WAIT_MS = 300;

/** What the grid shows while paused, and where the log stood when it paused. */
export interface Paused {
  window: Window;
  lastSeq: number;
  total: number;
}

/** Messages that arrived since the pause: those in the view when filtered, else in the log. */
export function arrivedWhilePaused(paused: Paused, stats: LogStats, filtered: boolean): number {
  return filtered
    ? Math.max(0, stats.total - paused.total)
    : Math.max(0, stats.lastSeq - paused.lastSeq);
}

/** Decides when Follow moves to the new tail: once its rows are fresh, or after the wait. */
export class FollowGate {
  private pendingSince: number | undefined;

  /** `recheck` is called once the wait is over, to decide again. */
  constructor(private readonly recheck: () => void) {}

  /**
   * Whether to show the tail now: it is `empty`, its rows are `fresh`, or the wait is over.
   * Otherwise the first call starts the wait.
   */
  ready(empty: boolean, fresh: () => boolean): boolean {
    const now = performance.now();
    if (
      empty ||
      fresh() ||
      (this.pendingSince !== undefined && now - this.pendingSince > FOLLOW_WAIT_MS)
    ) {
      this.pendingSince = undefined;
      return true;
    }
    if (this.pendingSince === undefined) {
      this.pendingSince = now;
      setTimeout(() => this.recheck(), FOLLOW_WAIT_MS + 20);
    }
    return false;
  }

  /** Not following (or paused): forget any wait. */
  reset(): void {
    this.pendingSince = undefined;
  }
}
