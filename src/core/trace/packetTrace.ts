/**
 * The packet trace of every connection that has it on: each MQTT packet sent or received, kept
 * in a bounded ring per connection (`TraceRing`), with its time to the microsecond
 * (`performance.timeOrigin + performance.now()`), its size on the wire, the round trip of each
 * acknowledged exchange and, for a PUBLISH, its entry in the Message Log (`TraceLinks`).
 *
 * It listens to the traffic hub only while at least one connection is traced, and only then
 * asks for packet events, so a trace that is off costs nothing. It announces new entries at
 * most every 100 ms (`onDidChange`, with the names of the connections that grew).
 */
import { performance } from 'node:perf_hooks';
import type { Packet } from 'mqtt';
import { Emitter, type Disposable, type Event } from '../event';
import type { Scheduler } from '../ports';
import type { TrafficEvent } from '../traffic/trafficTypes';
import type { TrafficSubscribe } from '../traffic/trafficEmitter';
import { receivedSize, sentSize, snapshotPacket } from './packetSnapshot';
import { TraceLinks } from './traceLinks';
import { TraceRing } from './traceRing';
import { packetTypeName } from './traceText';
import type { TraceDirection, TraceEntry } from './traceTypes';

export const DEFAULT_TRACE_CAPACITY = 10_000;
const NOTIFY_MS = 100;

/** What the trace needs of a session. */
export interface TraceSource {
  readonly name: string;
  readonly profile: { readonly protocolVersion: 4 | 5 };
}

export interface PacketTraceDeps {
  scheduler: Scheduler;
  /** Entries kept per connection. */
  capacity?: number;
  /** Epoch milliseconds with a fraction; by default `performance.timeOrigin + performance.now()`. */
  clock?: () => number;
}

interface ConnectionTrace {
  ring: TraceRing;
  links: TraceLinks;
  on: boolean;
}

const origin = performance.timeOrigin;
const preciseNow = () => origin + performance.now();
// Called per packet: bound once here, so no call goes through a module's export binding.
const snapshotOf = snapshotPacket;
const sizeReceived = receivedSize;
const typeName = packetTypeName;

export class PacketTrace implements Disposable {
  private readonly traces = new Map<string, ConnectionTrace>();
  /** Set by the command for the running session; wins over the profile until that changes. */
  private readonly overrides = new Map<string, boolean>();
  private readonly fromProfiles = new Map<string, boolean>();
  private subscription: Disposable | undefined;
  private capacity: number;
  private readonly clock: () => number;
  private readonly changeEmitter = new Emitter<readonly string[]>();
  /** Connections whose trace changed (grew, cleared, turned on or off), at most every 100 ms. */
  readonly onDidChange: Event<readonly string[]> = this.changeEmitter.event;
  private changed = new Set<string>();
  private readonly tracedEmitter = new Emitter<string>();
  /** A connection's trace was turned on or off (at once). */
  readonly onDidChangeTraced: Event<string> = this.tracedEmitter.event;
  private timer: Disposable | undefined;

  constructor(
    private readonly onTraffic: TrafficSubscribe<TraceSource>,
    private readonly deps: PacketTraceDeps,
  ) {
    this.capacity = deps.capacity ?? DEFAULT_TRACE_CAPACITY;
    this.clock = deps.clock ?? preciseNow;
  }

  isTraced(name: string): boolean {
    return this.traces.get(name)?.on === true;
  }

  /** Connections that have a trace (on now, or on before and kept), by name. */
  connections(): string[] {
    return [...this.traces.keys()].sort();
  }

  /**
   * Follows the profiles' `packetTrace`, except where the command set a connection and its
   * profile's `packetTrace` has not changed since.
   */
  applyProfiles(profiles: readonly { name: string; packetTrace?: boolean }[]): void {
    for (const p of profiles) {
      const wanted = p.packetTrace === true;
      if (this.fromProfiles.get(p.name) !== wanted) this.overrides.delete(p.name);
      this.fromProfiles.set(p.name, wanted);
      this.setOn(p.name, this.overrides.get(p.name) ?? wanted);
    }
  }

  /** Turns a connection's trace on or off for the running session (not the settings). */
  setTraced(name: string, on: boolean): void {
    this.overrides.set(name, on);
    this.setOn(name, on);
  }

  /** Entries kept per connection from now on; a trace that holds more keeps its newest. */
  setCapacity(capacity: number): void {
    if (capacity === this.capacity) return;
    this.capacity = capacity;
    for (const [name, trace] of this.traces) {
      const old = trace.ring;
      const first = Math.max(old.start, old.end - capacity);
      // Numbered on from the first entry kept: the view's indexes and the links stay right.
      const ring = new TraceRing(capacity, first);
      for (const e of old.page(first, capacity)) ring.push(e);
      trace.ring = ring;
      this.announce(name);
    }
  }

