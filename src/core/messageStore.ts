/**
 * A bounded log of the messages of all connections, received and published, that stays cheap
 * under a flood. Entries are numbered by one global sequence and kept in a ring indexed by
 * `seq & mask`, column by column in typed arrays (no object per message); payload bytes are
 * copied into slabs (see messageStoreArena) and topics are interned per connection, so a
 * stored message costs a few dozen bytes plus its payload and allocates nothing on append.
 * The oldest entries are evicted first when either cap (count or estimated bytes) is reached.
 * Nothing is decoded on append: payloads are read only when a page is asked for.
 */
import { Emitter, type Disposable, type Event } from './event';
import type { Scheduler } from './ports';
import type { QoS } from './profile';
import { PayloadArena } from './messageStoreArena';
import { FLAGS, compileFilter, matchesDecoded, type CompiledFilter } from './messageStoreFilter';
import { SlabSearch, TopicMatchCache, containsBytes, matchesCached } from './messageStoreSearch';
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
export { validateMessageFilter } from './messageStoreFilter';

export const DEFAULT_MAX_MESSAGES = 100_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_APPEND_BATCH_MS = 100;
/**
 * Estimated bytes of one entry besides its payload and topic: the row's columns (33 bytes)
 * plus the ring's unused slack and the interned topic's share.
 */
export const ENTRY_OVERHEAD_BYTES = 48;
const MIN_CAPACITY = 1024;
const MAX_SLAB = 1024 * 1024;
const MIN_SLAB = 4096;
// Module-local copies: behind a CommonJS transpilation (tsx, the tests, the bench) an imported
// binding is a getter call on every use, which showed in the append profile.
const { F_BIG, F_DUP, F_OUT, F_PROPS, F_QOS, F_RETAIN } = FLAGS;

export interface MessageStoreOptions {
  scheduler: Scheduler;
  maxMessages?: number;
  maxBytes?: number;
  /** Longest wait before onDidAppend reports appends. */
  batchMs?: number;
}

/** One (connection, topic) pair: its interned name, live count and newest seq. */
interface TopicSlot {
  id: number;
  topic: string;
  topicBytes: number;
  connection: number;
  count: number;
  lastSeq: number;
}

interface ConnectionSlot {
  name: string;
  topics: Map<string, TopicSlot>;
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
    { properties: Record<string, unknown>; bytes: number }
  >();
  private readonly arena: PayloadArena;

  private firstSeq = 1;
  private lastSeq = 0;
  private count = 0;
  private bytes = 0;
  private evicted = 0;

