/**
 * The outcome of each outgoing entry of the message store, keyed by seq: pending until the
 * broker answered, then what it answered (see src/core/traffic/). Kept beside the ring, not in
 * it, since only published messages have one; an entry's outcome goes when the entry goes.
 */
import type { PublishResult } from '../traffic/trafficTypes';

export type StoredOutcome = 'pending' | PublishResult;

export class OutcomeTable {
  private readonly bySeq = new Map<number, StoredOutcome>();
  /** Bumped by every change, so a view can tell that rows it shows may have changed. */
  revision = 0;

  get(seq: number): StoredOutcome | undefined {
    return this.bySeq.get(seq);
  }

  set(seq: number, outcome: StoredOutcome): void {
    this.bySeq.set(seq, outcome);
    this.revision++;
  }

  delete(seq: number): void {
    this.bySeq.delete(seq);
  }

  clear(): void {
    this.bySeq.clear();
  }

  get size(): number {
    return this.bySeq.size;
  }
}
