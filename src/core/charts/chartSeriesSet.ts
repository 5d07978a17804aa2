/**
 * The series of one chart: a connection, a topic filter and a numeric field; one series per
 * matching topic. It starts from the history in the message store (the newest stored messages
 * on those topics, bounded) and then follows the traffic hub, decoding only messages on matching
 * topics. Points are kept in a bounded ring per series, and changes are announced at most every
 * `batchMs` (100 ms), so a flood of messages means a few updates a second, never one per message.
 */
import { Emitter, type Disposable, type Event } from '../event';
import type { Scheduler } from '../ports';
import type { MessagePage, PageRequest } from '../store/messageStoreTypes';
import type { TrafficSubscribe } from '../traffic/trafficEmitter';
import { topicMatches } from '../topics/topics';
import { parsePath, type PathStep } from './numericFields';
import {
  fieldValue,
  type DecoderRuleOf,
  type MetricAliasOf,
  type PayloadSource,
} from './payloadFields';
import { SeriesRing } from './seriesRing';

export interface ChartSpec {
  connection: string;
  /** A topic or a filter ("plant/+/telemetry", "demo/#"). */
  topicFilter: string;
  /** A field path (numericFields.ts); "" is the payload as a number. */
  field: string;
}

export interface ChartSeriesOptions {
  /** The message store's paging (history). */
  store: { page(request: PageRequest): MessagePage };
  onTraffic: TrafficSubscribe<{ readonly name: string }>;
  scheduler: Scheduler;
  decoderRule?: DecoderRuleOf;
  /** Names Sparkplug B metrics sent by alias (the charted connection's births). */
  metricAlias?: MetricAliasOf;
  /** Points per series (default 50,000). */
  capacity?: number;
  /** Topics charted at most; more matching topics are counted, not charted (default 20). */
  maxSeries?: number;
  /** Stored messages read for the history at most (default 20,000). */
  historyMessages?: number;
  batchMs?: number;
}

export interface ChartSeries {
  topic: string;
  ring: SeriesRing;
}

/** Topics remembered as matching or not, before the cache starts over. */
const MATCH_CACHE = 10_000;
/** Longer topics are matched each time, not remembered (topics may be 65,535 characters). */
const CACHED_TOPIC_CHARS = 256;

export class ChartSeriesSet implements Disposable {
  private readonly byTopic = new Map<string, ChartSeries>();
  private readonly matches = new Map<string, boolean>();
  /** Topics left out: short ones by name, longer ones by a hash (a count, bounded memory). */
  private readonly skipped = new Set<string | number>();
  private readonly steps: readonly PathStep[];
  private readonly changed = new Emitter<void>();
  /** Fires at most every `batchMs` after points were added. */
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly subscription: Disposable;
  private timer: Disposable | undefined;
  /** Messages on a charted topic that had no number at the field. */
  unreadable = 0;
  /** Points added since the set was made (history and live). */
  received = 0;
  readonly history = { scanned: 0, points: 0 };

  constructor(
    readonly spec: ChartSpec,
    private readonly o: ChartSeriesOptions,
  ) {
    const parsed = parsePath(spec.field);
    if ('error' in parsed) throw new Error(parsed.error);
    this.steps = parsed.steps;
    this.loadHistory();
    this.subscription = o.onTraffic((event, source) => {
      if (event.kind !== 'in' || source.name !== spec.connection) return;
      if (!this.matchesTopic(event.topic)) return;
      this.add(event, event.receivedAt);
    });
  }

  /** The series, in the order their topics first had a point. */
  series(): ChartSeries[] {
    return [...this.byTopic.values()];
  }

  /** Matching topics not charted because the chart has `maxSeries` already. */
  get skippedTopics(): number {
    return this.skipped.size;
  }

  dispose(): void {
    this.subscription.dispose();
    this.timer?.dispose();
    this.timer = undefined;
    this.changed.dispose();
  }

  private loadHistory(): void {
    const { spec } = this;
    const page = this.o.store.page({
      limit: this.o.historyMessages ?? 20_000,
      maxScan: 1_000_000,
      filter: { topicFilter: spec.topicFilter, connection: spec.connection, direction: 'in' },
    });
    this.history.scanned = page.scanned;
    for (const entry of page.entries) this.add(entry, entry.time);
    this.history.points = this.received;
  }

  private matchesTopic(topic: string): boolean {
    if (topic.length > CACHED_TOPIC_CHARS) return topicMatches(this.spec.topicFilter, topic);
    let hit = this.matches.get(topic);
    if (hit === undefined) {
      if (this.matches.size >= MATCH_CACHE) this.matches.clear();
      hit = topicMatches(this.spec.topicFilter, topic);
      this.matches.set(topic, hit);
    }
    return hit;
  }

  private add(message: PayloadSource, time: number): void {
    let series = this.byTopic.get(message.topic);
    if (!series) {
      if (this.byTopic.size >= (this.o.maxSeries ?? 20)) {
        if (this.skipped.size < MATCH_CACHE) this.skipped.add(skipKey(message.topic));
        return;
      }
    }
    const value = fieldValue(message, this.steps, this.o.decoderRule, this.o.metricAlias);
    if (value === undefined) {
      this.unreadable++;
      return;
    }
    if (!series) {
      series = { topic: message.topic, ring: new SeriesRing(this.o.capacity ?? 50_000) };
      this.byTopic.set(message.topic, series);
    }
    series.ring.push(time, value);
    this.received++;
    this.timer ??= this.o.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, this.o.batchMs ?? 100);
  }
}

/** A short topic itself; a longer one as a 32-bit FNV-1a hash of its characters. */
function skipKey(topic: string): string | number {
  if (topic.length <= CACHED_TOPIC_CHARS) return topic;
  let hash = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) hash = Math.imul(hash ^ topic.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
