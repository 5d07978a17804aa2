/**
 * The topics a connection has received, as a tree split on "/". Each node keeps bounded data:
 * counts, the time and retain flag of the last message and at most PREVIEW_BYTES of its
 * payload. Changes are collected and announced in batches, so a flood of messages costs one
 * view update per interval, naming only the nodes that changed.
 */
import { Emitter, type Event } from '../event';
import type { Disposable } from '../event';
import type { Scheduler } from '../ports';

export const PREVIEW_BYTES = 256;
export const DEFAULT_BATCH_MS = 250;
export const DEFAULT_MAX_TOPICS = 100_000;
/** Distinct topics not shown that the tree tells apart; past it, the count is "at least". */
export const MAX_DROPPED_COUNTED = 100_000;

export interface TopicNode {
  readonly name: string;
  /** The full topic of this node. */
  readonly path: string;
  readonly parent: TopicNode | undefined;
  readonly children: Map<string, TopicNode>;
  /** Messages on exactly this topic. */
  messageCount: number;
  /** Messages on this topic and every topic below it. */
  subtreeCount: number;
  /**
   * The first PREVIEW_BYTES of the last payload: a copy owned by the tree, overwritten in place
   * by the next message of the same length (read it right away, or copy it to keep it).
   */
  lastPayload?: Uint8Array;
  lastPayloadSize: number;
  lastTime?: number;
  lastQos?: number;
  /** The last message came with the retain flag (sent from the broker's store). */
  lastRetain: boolean;
  /** The broker holds a retained message for this topic, as far as the messages tell. */
  retained: boolean;
}

export interface TopicTreeChange {
  /** Nodes whose own data changed (messages arrived at or below them). */
  changed: ReadonlySet<TopicNode>;
  /** Nodes that gained children; undefined stands for the top level. */
  structureChanged: ReadonlySet<TopicNode | undefined>;
}

export interface IngestedMessage {
  topic: string;
  payload: Uint8Array;
  retain: boolean;
  qos: number;
  receivedAt: number;
}

interface Options {
  scheduler: Scheduler;
  batchMs?: number;
  maxTopics?: number;
}

function createNode(name: string, path: string, parent: TopicNode | undefined): TopicNode {
  return {
    name,
    path,
    parent,
    children: new Map(),
    messageCount: 0,
    subtreeCount: 0,
    // Every field from the start: nodes keep one shape, so the hot path's accesses stay fast.
    lastPayload: undefined,
    lastPayloadSize: 0,
    lastTime: undefined,
    lastQos: undefined,
    lastRetain: false,
    retained: false,
  };
}

export class TopicTree implements Disposable {
  private readonly roots = new Map<string, TopicNode>();
  /** Full topic → its node, for topics that received messages. */
  private readonly leaves = new Map<string, TopicNode>();
  private topicCount = 0;
  private droppedTopics = 0;
  /** The distinct topics not added, by a 32-bit hash (bounded memory whatever their length). */
  private readonly droppedHashes = new Set<number>();
  private changed = new Set<TopicNode>();
  private structureChanged = new Set<TopicNode | undefined>();
  private timer: Disposable | undefined;
  private readonly emitter = new Emitter<TopicTreeChange>();
  /** Fires at most once per batch interval. */
  readonly onDidChange: Event<TopicTreeChange> = this.emitter.event;

  constructor(private readonly options: Options) {}

  get size(): number {
    return this.topicCount;
  }

  /** Messages on topics that were not added because the tree was at its topic limit. */
  get overflow(): number {
    return this.droppedTopics;
  }

  /**
   * Distinct topics not added because the tree was at its topic limit (counted up to
   * MAX_DROPPED_COUNTED: `atLeast` then says there were more).
   */
  get notShown(): { topics: number; atLeast: boolean } {
    const topics = this.droppedHashes.size;
    return { topics, atLeast: topics >= MAX_DROPPED_COUNTED };
  }

  get maxTopics(): number {
    return this.options.maxTopics ?? DEFAULT_MAX_TOPICS;
  }

  topLevel(): TopicNode[] {
    return sortNodes(this.roots);
  }

  /** The top-level nodes, unsorted and not copied: for walks that stop early. */
  topLevelNodes(): IterableIterator<TopicNode> {
    return this.roots.values();
  }

  childrenOf(node: TopicNode): TopicNode[] {
    return sortNodes(node.children);
  }

  find(topic: string): TopicNode | undefined {
    const levels = topic.split('/');
    let node = this.roots.get(levels[0]);
    for (let i = 1; node && i < levels.length; i++) node = node.children.get(levels[i]);
    return node;
  }

