/**
 * A bounded log of the messages of all connections, received and published, that stays cheap
 * under a flood. Entries are numbered by one global sequence and kept in a ring indexed by
 * `seq & mask`, column by column in typed arrays (no object per message); payload bytes are
 * copied into slabs (see messageStoreArena) and topics are interned per connection, so a
 * stored message costs a few dozen bytes plus its payload and allocates nothing on append.
 * The oldest entries are evicted first when either cap (count or estimated bytes) is reached.
 * Nothing is decoded on append: payloads are read only when a page is asked for.
 */
import { Emitter, type Disposable, type Event } from '../event';
import type { Scheduler } from '../ports';
import type { QoS } from '../profile/profile';
import { PayloadArena } from './messageStoreArena';
import { FLAGS, compileFilter } from './messageStoreFilter';
import { chainBackward, rowTest, type StoreRows } from './messageStoreScan';
import { TopicTable } from './messageStoreTopics';
import { OutcomeTable, type StoredOutcome } from './messageStoreOutcomes';
import * as size from './messageStoreSize';
import type { PropertiesTruncation } from '../incoming/packetGuard';
import type {
  AppendSummary,
  Direction,
  MessageEntry,
  MessageInput,
  MessagePage,
  MessageStoreStats,
  PageRequest,
} from './messageStoreTypes';

export * from './messageStoreTypes';
export type { StoredOutcome } from './messageStoreOutcomes';
export { validateMessageFilter } from './messageStoreFilter';

export const DEFAULT_MAX_MESSAGES = 100_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_APPEND_BATCH_MS = 100;
export { ENTRY_OVERHEAD_BYTES } from './messageStoreSize';
const MIN_CAPACITY = 1024;
const MAX_SLAB = 1024 * 1024;
const MIN_SLAB = 4096;
// Module-local copies: behind a CommonJS transpilation (tsx, the tests, the bench) an imported
// binding is a getter call on every use, which showed in the append profile.
const { F_BIG, F_DUP, F_OUT, F_PROPS, F_QOS, F_RETAIN } = FLAGS;
const { ENTRY_OVERHEAD_BYTES, propertiesBytes } = size;

export interface MessageStoreOptions {
  scheduler: Scheduler;
  maxMessages?: number;
  maxBytes?: number;
  /** Longest wait before onDidAppend reports appends. */
  batchMs?: number;
}

export class MessageStore implements Disposable {
  readonly maxMessages: number;
  readonly maxBytes: number;
  private readonly batchMs: number;
  private readonly maxCapacity: number;

  // The ring: row i holds the entry with seq & mask === i.
  private capacity = 0;
  private mask = 0;
  private topicIds = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private times = new Float64Array(0);
  /** Seq of the previous entry of the same (connection, topic); 0 when none. */
  private prevSeqs = new Float64Array(0);
  private payloadLens = new Uint32Array(0);
  private payloadOffsets = new Uint32Array(0);
  private slabNos = new Uint32Array(0);
  // Rare extras, keyed by seq; a row's flag bit says whether to look.
  private readonly bigPayloads = new Map<number, Uint8Array>();
  private readonly extras = new Map<
    number,
    { properties: Record<string, unknown>; bytes: number; truncated?: PropertiesTruncation }
  >();
  private readonly arena: PayloadArena;
  /** The outcome of outgoing entries (publishes): pending, acknowledged, refused, failed. */
  private readonly outcomes = new OutcomeTable();

  private firstSeq = 1;
  private lastSeq = 0;
  private count = 0;
  private bytes = 0;
  private evicted = 0;

  /** Interned connections and (connection, topic) slots; rows hold a slot's id. */
  private readonly topics = new TopicTable();

  private timer: Disposable | undefined;
  private readonly appendEmitter = new Emitter<AppendSummary>();
  /** At most once per batch interval, after appends; carries counts, never messages. */
  readonly onDidAppend: Event<AppendSummary> = this.appendEmitter.event;
  private readonly clearEmitter = new Emitter<void>();
  readonly onDidClear: Event<void> = this.clearEmitter.event;
  private readonly flushNow = () => this.flush();

  constructor(private readonly options: MessageStoreOptions) {
    this.maxMessages = Math.max(1, Math.floor(options.maxMessages ?? DEFAULT_MAX_MESSAGES));
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.batchMs = options.batchMs ?? DEFAULT_APPEND_BATCH_MS;
    this.maxCapacity = nextPowerOfTwo(this.maxMessages);
    // A sixteenth of the budget per slab bounds the unfilled tail of the newest slab.
    this.arena = new PayloadArena(
      Math.min(MAX_SLAB, Math.max(MIN_SLAB, nextPowerOfTwo(this.maxBytes / 16))),
    );
    this.resize(Math.min(MIN_CAPACITY, this.maxCapacity));
  }

