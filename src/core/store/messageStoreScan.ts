/**
 * The filtered scans of the message store: a per-row predicate for a page, and the backward walk
 * of an exact topic's chains. Both read the store's columns through a snapshot taken for one
 * page (see StoreRows); nothing here runs on the append path.
 */
import type { PayloadArena } from './messageStoreArena';
import { FLAGS, matchesDecoded, type CompiledFilter } from './messageStoreFilter';
import { SlabSearch, containsBytes, matchesCached } from './messageStoreSearch';
import type { TopicTable } from './messageStoreTopics';

// Module-local copies, as in messageStore: an imported binding is a getter call per use there.
const { F_BIG, F_QOS } = FLAGS;

/** The store's ring and side tables as they are for one page; valid until the next append. */
export interface StoreRows {
  mask: number;
  firstSeq: number;
  topicIds: Uint32Array;
  flags: Uint8Array;
  prevSeqs: Float64Array;
  payloadLens: Uint32Array;
  payloadOffsets: Uint32Array;
  slabNos: Uint32Array;
  bigPayloads: ReadonlyMap<number, Uint8Array>;
  arena: PayloadArena;
  topics: TopicTable;
}

/** A per-row predicate for one page, for rows visited in increasing seq order or not. */
export function rowTest(
  rows: StoreRows,
  filter: CompiledFilter,
  forward: boolean,
): (seq: number) => boolean {
  const { mask, flags, topicIds, slabNos, payloadOffsets, payloadLens, bigPayloads, arena } = rows;
  const topics = rows.topics;
  const connection =
    filter.connection === undefined ? -1 : (topics.connIds.get(filter.connection) ?? -2);
  const topicFilter = filter.topicFilter;
  const verdicts =
    topicFilter !== undefined
      ? topics.matchCache.verdictsFor(topicFilter, topics.slots.length)
      : undefined;
  const search =
    filter.needle !== undefined
      ? new SlabSearch(filter.needle, forward, (no) => arena.slab(no))
      : undefined;
  const decodes = filter.lowerText !== undefined || filter.regex !== undefined;
  return (seq) => {
    const i = seq & mask;
    const f = flags[i];
    if ((f & filter.flagMask) !== filter.flagValue) return false;
    if ((filter.qosBits & (1 << (f & F_QOS))) === 0) return false;
    const id = topicIds[i];
    if (connection !== -1 && topics.slots[id]!.connection !== connection) return false;
    if (
      verdicts !== undefined &&
      !matchesCached(verdicts, id, topicFilter!, topics.slots[id]!.topic)
    )
      return false;
    if (search !== undefined) {
      const found =
        f & F_BIG
          ? containsBytes(bigPayloads.get(seq)!, filter.needle!)
          : search.contains(slabNos[i], payloadOffsets[i], payloadLens[i]);
      if (!found) return false;
    }
    if (!decodes) return true;
    // The payload in place, for the filter to read; never handed out.
    const payload =
      f & F_BIG ? bigPayloads.get(seq)! : arena.view(slabNos[i], payloadOffsets[i], payloadLens[i]);
    return matchesDecoded(filter, payload);
  };
}

/**
 * Backward page for an exact topic: walks the chains of that topic (one per connection),
 * newest first, merging them by seq, so the cost follows the matches, not the store size.
 * Pushes the matching seqs, newest first, to `out`.
 */
export function chainBackward(
  rows: StoreRows,
  filter: CompiledFilter,
  upper: number,
  limit: number,
  maxScan: number,
  out: number[],
): { next: number; more: boolean; scanned: number } {
  const { mask, firstSeq, prevSeqs } = rows;
  const heads: number[] = [];
  for (const conn of rows.topics.conns) {
    if (filter.connection !== undefined && conn.name !== filter.connection) continue;
    const slot = conn.topics.get(filter.exactTopic!);
    if (!slot) continue;
    // Start each chain at its newest entry at or below `upper`.
    let seq = slot.lastSeq;
    while (seq > upper && seq >= firstSeq) seq = prevSeqs[seq & mask];
    if (seq >= firstSeq) heads.push(seq);
  }
  const test = rowTest(rows, { ...filter, topicFilter: undefined, connection: undefined }, false);
  let scanned = 0;
  let last = upper + 1;
  while (heads.length > 0 && out.length < limit && scanned < maxScan) {
    let k = 0;
    for (let h = 1; h < heads.length; h++) if (heads[h] > heads[k]) k = h;
    const seq = heads[k];
    scanned++;
    if (test(seq)) out.push(seq);
    last = seq;
    const prev = prevSeqs[seq & mask];
    if (prev >= firstSeq) heads[k] = prev;
    else heads.splice(k, 1);
  }
  return { next: last, more: heads.length > 0, scanned };
}