  /** The indexes a connection's trace holds: [start, end). */
  range(name: string): { start: number; end: number } {
    const ring = this.traces.get(name)?.ring;
    return ring ? { start: ring.start, end: ring.end } : { start: 0, end: 0 };
  }

  page(name: string, from: number, count: number): TraceEntry[] {
    return this.traces.get(name)?.ring.page(from, count) ?? [];
  }

  get(name: string, index: number): TraceEntry | undefined {
    return this.traces.get(name)?.ring.get(index);
  }

  /** The newest entry of a connection's trace that carries a Message Log entry. */
  findBySeq(name: string, seq: number): TraceEntry | undefined {
    const ring = this.traces.get(name)?.ring;
    if (!ring) return undefined;
    for (let i = ring.end - 1; i >= ring.start; i--)
      if (ring.get(i)?.seq === seq) return ring.get(i);
    return undefined;
  }

  clear(name: string): void {
    this.traces.get(name)?.ring.clear();
    this.announce(name);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.timer?.dispose();
    this.changeEmitter.dispose();
    this.tracedEmitter.dispose();
    this.traces.clear();
  }

  private setOn(name: string, on: boolean): void {
    let trace = this.traces.get(name);
    if (!trace && !on) return;
    if (!trace) {
      trace = { ring: new TraceRing(this.capacity), links: new TraceLinks(), on };
      this.traces.set(name, trace);
    } else if (trace.on === on) return;
    trace.on = on;
    if (!on) trace.links = new TraceLinks();
    this.listen();
    this.announce(name);
    this.tracedEmitter.fire(name);
  }

  /** Listens to the hub while any connection is traced, and only then. */
  private listen(): void {
    const any = [...this.traces.values()].some((t) => t.on);
    if (any && !this.subscription)
      this.subscription = this.onTraffic(this.record, { packets: true });
    else if (!any && this.subscription) {
      this.subscription.dispose();
      this.subscription = undefined;
    }
  }

  private readonly record = (event: TrafficEvent, source: TraceSource): void => {
    // The received path first: untraced messages carry no packet.
    if (event.kind === 'in' && event.packet === undefined) return;
    const trace = this.traces.get(source.name);
    if (!trace?.on) return;
    switch (event.kind) {
      case 'packet':
        this.add(trace, event.direction, event.packet, source.profile.protocolVersion);
        this.announce(source.name);
        return;
      case 'in':
        trace.links.linkReceived(event);
        return;
      case 'out':
        trace.links.queued(event);
        return;
      case 'outcome':
        trace.links.settled(event);
        return;
    }
  };

  private add(
    trace: ConnectionTrace,
    direction: TraceDirection,
    packet: Packet,
    version: 4 | 5,
  ): void {
    const time = this.clock();
    const id = (packet as { messageId?: number }).messageId;
    const size = direction === 'received' ? sizeReceived(packet) : sentSize(packet, version);
    const packetId = typeof id === 'number' ? id : undefined;
    const protocolVersion = packet.cmd === 'connect' ? connectVersion(packet, version) : version;
    // A full ring fills its oldest entry again (readers copy what they read at once).
    const old = trace.ring.recyclable;
    let entry: TraceEntry;
    if (old) {
      entry = old;
      entry.direction = direction;
      entry.type = typeName(packet.cmd);
      entry.time = time;
      entry.size = size;
      entry.packetId = packetId;
      entry.protocolVersion = protocolVersion;
      entry.snapshot = snapshotOf(packet, old.snapshot);
      entry.rttMs = undefined;
      entry.seq = undefined;
    } else {
      entry = {
        index: 0,
        direction,
        type: typeName(packet.cmd),
        time,
        size,
        packetId,
        protocolVersion,
        snapshot: snapshotOf(packet),
        rttMs: undefined,
        seq: undefined,
      };
    }
    trace.links.add(trace.ring.push(entry), packet);
  }

  private announce(name: string): void {
    this.changed.add(name);
    if (this.timer) return;
    this.timer = this.deps.scheduler.setTimeout(() => {
      this.timer = undefined;
      const names = [...this.changed];
      this.changed = new Set();
      this.changeEmitter.fire(names);
    }, NOTIFY_MS);
  }
}

function connectVersion(packet: Packet, fallback: 4 | 5): 4 | 5 {
  const v = (packet as { protocolVersion?: number }).protocolVersion;
  return v === 5 ? 5 : v === 3 || v === 4 ? 4 : fallback;
}