  /** Stores a message and returns its seq. Evicts the oldest entries to stay within the caps. */
  append(connection: string, direction: Direction, message: MessageInput): number {
    const payload = message.payload;
    const slot = this.topics.slot(connection, message.topic);
    // Counted before evicting, so evicting the topic's last entry cannot free the slot in use.
    slot.count++;
    const properties = message.properties;
    let propsBytes = 0;
    if (properties !== undefined) propsBytes = propertiesBytes(properties);
    const size = payload.byteLength;
    const rowBytes = size + slot.topicBytes + ENTRY_OVERHEAD_BYTES + propsBytes;
    // The newest entry is always kept, even when it alone is over the byte cap.
    while (
      this.count > 0 &&
      (this.count >= this.maxMessages || this.bytes + rowBytes > this.maxBytes)
    )
      this.evictOldest();
    if (this.count === this.capacity) this.resize(this.capacity * 2);

    const seq = ++this.lastSeq;
    if (this.count === 0) this.firstSeq = seq;
    const i = seq & this.mask;
    let f = (message.qos & F_QOS) | (direction === 'out' ? F_OUT : 0);
    if (message.retain) f |= F_RETAIN;
    if (message.dup) f |= F_DUP;
    if (size > this.arena.slabSize >> 2) {
      // A copy: the caller's buffer may be a view into a larger chunk, or be reused.
      this.bigPayloads.set(seq, new Uint8Array(payload));
      f |= F_BIG;
    } else {
      this.slabNos[i] = this.arena.write(payload);
      this.payloadOffsets[i] = this.arena.lastOffset;
    }
    if (propsBytes > 0) {
      const truncated = message.propertiesTruncated;
      this.extras.set(seq, { properties: properties!, bytes: propsBytes, truncated });
      f |= F_PROPS;
    }
    this.flags[i] = f;
    this.payloadLens[i] = size;
    this.topicIds[i] = slot.id;
    this.times[i] = message.receivedAt ?? this.options.scheduler.now();
    this.prevSeqs[i] = slot.lastSeq;
    slot.lastSeq = seq;
    this.count++;
    this.bytes += rowBytes;
    if (this.timer === undefined)
      this.timer = this.options.scheduler.setTimeout(this.flushNow, this.batchMs);
    return seq;
  }

  /**
   * Records the outcome of an outgoing entry; ignored once the entry is gone. Reported with
   * the next append notice (batched like appends), so views refresh the rows they show.
   */
  setOutcome(seq: number, outcome: StoredOutcome): void {
    if (!this.has(seq) || (this.flags[seq & this.mask] & F_OUT) === 0) return;
    this.outcomes.set(seq, outcome);
    if (this.timer === undefined)
      this.timer = this.options.scheduler.setTimeout(this.flushNow, this.batchMs);
  }

  /** Bumped whenever the outcome of an outgoing entry is recorded. */
  get outcomesRevision(): number {
    return this.outcomes.revision;
  }

  /** The outcome of an outgoing entry still stored, if one was recorded. */
  outcomeOf(seq: number): StoredOutcome | undefined {
    return this.has(seq) ? this.outcomes.get(seq) : undefined;
  }

  get(seq: number): MessageEntry | undefined {
    return this.has(seq) ? this.entryAt(seq) : undefined;
  }

  /** The stored entry before `seq` on the same topic of the same connection, for diffs. */
  previousOnTopic(seq: number): MessageEntry | undefined {
    if (!this.has(seq)) return undefined;
    const prev = this.prevSeqs[seq & this.mask];
    return prev >= this.firstSeq ? this.entryAt(prev) : undefined;
  }

  /** Stored messages on a topic, of one connection or summed over all of them. */
  countOnTopic(topic: string, connection?: string): number {
    return this.topics.countOnTopic(topic, connection);
  }

  /**
   * A page of entries in increasing seq order. Unfiltered pages cost O(limit); filtered ones
   * scan rows until `limit` matched (or `maxScan` rows were examined), except that an exact
   * topic paged backwards walks that topic's own chain.
   */
  page(request: PageRequest): MessagePage {
    const filter = compileFilter(request.filter);
    const limit = Math.max(0, Math.floor(request.limit));
    const maxScan = request.maxScan ?? Infinity;
    const upper = Math.min(this.lastSeq, (request.beforeSeq ?? Infinity) - 1);
    const forward = request.fromSeq !== undefined;
    const entries: MessageEntry[] = [];
    let scanned = 0;
    let next: number;
    let more: boolean;
    if (forward) {
      let seq = Math.max(this.firstSeq, Math.ceil(request.fromSeq!));
      const test = filter && rowTest(this.rows(), filter, true);
      for (; seq <= upper && entries.length < limit && scanned < maxScan; seq++) {
        scanned++;
        if (!test || test(seq)) entries.push(this.entryAt(seq));
      }
      next = seq;
      more = seq <= upper;
    } else if (filter?.exactTopic !== undefined) {
      const seqs: number[] = [];
      ({ next, more, scanned } = chainBackward(this.rows(), filter, upper, limit, maxScan, seqs));
      for (let k = seqs.length - 1; k >= 0; k--) entries.push(this.entryAt(seqs[k]));
    } else {
      let seq = upper;
      const test = filter && rowTest(this.rows(), filter, false);
      for (; seq >= this.firstSeq && entries.length < limit && scanned < maxScan; seq--) {
        scanned++;
        if (!test || test(seq)) entries.push(this.entryAt(seq));
      }
      entries.reverse();
      next = seq + 1;
      more = seq >= this.firstSeq;
    }
    return {
      entries,
      next,
      more,
      scanned,
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      evicted: this.evicted,
    };
  }

