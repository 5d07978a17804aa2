/**
 * Follows Sparkplug B edge nodes through the traffic hub: only received messages whose topic
 * starts with `spBv1.0/` are looked at (one string test for any other message). Births are
 * decoded in full (their alias maps, the bdSeq), data messages only for their seq, deaths for
 * their bdSeq. Changes are announced at most every 100 ms.
 */
import { Emitter, type Disposable } from '../event';
import type { Scheduler } from '../ports';
import type { TrafficSubscribe } from '../traffic/trafficEmitter';
import { decodeSparkplugPayload, type RawPayload } from './sparkplugCodec';
import { readSeq } from './sparkplugSeq';
import { AliasMemory, aliasEntryBytes, keptName } from './aliasMemory';
import {
  addBirth,
  checkSeq,
  DEFAULT_LIMITS,
  nameAt,
  newNode,
  warn,
  type DeviceState,
  type EdgeNodeState,
  type SparkplugLimits,
  type SparkplugWarning,
} from './sparkplugState';
import { isSparkplugTopic, parseSparkplugTopic, type SparkplugTopic } from './sparkplugTopic';

const ANNOUNCE_MS = 100;
const MAX_DROPPED_COUNTED = 1_000;

/** One Sparkplug message as the tracker reads it. */
export interface SparkplugMessage {
  connection: string;
  topic: string;
  payload: Uint8Array;
  time: number;
  /** Its Message Log seq, which alias maps are stamped with. */
  seq?: number;
}