  private readonly connIds = new Map<string, number>();
  private readonly conns: ConnectionSlot[] = [];
  private lastConnName: string | undefined;
  private lastConnId = 0;
  /** By id; freed ids are reused, and only once no row refers to them. */
  private slots: (TopicSlot | undefined)[] = [];
  private freeIds: number[] = [];
  private topicCount = 0;
  private readonly topicMatchCache = new TopicMatchCache();

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
    const slot = this.topicSlot(this.connectionId(connection), message.topic);
    // Counted before evicting, so evicting the topic's last entry cannot free the slot in use.
    slot.count++;
    const properties = message.properties;
    let propsBytes = 0;
    if (properties !== undefined && hasKeys(properties)) propsBytes = estimateBytes(properties, 3);
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
      this.extras.set(seq, { properties: properties!, bytes: propsBytes });
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
    let total = 0;
    for (const conn of this.conns) {
      if (connection !== undefined && conn.name !== connection) continue;
      total += conn.topics.get(topic)?.count ?? 0;
    }
    return total;
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
      const test = filter && this.rowTest(filter, true);
      for (; seq <= upper && entries.length < limit && scanned < maxScan; seq++) {
        scanned++;
        if (!test || test(seq)) entries.push(this.entryAt(seq));
      }
      next = seq;
      more = seq <= upper;
    } else if (filter?.exactTopic !== undefined) {
      ({ next, more, scanned } = this.chainBackward(filter, upper, limit, maxScan, entries));
      entries.reverse();
    } else {
      let seq = upper;
      const test = filter && this.rowTest(filter, false);
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
      topics: this.topicCount,
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
    this.arena.clear();
    for (const conn of this.conns) conn.topics.clear();
    this.slots = [];
    this.freeIds = [];
    this.topicCount = 0;
    this.topicMatchCache.clear();
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

  private connectionId(name: string): number {
    // Consecutive appends almost always come from the same connection.
    if (name === this.lastConnName) return this.lastConnId;
    let id = this.connIds.get(name);
    if (id === undefined) {
      id = this.conns.length;
      this.conns.push({ name, topics: new Map() });
      this.connIds.set(name, id);
    }
    this.lastConnName = name;
    this.lastConnId = id;
    return id;
  }

  private topicSlot(connection: number, topic: string): TopicSlot {
    const topics = this.conns[connection].topics;
    let slot = topics.get(topic);
    if (slot === undefined) {
      const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.slots.length;
      const topicBytes = utf8Length(topic);
      slot = { id, topic, topicBytes, connection, count: 0, lastSeq: 0 };
      this.slots[id] = slot;
      this.topicMatchCache.forget(id);
      topics.set(topic, slot);
      this.topicCount++;
    }
    return slot;
  }

  private evictOldest(): void {
    const seq = this.firstSeq;
    const i = seq & this.mask;
    const f = this.flags[i];
    const slot = this.slots[this.topicIds[i]]!;
    let rowBytes = this.payloadLens[i] + slot.topicBytes + ENTRY_OVERHEAD_BYTES;
    if (f & F_BIG) this.bigPayloads.delete(seq);
    else this.arena.release(this.slabNos[i]);
    if (f & F_PROPS) {
      rowBytes += this.extras.get(seq)!.bytes;
      this.extras.delete(seq);
    }
    if (--slot.count === 0) {
      this.conns[slot.connection].topics.delete(slot.topic);
      this.slots[slot.id] = undefined;
      this.freeIds.push(slot.id);
      this.topicCount--;
    }
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
    const slot = this.slots[this.topicIds[i]]!;
    return {
      seq,
      connection: this.conns[slot.connection].name,
      direction: f & F_OUT ? 'out' : 'in',
      topic: slot.topic,
      payload: this.payloadCopy(seq, i, f),
      qos: (f & F_QOS) as QoS,
      retain: (f & F_RETAIN) !== 0,
      dup: (f & F_DUP) !== 0,
      properties: f & F_PROPS ? this.extras.get(seq)!.properties : undefined,
      time: this.times[i],
    };
  }

  /** The payload in place, for a filter to read; never handed out. */
  private payloadAt(seq: number, i: number, f: number): Uint8Array {
    if (f & F_BIG) return this.bigPayloads.get(seq)!;
    return this.arena.view(this.slabNos[i], this.payloadOffsets[i], this.payloadLens[i]);
  }

  private payloadCopy(seq: number, i: number, f: number): Uint8Array {
    if (f & F_BIG) return this.bigPayloads.get(seq)!;
    return this.arena.copy(this.slabNos[i], this.payloadOffsets[i], this.payloadLens[i]);
  }

  /** A per-row predicate for one page, for rows visited in increasing seq order or not. */
  private rowTest(filter: CompiledFilter, forward: boolean): (seq: number) => boolean {
    const connection =
      filter.connection === undefined ? -1 : (this.connIds.get(filter.connection) ?? -2);
    const topicFilter = filter.topicFilter;
    const verdicts =
      topicFilter !== undefined
        ? this.topicMatchCache.verdictsFor(topicFilter, this.slots.length)
        : undefined;
    const search =
      filter.needle !== undefined
        ? new SlabSearch(filter.needle, forward, (no) => this.arena.slab(no))
        : undefined;
    const decodes = filter.lowerText !== undefined || filter.regex !== undefined;
    return (seq) => {
      const i = seq & this.mask;
      const f = this.flags[i];
      if ((f & filter.flagMask) !== filter.flagValue) return false;
      if ((filter.qosBits & (1 << (f & F_QOS))) === 0) return false;
      const id = this.topicIds[i];
      if (connection !== -1 && this.slots[id]!.connection !== connection) return false;
      if (
        verdicts !== undefined &&
        !matchesCached(verdicts, id, topicFilter!, this.slots[id]!.topic)
      )
        return false;
      if (search !== undefined) {
        const found =
          f & F_BIG
            ? containsBytes(this.bigPayloads.get(seq)!, filter.needle!)
            : search.contains(this.slabNos[i], this.payloadOffsets[i], this.payloadLens[i]);
        if (!found) return false;
      }
      return !decodes || matchesDecoded(filter, this.payloadAt(seq, i, f));
    };
  }

  /**
   * Backward page for an exact topic: walks the chains of that topic (one per connection),
   * newest first, merging them by seq, so the cost follows the matches, not the store size.
   */
  private chainBackward(
    filter: CompiledFilter,
    upper: number,
    limit: number,
    maxScan: number,
    out: MessageEntry[],
  ): { next: number; more: boolean; scanned: number } {
    const heads: number[] = [];
    for (const conn of this.conns) {
      if (filter.connection !== undefined && conn.name !== filter.connection) continue;
      const slot = conn.topics.get(filter.exactTopic!);
      if (!slot) continue;
      // Start each chain at its newest entry at or below `upper`.
      let seq = slot.lastSeq;
      while (seq > upper && seq >= this.firstSeq) seq = this.prevSeqs[seq & this.mask];
      if (seq >= this.firstSeq) heads.push(seq);
    }
    const test = this.rowTest({ ...filter, topicFilter: undefined, connection: undefined }, false);
    let scanned = 0;
    let last = upper + 1;
    while (heads.length > 0 && out.length < limit && scanned < maxScan) {
      let k = 0;
      for (let h = 1; h < heads.length; h++) if (heads[h] > heads[k]) k = h;
      const seq = heads[k];
      scanned++;
      if (test(seq)) out.push(this.entryAt(seq));
      last = seq;
      const prev = this.prevSeqs[seq & this.mask];
      if (prev >= this.firstSeq) heads[k] = prev;
      else heads.splice(k, 1);
    }
    return { next: last, more: heads.length > 0, scanned };
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** UTF-8 length without encoding: topics are interned, so this runs once per new topic. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A rough size of MQTT 5 properties (user properties, correlation data), bounded in depth. */
function estimateBytes(value: unknown, depth: number): number {
  if (typeof value === 'string') return 16 + value.length * 2;
  if (value instanceof Uint8Array) return 64 + value.byteLength;
  if (typeof value !== 'object' || value === null) return 8;
  let n = 32;
  if (depth === 0) return n;
  if (Array.isArray(value)) for (const v of value) n += 8 + estimateBytes(v, depth - 1);
  else for (const [k, v] of Object.entries(value)) n += 16 + k.length + estimateBytes(v, depth - 1);
  return n;
}
