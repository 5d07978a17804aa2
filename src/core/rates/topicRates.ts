/**
 * Who floods: per connection and topic, the messages and bytes of the last 60 seconds in
 * one-second buckets, fed by the traffic hub (received messages only, as the topic explorer counts them). The cost per message is
 * a map lookup and two increments; the buckets roll on a one-second timer that runs only while
 * something is tracked. Memory is bounded: at most `maxTopics` counters holding at most
 * `maxTopicChars` characters of topic names, a topic quiet for 60 s is dropped, and messages on
 * topics beyond either cap are counted per connection ("untracked").
 */
import { Emitter, type Disposable, type Event } from '../event';
import type { Scheduler } from '../ports';
import type { TrafficEvent } from '../traffic/trafficTypes';
import type { TrafficSubscribe } from '../traffic/trafficEmitter';
import { RATE_SECONDS, RateCounter, type RateWindow } from './rateCounter';

export { RATE_SECONDS, SHORT_WINDOW, type RateWindow } from './rateCounter';

export const DEFAULT_MAX_RATE_TOPICS = 10_000;
/** Characters of topic names tracked at most (topics may be 65,535 characters long). */
export const DEFAULT_MAX_RATE_TOPIC_CHARS = 4_000_000;
/** A roll names at most this many topics that went quiet; more, and it says "many". */
const MAX_QUIETED = 200;

export type RateSort = 'msgs' | 'bytes';

export interface RankingQuery {
  /** One connection, or every connection when absent. */
  connection?: string;
  window: RateWindow;
  sort: RateSort;
  limit: number;
}

export interface RankedTopic {
  connection: string;
  topic: string;
  msgsPerSecond: number;
  bytesPerSecond: number;
  /** The last 60 seconds of the sorted measure, oldest first. */
  spark: number[];
}

export interface RatesRoll {
  /** Topics whose 10 s rate fell to zero at this roll (a shown rate to redraw). */
  quieted: { connection: string; topic: string }[];
  /** More topics went quiet than `quieted` names. */
  many: boolean;
}

export interface TopicRatesOptions {
  scheduler: Scheduler;
  maxTopics?: number;
  /** Characters of tracked topic names at most (default 4,000,000). */
  maxTopicChars?: number;
}

export class TopicRates implements Disposable {
  private readonly connections = new Map<string, Map<string, RateCounter>>();
  /** Per connection: the messages on topics not tracked (the cap was reached), as a counter. */
  private readonly overflow = new Map<string, RateCounter>();
  private tracked = 0;
  /** Characters of the tracked topics' names. */
  private trackedChars = 0;
  private head = 0;
  private timer: Disposable | undefined;
  private lastRoll = 0;
  private lastName: string | undefined;
  private lastMap: Map<string, RateCounter> | undefined;
  private readonly subscription: Disposable;
  private readonly rolled = new Emitter<RatesRoll>();
  /** Fires once a second while anything is tracked, after the buckets rolled. */
  readonly onDidRoll: Event<RatesRoll> = this.rolled.event;

  constructor(
    onTraffic: TrafficSubscribe<{ readonly name: string }>,
    private readonly options: TopicRatesOptions,
  ) {
    this.subscription = onTraffic((event, source) => this.count(event, source.name));
  }

  /** Topics tracked now, across connections. */
  get size(): number {
    return this.tracked;
  }

  get maxTopics(): number {
    return this.options.maxTopics ?? DEFAULT_MAX_RATE_TOPICS;
  }

  /** Connections with tracked traffic, by name. */
  connectionNames(): string[] {
    const names = new Set([...this.connections.keys(), ...this.overflow.keys()]);
    return [...names].sort();
  }

  /** Messages per second on a topic over the last 10 s; undefined when it is not tracked. */
  rate(connection: string, topic: string, window: RateWindow = 10): number | undefined {
    return this.connections.get(connection)?.get(topic)?.msgsPerSecond(window);
  }

  /** Messages per second, over the window, on topics that were not tracked (cap reached). */
  untracked(connection: string | undefined, window: RateWindow): number {
    let sum = 0;
    for (const [name, c] of this.overflow)
      if (connection === undefined || name === connection) sum += c.msgsPerSecond(window);
    return sum;
  }