  /**
   * Counts a message on its topic's node and returns that node, whose `path` is the tree's own
   * copy of the topic (a caller that passes it on spares the next lookup of that topic a
   * string comparison); undefined when the topic was not added because the tree is full.
   */
  ingest(message: IngestedMessage): TopicNode | undefined {
    // Hot path: a topic seen before is one map lookup, then a walk up its ancestors.
    const leaf = this.leaves.get(message.topic) ?? this.insert(message.topic);
    if (!leaf) return undefined;
    for (let node: TopicNode | undefined = leaf; node; node = node.parent) node.subtreeCount++;
    // Ancestors go into `changed` with their node, so a leaf already there is all there is.
    if (!this.changed.has(leaf))
      for (let node: TopicNode | undefined = leaf; node; node = node.parent) this.changed.add(node);
    leaf.messageCount++;
    const payload = message.payload;
    const size = payload.byteLength;
    leaf.lastPayloadSize = size;
    // A copy: Buffer.slice and subarray are views that would keep the whole payload (or the
    // socket chunk it came in) alive. The previous preview is overwritten when it has the
    // size needed, so a topic whose payloads keep their length allocates nothing.
    const length = Math.min(size, PREVIEW_BYTES);
    let preview = leaf.lastPayload;
    if (preview === undefined || preview.byteLength !== length)
      leaf.lastPayload = preview = new Uint8Array(length);
    preview.set(size > PREVIEW_BYTES ? payload.subarray(0, PREVIEW_BYTES) : payload);
    leaf.lastTime = message.receivedAt;
    leaf.lastQos = message.qos;
    leaf.lastRetain = message.retain;
    // A live message (retain 0) leaves what the broker holds alone. An empty payload is how a
    // retained message is deleted (MQTT 5.0 §3.3.1.3), and the broker forwards that deletion
    // to established subscriptions with retain 0 (§3.3.1.3 again): so any empty payload clears.
    if (payload.byteLength === 0) leaf.retained = false;
    else if (message.retain) leaf.retained = true;
    this.schedule();
    return leaf;
  }

  /** Adds the nodes of a new topic; undefined (and counted) when the tree is at its limit. */
  private insert(topic: string): TopicNode | undefined {
    const levels = topic.split('/');
    const maxTopics = this.options.maxTopics ?? DEFAULT_MAX_TOPICS;
    // Count the nodes this topic would add first, so a full tree is not left with a partial path.
    let existing = 0;
    let probe = this.roots.get(levels[0]);
    while (probe) {
      existing++;
      probe = existing < levels.length ? probe.children.get(levels[existing]) : undefined;
    }
    if (existing < levels.length && this.topicCount + (levels.length - existing) > maxTopics) {
      this.droppedTopics++;
      this.countDropped(topic);
      return undefined;
    }
    let siblings = this.roots;
    let parent: TopicNode | undefined;
    for (let i = 0; i < levels.length; i++) {
      let node = siblings.get(levels[i]);
      if (!node) {
        // The leaf's path is the topic itself, the string that keys `leaves`.
        const path =
          i === levels.length - 1 ? topic : parent ? `${parent.path}/${levels[i]}` : levels[i];
        node = createNode(levels[i], path, parent);
        siblings.set(levels[i], node);
        this.topicCount++;
        this.structureChanged.add(parent);
      }
      parent = node;
      siblings = node.children;
    }
    this.leaves.set(topic, parent!);
    return parent;
  }

  clear(): void {
    this.roots.clear();
    this.leaves.clear();
    this.topicCount = 0;
    this.droppedTopics = 0;
    this.droppedHashes.clear();
    this.changed.clear();
    this.structureChanged = new Set([undefined]);
    this.flush();
  }

  /** Announces pending changes now instead of at the end of the interval. */
  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.changed.size === 0 && this.structureChanged.size === 0) return;
    const change: TopicTreeChange = {
      changed: this.changed,
      structureChanged: this.structureChanged,
    };
    this.changed = new Set();
    this.structureChanged = new Set();
    this.emitter.fire(change);
  }

  dispose(): void {
    this.timer?.dispose();
    this.emitter.dispose();
  }

  /** A topic not shown for the first time changes the connection's children (the count row). */
  private countDropped(topic: string): void {
    if (this.droppedHashes.size >= MAX_DROPPED_COUNTED) return;
    const before = this.droppedHashes.size;
    this.droppedHashes.add(hashTopic(topic));
    if (this.droppedHashes.size === before) return;
    this.structureChanged.add(undefined);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = this.options.scheduler.setTimeout(
      () => this.flush(),
      this.options.batchMs ?? DEFAULT_BATCH_MS,
    );
  }
}

function sortNodes(map: Map<string, TopicNode>): TopicNode[] {
  return [...map.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** FNV-1a over the UTF-16 code units: cheap, and only for topics that were not added. */
function hashTopic(topic: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) h = Math.imul(h ^ topic.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
