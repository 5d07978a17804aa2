/**
 * A chart's real core parts for tests: a MessageStore fed by a TrafficLog from a traffic hub
 * (TrafficEmitter) the test fires into, as sessions do, and a ChartSeriesSet made on them. The
 * scheduler holds the set's 100 ms batches until the test flushes them (or runs on real time).
 */
import {
  ChartSeriesSet,
  type ChartSeriesOptions,
  type ChartSpec,
} from '../../src/core/charts/chartSeriesSet';
import { MessageStore } from '../../src/core/store/messageStore';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import type { ReceivedMessage } from '../../src/core/traffic/trafficTypes';
import { TestScheduler } from './testScheduler';

export class ChartRig {
  readonly scheduler: TestScheduler;
  readonly store: MessageStore;
  readonly hub = new TrafficEmitter<{ readonly name: string }>();
  private readonly log: TrafficLog;
  private readonly sets: ChartSeriesSet[] = [];

  constructor(o: { realTime?: boolean; maxMessages?: number } = {}) {
    this.scheduler = new TestScheduler({ realTime: o.realTime });
    this.store = new MessageStore({
      scheduler: this.scheduler,
      maxMessages: o.maxMessages ?? 100_000,
      maxBytes: 256 * 1024 * 1024,
    });
    this.log = new TrafficLog(this.store, this.hub.event);
  }

  /** A message received by connection `connection`, through the hub (stored, then charted). */
  receive(
    topic: string,
    payload: string | Uint8Array,
    o: { connection?: string; time?: number } = {},
  ): void {
    const message: ReceivedMessage = {
      kind: 'in',
      topic,
      payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
      qos: 0,
      retain: false,
      dup: false,
      receivedAt: o.time ?? this.scheduler.now(),
    };
    this.hub.fire(message, { name: o.connection ?? 'local' });
  }

  chart(
    spec: Partial<ChartSpec> & { topicFilter: string },
    o: Partial<ChartSeriesOptions> = {},
  ): ChartSeriesSet {
    const set = new ChartSeriesSet(
      { connection: 'local', field: '', ...spec },
      { store: this.store, onTraffic: this.hub.event, scheduler: this.scheduler, ...o },
    );
    this.sets.push(set);
    return set;
  }

  dispose(): void {
    for (const set of this.sets) set.dispose();
    this.log.dispose();
    this.store.dispose();
  }
}