  /** The busiest topics over a window, with the last 60 seconds of each for a sparkline. */
  ranking(q: RankingQuery): RankedTopic[] {
    const candidates: { c: RateCounter; v: number }[] = [];
    for (const [name, map] of this.connections) {
      if (q.connection !== undefined && name !== q.connection) continue;
      for (const c of map.values()) {
        const v = q.sort === 'msgs' ? c.msgsPerSecond(q.window) : c.bytesPerSecond(q.window);
        if (v > 0) candidates.push({ c, v });
      }
    }
    candidates.sort(
      (a, b) => b.v - a.v || (a.c.topic < b.c.topic ? -1 : a.c.topic > b.c.topic ? 1 : 0),
    );
    return candidates.slice(0, Math.max(0, q.limit)).map(({ c }) => ({
      connection: c.connection,
      topic: c.topic,
      msgsPerSecond: c.msgsPerSecond(q.window),
      bytesPerSecond: c.bytesPerSecond(q.window),
      spark: c.series(this.head, q.sort),
    }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.timer?.dispose();
    this.timer = undefined;
    this.connections.clear();
    this.overflow.clear();
    this.rolled.dispose();
  }

  /** The hot path: for a topic seen before, a map lookup and two increments. */
  private count(event: TrafficEvent, connection: string): void {
    if (event.kind !== 'in') return;
    let map = this.lastMap;
    if (connection !== this.lastName || !map) map = this.mapOf(connection);
    const counter = map.get(event.topic) ?? this.add(map, connection, event.topic);
    counter.msgs++;
    counter.bytes += event.payload.byteLength;
  }

  private mapOf(connection: string): Map<string, RateCounter> {
    let map = this.connections.get(connection);
    if (!map) this.connections.set(connection, (map = new Map()));
    this.lastName = connection;
    this.lastMap = map;
    return map;
  }

  /** A new topic's counter, or the connection's overflow counter when the cap is reached. */
  private add(map: Map<string, RateCounter>, connection: string, topic: string): RateCounter {
    this.start();
    const maxChars = this.options.maxTopicChars ?? DEFAULT_MAX_RATE_TOPIC_CHARS;
    if (this.tracked >= this.maxTopics || this.trackedChars + topic.length > maxChars) {
      let over = this.overflow.get(connection);
      if (!over) this.overflow.set(connection, (over = new RateCounter(connection, '')));
      return over;
    }
    // Its first second is partial: from now to the next roll.
    const rest = (this.lastRoll + 1000 - this.options.scheduler.now()) / 1000;
    const counter = new RateCounter(connection, topic, Math.min(1, Math.max(0.001, rest)));
    map.set(topic, counter);
    this.tracked++;
    this.trackedChars += topic.length;
    return counter;
  }

  private start(): void {
    if (this.timer) return;
    this.lastRoll = this.options.scheduler.now();
    this.timer = this.options.scheduler.setTimeout(() => this.tick(), 1000);
  }

  /** Rolls once per elapsed second (a stalled event loop rolls the seconds it missed). */
  private tick(): void {
    this.timer = undefined;
    const now = this.options.scheduler.now();
    const steps = Math.min(RATE_SECONDS, Math.max(1, Math.round((now - this.lastRoll) / 1000)));
    this.lastRoll += steps * 1000;
    const roll: RatesRoll = { quieted: [], many: false };
    for (let i = 0; i < steps; i++) this.rollOnce(roll);
    if (this.tracked > 0 || this.overflow.size > 0) {
      this.timer = this.options.scheduler.setTimeout(
        () => this.tick(),
        Math.max(0, this.lastRoll + 1000 - now),
      );
    }
    this.rolled.fire(roll);
  }

  private rollOnce(roll: RatesRoll): void {
    this.head = (this.head + 1) % RATE_SECONDS;
    const head = this.head;
    for (const [name, map] of this.connections) {
      for (const [topic, c] of map) {
        if (c.roll(head)) {
          if (roll.quieted.length < MAX_QUIETED) roll.quieted.push({ connection: name, topic });
          else roll.many = true;
        }
        // Quiet for the whole ring: every sum is zero, nothing to show.
        if (c.quiet >= RATE_SECONDS) {
          map.delete(topic);
          this.tracked--;
          this.trackedChars -= topic.length;
        }
      }
      if (map.size === 0) {
        this.connections.delete(name);
        if (this.lastName === name) this.lastMap = this.lastName = undefined;
      }
    }
    for (const [name, c] of this.overflow) {
      c.roll(head);
      if (c.quiet >= RATE_SECONDS) this.overflow.delete(name);
    }
  }
}