export class SparkplugTracker implements Disposable {
  private readonly nodes = new Map<string, EdgeNodeState>();
  private readonly emitter = new Emitter<void>();
  /** Fires at most every 100 ms after something changed. */
  readonly onDidChange = this.emitter.event;
  private timer: Disposable | undefined;
  private subscription: Disposable | undefined;
  /** Edge nodes not tracked because of `maxNodes`. */
  droppedNodes = 0;
  private readonly droppedNames = new WeakMap<EdgeNodeState, Set<number>>();
  /** Every alias map kept, within `aliasBytesKept`. */
  readonly aliasMemory: AliasMemory;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly limits: SparkplugLimits = DEFAULT_LIMITS,
  ) {
    this.aliasMemory = new AliasMemory(limits.aliasBytesKept);
  }

  /** Listens to the hub's received messages. */
  follow(onTraffic: TrafficSubscribe<{ readonly name: string }>): this {
    this.subscription = onTraffic((event, source) => {
      if (event.kind !== 'in' || !isSparkplugTopic(event.topic)) return;
      this.observe({
        connection: source.name,
        topic: event.topic,
        payload: event.payload,
        time: event.receivedAt,
        ...(event.seq !== undefined ? { seq: event.seq } : {}),
      });
    });
    return this;
  }

  /** Every edge node known, by connection, group and name. */
  edgeNodes(): EdgeNodeState[] {
    return [...this.nodes.values()];
  }

  edgeNode(connection: string, group: string, node: string): EdgeNodeState | undefined {
    return this.nodes.get(key(connection, group, node));
  }

  /**
   * The metric names of a message's aliases, from the birth in force when it arrived (the last
   * NBIRTH/DBIRTH before its log seq): a message decoded after a rebirth keeps the names it was
   * sent with, as long as that birth is among the last `birthsKept`.
   */
  aliasesFor(connection: string, topic: string, seq?: number) {
    const parts = parseSparkplugTopic(topic);
    if (!parts) return undefined;
    const node = this.nodes.get(key(connection, parts.group, parts.node));
    return (alias: string): { name: string } | { unknown: string } => {
      if (!node) return { unknown: 'no birth seen' };
      const device = parts.device === undefined ? undefined : node.devices.get(parts.device);
      const found = (device && nameAt(device, alias, seq)) ?? nameAt(node, alias, seq);
      if (found && 'name' in found) return found;
      return found ?? { unknown: 'no birth seen before it' };
    };
  }

  observe(message: SparkplugMessage): void {
    const parts = parseSparkplugTopic(message.topic);
    if (!parts || parts.type === 'NCMD' || parts.type === 'DCMD') return;
    const node = this.nodeFor(message.connection, parts, message.time);
    if (!node) return;
    node.lastMessageAt = message.time;
    node.connectionLost = undefined;
    const device = parts.device === undefined ? undefined : this.deviceFor(node, parts.device);
    if (parts.device !== undefined && !device) {
      // Not tracked, but its seq is the node's: the node's next message must not read as a gap.
      this.seqOnly(node, undefined, message, parts, true);
      this.announce();
      return;
    }
    if (device) {
      device.lastMessageAt = message.time;
      device.connectionLost = undefined;
    }
    switch (parts.type) {
      case 'NBIRTH':
      case 'DBIRTH':
        this.birth(node, device, message, parts);
        break;
      case 'NDEATH':
        this.nodeDeath(node, message);
        break;
      case 'DDEATH':
      case 'NDATA':
      case 'DDATA':
        this.seqOnly(node, device, message, parts);
        break;
    }
    this.announce();
  }

  /**
   * Our connection `name` dropped: its nodes and devices are unknown (not online) until they are
   * heard from again, and the next seq starts afresh.
   */
  connectionLost(connection: string): void {
    let changed = false;
    for (const node of this.nodes.values()) {
      if (node.connection !== connection) continue;
      for (const holder of [node, ...node.devices.values()]) {
        if (holder.state === 'unknown' && holder.connectionLost) continue;
        holder.state = 'unknown';
        holder.connectionLost = true;
        changed = true;
      }
      node.lastSeq = undefined;
    }
    if (changed) this.announce();
  }

  /** The connection `name` is gone: its nodes and devices, and their alias maps, go too. */
  forgetConnection(connection: string): void {
    for (const [id, node] of this.nodes) {
      if (node.connection !== connection) continue;
      for (const holder of [node, ...node.devices.values()])
        for (const birth of holder.births) this.aliasMemory.forget(birth);
      this.nodes.delete(id);
      this.announce();
    }
  }

  dispose(): void {
    this.subscription?.dispose();
    this.timer?.dispose();
    this.emitter.dispose();
  }

  private birth(
    node: EdgeNodeState,
    device: DeviceState | undefined,
    message: SparkplugMessage,
    parts: SparkplugTopic,
  ): void {
    const payload = this.decode(node, message, parts);
    if (!payload) return;
    const seq = payload.seq === undefined ? undefined : Number(payload.seq) % 256;
    if (parts.type === 'NBIRTH') {
      node.lastSeq = seq;
      node.state = 'online';
      node.warningsSinceBirth = 0;
      const bdSeq = payload.metrics?.find((m) => m.name === 'bdSeq')?.longValue;
      if (bdSeq !== undefined) node.bdSeq = Number(bdSeq);
    } else checkSeq(node, seq, `DBIRTH of ${parts.device}`, message.time, this.limits);
    const target = device ?? node;
    target.state = 'online';
    const names = new Map<string, string>();
    let bytes = 0;
    for (const metric of payload.metrics ?? []) {
      if (metric.alias === undefined || metric.name === undefined) continue;
      if (names.size >= this.limits.maxMetricsPerBirth) {
        this.warn(
          node,
          'limit',
          `${parts.type} names more than ${this.limits.maxMetricsPerBirth} aliases: the rest are not resolved`,
          message,
        );
        break;
      }
      const name = keptName(metric.name, this.limits.maxNameLength);
      names.set(metric.alias, name);
      bytes += aliasEntryBytes(metric.alias, name);
    }
    const kept = { fromSeq: message.seq ?? -1, names, bytes };
    const dropped = addBirth(target, kept, this.limits);
    if (dropped) this.aliasMemory.forget(dropped);
    this.aliasMemory.add(target, kept);
  }

  private nodeDeath(node: EdgeNodeState, message: SparkplugMessage): void {
    const payload = this.decode(node, message, { type: 'NDEATH' } as SparkplugTopic);
    const raw = payload?.metrics?.find((m) => m.name === 'bdSeq')?.longValue;
    const bdSeq = raw === undefined ? undefined : Number(raw);
    if (bdSeq !== undefined && node.bdSeq !== undefined && bdSeq !== node.bdSeq) {
      // A death from an earlier session (its will, published late): the node stays as it is.
      node.bdSeqMismatches++;
      this.warn(
        node,
        'bdSeqMismatch',
        `NDEATH bdSeq ${bdSeq} does not match the NBIRTH's bdSeq ${node.bdSeq}`,
        message,
      );
      return;
    }
    node.state = 'offline';
    for (const device of node.devices.values()) device.state = 'offline';
  }

  private seqOnly(
    node: EdgeNodeState,
    device: DeviceState | undefined,
    message: SparkplugMessage,
    parts: SparkplugTopic,
    untracked = false,
  ): void {
    const name = device?.name ?? parts.device;
    const what = name !== undefined ? `${parts.type} of ${name}` : parts.type;
    const text = `${what} before any birth: its aliases cannot be named`;
    // Once per node and kind of message until a birth, not once per message.
    const unborn = !untracked && (device ?? node).births.length === 0 && parts.type !== 'DDEATH';
    if (unborn && !node.warnings.some((w) => w.text === text))
      this.warn(node, 'dataBeforeBirth', text, message);
    let seq: number | undefined;
    try {
      seq = readSeq(message.payload);
    } catch (error) {
      this.warn(
        node,
        'undecodable',
        `${what} does not decode: ${(error as Error).message}`,
        message,
      );
      return;
    }
    checkSeq(node, seq === undefined ? undefined : seq % 256, what, message.time, this.limits);
    if (device && parts.type === 'DDEATH') device.state = 'offline';
  }

  private decode(node: EdgeNodeState, message: SparkplugMessage, parts: SparkplugTopic) {
    try {
      return decodeSparkplugPayload(message.payload) as RawPayload;
    } catch (error) {
      this.warn(
        node,
        'undecodable',
        `${parts.type} does not decode: ${(error as Error).message}`,
        message,
      );
      return undefined;
    }
  }

  private nodeFor(connection: string, parts: SparkplugTopic, time: number) {
    const id = key(connection, parts.group, parts.node);
    let node = this.nodes.get(id);
    if (node) return node;
    if (this.nodes.size >= this.limits.maxNodes) {
      this.droppedNodes++;
      return undefined;
    }
    node = newNode(connection, parts.group, parts.node, time);
    this.nodes.set(id, node);
    return node;
  }

  private deviceFor(node: EdgeNodeState, name: string): DeviceState | undefined {
    let device = node.devices.get(name);
    if (device) return device;
    if (node.devices.size >= this.limits.maxDevicesPerNode) {
      this.countDropped(node, name);
      return undefined;
    }
    device = { name, state: 'unknown', lastMessageAt: node.lastMessageAt, births: [] };
    node.devices.set(name, device);
    return device;
  }

  /** Counts a device not tracked once by its name (remembered as a hash, up to 1,000 a node). */
  private countDropped(node: EdgeNodeState, name: string): void {
    let seen = this.droppedNames.get(node);
    if (!seen) this.droppedNames.set(node, (seen = new Set()));
    const hash = fnv1a(name);
    if (seen.has(hash) || seen.size >= MAX_DROPPED_COUNTED) return;
    seen.add(hash);
    node.droppedDevices = seen.size;
  }

  private warn(
    node: EdgeNodeState,
    kind: SparkplugWarning['kind'],
    text: string,
    message: SparkplugMessage,
  ): void {
    warn(node, kind, text, message.time, this.limits);
  }

  private announce(): void {
    if (this.timer) return;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, ANNOUNCE_MS);
  }
}

function key(connection: string, group: string, node: string): string {
  return `${connection}\u0000${group}\u0000${node}`;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
