/**
 * The baseline store: what one would write first. An array of entry objects that keep the
 * payload Buffers they were given, a Map of per-topic counts, eviction by advancing a head
 * index, and filters that test every row (topicMatches, the payload decoded for text). Same caps and byte estimate as
 * MessageStore, so the two differ only in layout.
 */
import { ENTRY_OVERHEAD_BYTES } from '../src/core/store/messageStore';
import type {
  MessageEntry,
  MessageFilter,
  MessageInput,
} from '../src/core/store/messageStoreTypes';
import { topicMatches } from '../src/core/topics/topics';

const decoder = new TextDecoder();

interface NaiveEntry extends MessageEntry {
  bytes: number;
  prev: NaiveEntry | undefined;
}

export class NaiveStore {
  private entries: (NaiveEntry | undefined)[] = [];
  private head = 0;
  private seq = 0;
  private bytes = 0;
  private readonly topics = new Map<string, { count: number; last: NaiveEntry | undefined }>();

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  get count(): number {
    return this.entries.length - this.head;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  append(connection: string, direction: 'in' | 'out', m: MessageInput): number {
    const bytes = m.payload.byteLength + Buffer.byteLength(m.topic) + ENTRY_OVERHEAD_BYTES;
    while (this.count > 0 && (this.count >= this.maxMessages || this.bytes + bytes > this.maxBytes))
      this.evict();
    let topic = this.topics.get(m.topic);
    if (!topic) this.topics.set(m.topic, (topic = { count: 0, last: undefined }));
    const entry: NaiveEntry = {
      seq: ++this.seq,
      connection,
      direction,
      topic: m.topic,
      payload: m.payload,
      qos: m.qos,
      retain: m.retain,
      dup: m.dup ?? false,
      properties: m.properties,
      time: m.receivedAt ?? Date.now(),
      bytes,
      prev: topic.last,
    };
    topic.count++;
    topic.last = entry;
    this.entries.push(entry);
    this.bytes += bytes;
    return entry.seq;
  }

  /** `limit` entries from `fromSeq` on, each tested against the filter when given. */
  page(fromSeq: number, limit: number, filter: MessageFilter = {}): MessageEntry[] {
    const { topicFilter, text } = filter;
    const out: MessageEntry[] = [];
    const first = this.entries[this.head]?.seq ?? this.seq + 1;
    for (let i = this.head + Math.max(0, fromSeq - first); i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (topicFilter !== undefined && !topicMatches(topicFilter, e.topic)) continue;
      if (text !== undefined && !decoder.decode(e.payload).includes(text)) continue;
      out.push(e);
      if (out.length === limit) break;
    }
    return out;
  }

  private evict(): void {
    const e = this.entries[this.head]!;
    this.entries[this.head++] = undefined;
    this.bytes -= e.bytes;
    const topic = this.topics.get(e.topic)!;
    if (--topic.count === 0) this.topics.delete(e.topic);
    // Compact now and then so the array does not grow without bound.
    if (this.head > 65_536 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
