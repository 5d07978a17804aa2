/**
 * The rows of one filter in a LogView: the matching seqs, how far the store has been tested, and
 * how the filter splits into the part the store tests per row (flags, connection, topic, text)
 * and a regular expression, which only a worker thread may run.
 */
import { validateMessageFilter } from '../store/messageStoreFilter';
import type { MessageFilter } from '../store/messageStoreTypes';

export class FilterIndex {
  /** Matching seqs, ascending; rows start at `head` (evicted ones are skipped, not spliced). */
  seqs: number[] = [];
  head = 0;
  /** Highest seq already tested against the filter. */
  indexedUpTo: number;
  /** The slice-by-slice run bringing it up to date, while one is going. */
  extending: Promise<void> | undefined;
  /** Why new messages can no longer be tested (a batch ran over its limit). */
  stoppedBy: Error | undefined;
  /** Aborted when the filter is replaced: its runs stop at the next slice. */
  readonly abort = new AbortController();

  constructor(
    readonly filter: MessageFilter | undefined,
    /** What the store's page() tests: the filter without its regex. */
    readonly scan: MessageFilter | undefined,
    readonly regex: RegExp | undefined,
    /** The filter reads payloads: built slice by slice, never in one go. */
    readonly payload: boolean,
    indexedUpTo: number,
  ) {
    this.indexedUpTo = indexedUpTo;
  }

  /** Skips rows evicted from the store; compacts once they are most of the array. */
  dropBefore(firstSeq: number): void {
    while (this.head < this.seqs.length && this.seqs[this.head] < firstSeq) this.head++;
    if (this.head > 1024 && this.head > this.seqs.length / 2) {
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
  }
}

export function toFilterIndex(filter: MessageFilter | undefined, indexedUpTo: number): FilterIndex {
  const f = filter && Object.keys(filter).length > 0 ? filter : undefined;
  if (!f) return new FilterIndex(undefined, undefined, undefined, false, indexedUpTo);
  const problem = validateMessageFilter(f);
  if (problem) throw new RangeError(problem);
  const { regex: source, ...rest } = f;
  const regex =
    source === undefined || source === ''
      ? undefined
      : typeof source === 'string'
        ? new RegExp(source)
        : source;
  const payload = regex !== undefined || (f.text !== undefined && f.text !== '');
  return new FilterIndex(f, rest, regex, payload, indexedUpTo);
}
