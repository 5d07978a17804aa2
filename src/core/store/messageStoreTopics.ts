/**
 * The per-(connection, topic) bookkeeping of the message store: connection names and topics
 * interned to small ids, each (connection, topic) pair with its live count and newest seq, and
 * topic ids freed when the last entry of a pair is evicted and reused only after that.
 */
import { TopicMatchCache } from './messageStoreSearch';

/** One (connection, topic) pair: its interned name, live count and newest seq. */
export interface TopicSlot {
  id: number;
  topic: string;
  topicBytes: number;
  connection: number;
  count: number;
  lastSeq: number;
}

export interface ConnectionSlot {
  name: string;
  topics: Map<string, TopicSlot>;
}

export class TopicTable {
  readonly connIds = new Map<string, number>();
  readonly conns: ConnectionSlot[] = [];
  private lastConnName: string | undefined;
  private lastConnId = 0;
  /** By id; freed ids are reused, and only once no row refers to them. */
  slots: (TopicSlot | undefined)[] = [];
  private freeIds: number[] = [];
  topicCount = 0;
  readonly matchCache = new TopicMatchCache();

  /** The slot of a (connection, topic) pair, made on first use. */
  slot(connectionName: string, topic: string): TopicSlot {
    const connection = this.connectionId(connectionName);
    const topics = this.conns[connection].topics;
    let slot = topics.get(topic);
    if (slot === undefined) {
      const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.slots.length;
      const topicBytes = utf8Length(topic);
      slot = { id, topic, topicBytes, connection, count: 0, lastSeq: 0 };
      this.slots[id] = slot;
      this.matchCache.forget(id);
      topics.set(topic, slot);
      this.topicCount++;
    }
    return slot;
  }

  /** Frees a slot whose count dropped to 0; its id is reused by a later topic. */
  release(slot: TopicSlot): void {
    this.conns[slot.connection].topics.delete(slot.topic);
    this.slots[slot.id] = undefined;
    this.freeIds.push(slot.id);
    this.topicCount--;
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

  /** Drops every slot and frees every id; connection names stay interned. */
  clear(): void {
    for (const conn of this.conns) conn.topics.clear();
    this.slots = [];
    this.freeIds = [];
    this.topicCount = 0;
    this.matchCache.clear();
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