  stats(): MessageStoreStats {
    return {
      count: this.count,
      bytes: this.bytes,
      evicted: this.evicted,
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      topics: this.topics.topicCount,
    };
  }

  /** Drops every entry and the evicted count; seqs keep increasing so old ones never alias. */
  clear(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.firstSeq = this.lastSeq + 1;
    this.count = 0;
    this.bytes = 0;
    this.evicted = 0;
    this.bigPayloads.clear();
    this.extras.clear();
    this.outcomes.clear();
    this.arena.clear();
    this.topics.clear();
    this.resize(Math.min(MIN_CAPACITY, this.maxCapacity));
    this.clearEmitter.fire();
  }

  /** Reports pending appends now instead of at the end of the interval. */
  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.appendEmitter.fire({ lastSeq: this.lastSeq, count: this.count, evicted: this.evicted });
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.appendEmitter.dispose();
    this.clearEmitter.dispose();
  }

  private has(seq: number): boolean {
    return Number.isInteger(seq) && seq >= this.firstSeq && seq <= this.lastSeq;
  }

  private evictOldest(): void {
    const seq = this.firstSeq;
    const i = seq & this.mask;
    const f = this.flags[i];
    const slot = this.topics.slots[this.topicIds[i]]!;
    let rowBytes = this.payloadLens[i] + slot.topicBytes + ENTRY_OVERHEAD_BYTES;
    if (f & F_BIG) this.bigPayloads.delete(seq);
    else this.arena.release(this.slabNos[i]);
    if (f & F_OUT) this.outcomes.delete(seq);
    if (f & F_PROPS) {
      rowBytes += this.extras.get(seq)!.bytes;
      this.extras.delete(seq);
    }
    if (--slot.count === 0) this.topics.release(slot);
    this.bytes -= rowBytes;
    this.count--;
    this.evicted++;
    this.firstSeq = seq + 1;
  }

  private resize(capacity: number): void {
    const mask = capacity - 1;
    const topicIds = new Uint32Array(capacity);
    const flags = new Uint8Array(capacity);
    const times = new Float64Array(capacity);
    const prevSeqs = new Float64Array(capacity);
    const payloadLens = new Uint32Array(capacity);
    const payloadOffsets = new Uint32Array(capacity);
    const slabNos = new Uint32Array(capacity);
    for (let seq = this.firstSeq; this.count > 0 && seq <= this.lastSeq; seq++) {
      const from = seq & this.mask;
      const to = seq & mask;
      topicIds[to] = this.topicIds[from];
      flags[to] = this.flags[from];
      times[to] = this.times[from];
      prevSeqs[to] = this.prevSeqs[from];
      payloadLens[to] = this.payloadLens[from];
      payloadOffsets[to] = this.payloadOffsets[from];
      slabNos[to] = this.slabNos[from];
    }
    this.topicIds = topicIds;
    this.flags = flags;
    this.times = times;
    this.prevSeqs = prevSeqs;
    this.payloadLens = payloadLens;
    this.payloadOffsets = payloadOffsets;
    this.slabNos = slabNos;
    this.capacity = capacity;
    this.mask = mask;
  }

  private entryAt(seq: number): MessageEntry {
    const i = seq & this.mask;
    const f = this.flags[i];
    const slot = this.topics.slots[this.topicIds[i]]!;
    const extra = f & F_PROPS ? this.extras.get(seq) : undefined;
    const entry: MessageEntry = {
      seq,
      connection: this.topics.conns[slot.connection].name,
      direction: f & F_OUT ? 'out' : 'in',
      topic: slot.topic,
      payload: this.payloadCopy(seq, i, f),
      qos: (f & F_QOS) as QoS,
      retain: (f & F_RETAIN) !== 0,
      dup: (f & F_DUP) !== 0,
      properties: extra?.properties,
      time: this.times[i],
    };
    if (extra?.truncated) entry.propertiesTruncated = extra.truncated;
    if (f & F_OUT) {
      const outcome = this.outcomes.get(seq);
      if (outcome !== undefined) entry.outcome = outcome;
    }
    return entry;
  }

  private payloadCopy(seq: number, i: number, f: number): Uint8Array {
    if (f & F_BIG) return this.bigPayloads.get(seq)!;
    return this.arena.copy(this.slabNos[i], this.payloadOffsets[i], this.payloadLens[i]);
  }

  /** The columns as they are now, for a filtered scan of one page. */
  private rows(): StoreRows {
    return {
      mask: this.mask,
      firstSeq: this.firstSeq,
      topicIds: this.topicIds,
      flags: this.flags,
      prevSeqs: this.prevSeqs,
      payloadLens: this.payloadLens,
      payloadOffsets: this.payloadOffsets,
      slabNos: this.slabNos,
      bigPayloads: this.bigPayloads,
      arena: this.arena,
      topics: this.topics,
    };
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
