/**
 * A fake extension host for the Message Log webview, built from the real core: a MessageStore,
 * a LogView over it and the row/detail/filter conversions of src/core/log/logRows.ts answer the
 * protocol exactly as the real host's messages are shaped. Every request is recorded so tests
 * can assert on what the webview asked for.
 */
import { LogView, type FilterOutcome } from '../../src/core/log/logView';
import { toLogDetail, toLogRow, toMessageFilter } from '../../src/core/log/logRows';
import { MessageStore, type MessageInput } from '../../src/core/store/messageStore';
import type { Disposable } from '../../src/core/event';
import type { Scheduler } from '../../src/core/ports';
import type {
  Direction,
  HostToWebview,
  LogFilter,
  LogStats,
  RowsRequest,
  WebviewToHost,
} from '../../src/protocol/messageLog';
import { validateWebviewMessage } from '../../src/protocol/validateWebviewMessage';

/** Real timers, but a clock the tests may pin (times shown in the grid are then predictable). */
class TestScheduler implements Scheduler {
  fixedNow: number | undefined;
  setTimeout(callback: () => void, ms: number): Disposable {
    const t = setTimeout(callback, ms);
    return { dispose: () => clearTimeout(t) };
  }
  now(): number {
    return this.fixedNow ?? Date.now();
  }
}

export interface FakeHostOptions {
  maxMessages?: number;
  maxBytes?: number;
  connections?: string[];
  /** The time limit on one batch of a regex filter (milliseconds). */
  filterLimitMs?: number;
}

export interface AddOptions {
  connection?: string;
  direction?: Direction;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  dup?: boolean;
  properties?: Record<string, unknown>;
  /** What the message carried when its properties were cut on receipt. */
  propertiesTruncated?: { count: number; bytes: number };
  time?: number;
}

export class FakeHost {
  readonly scheduler = new TestScheduler();
  readonly store: MessageStore;
  readonly view: LogView;
  filter: LogFilter = {};
  connections: string[];
  /** Every well-formed message the webview sent, in order. */
  readonly requests: WebviewToHost[] = [];
  /** Why each malformed message the webview sent was ignored, as the real host logs it. */
  readonly ignored: string[] = [];
  /** Runs before a rows request is answered: messages may arrive between request and reply. */
  beforeRows: ((request: RowsRequest) => void) | undefined;
  /** Set by the harness: posts a message into the page (in order). */
  deliver: (message: HostToWebview) => Promise<void> = async () => undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private lastSentStats = '';

  constructor(o: FakeHostOptions = {}) {
    this.store = new MessageStore({
      scheduler: this.scheduler,
      maxMessages: o.maxMessages ?? 100_000,
      maxBytes: o.maxBytes ?? 512 * 1024 * 1024,
    });
    this.view = new LogView(this.store, { limitMs: o.filterLimitMs });
    // As the real host: a payload filter's rows found in the background are announced.
    this.view.onDidUpdate(() => void this.sendStats());
    this.connections = o.connections ?? ['local'];
  }

  stats(): LogStats {
    const s = this.store.stats();
    return {
      total: this.view.length,
      stored: s.count,
      evicted: s.evicted,
      lastSeq: s.lastSeq,
      outcomes: this.store.outcomesRevision,
    };
  }

  add(topic: string, payload: string | Uint8Array, o: AddOptions = {}): number {
    const message: MessageInput = {
      topic,
      payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
      qos: o.qos ?? 0,
      retain: o.retain ?? false,
      dup: o.dup ?? false,
      properties: o.properties,
      propertiesTruncated: o.propertiesTruncated,
      receivedAt: o.time,
    };
    return this.store.append(o.connection ?? this.connections[0], o.direction ?? 'in', message);
  }

  /** Appends `count` small JSON messages over `topics` topics. */
  fill(count: number, topics = 100, time = Date.now()): void {
    const payloads = Array.from({ length: 64 }, (_, i) =>
      Buffer.from(JSON.stringify({ t: 20 + (i % 10), h: 40 + i })),
    );
    for (let i = 0; i < count; i++) {
      this.store.append(this.connections[0], i % 7 === 0 ? 'out' : 'in', {
        topic: `sensors/dev${i % topics}/temp`,
        payload: payloads[i & 63],
        qos: (i % 3) as 0 | 1 | 2,
        retain: i % 10 === 0,
        receivedAt: time,
      });
    }
  }

  async sendStats(force = false): Promise<void> {
    const stats = this.stats();
    const key = JSON.stringify(stats);
    if (!force && key === this.lastSentStats) return;
    this.lastSentStats = key;
    await this.deliver({ type: 'stats', stats });
  }

  /** Sends stats every `ms` while they change, as the real host does. */
  startStats(ms = 100): void {
    this.stopStats();
    this.statsTimer = setInterval(() => void this.sendStats(), ms);
  }

  stopStats(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  /** "Show Messages" on a topic: the host sets the filter. */
  async changeFilter(filter: LogFilter): Promise<void> {
    const { filter: mf, error } = toMessageFilter(filter);
    if (error) throw new Error(error);
    const outcome = await this.view.setFilter(mf);
    if (outcome.kind !== 'applied') throw new Error(`the filter was not applied: ${outcome.kind}`);
    this.filter = filter;
    await this.deliver({ type: 'filterChanged', filter, stats: this.stats() });
  }

  async select(seq: number): Promise<void> {
    await this.deliver({ type: 'select', seq, index: this.view.indexOf(seq) });
  }

  async setConnections(names: string[]): Promise<void> {
    this.connections = names;
    await this.deliver({ type: 'connections', connections: names });
  }

  ofType<T extends WebviewToHost['type']>(type: T): Extract<WebviewToHost, { type: T }>[] {
    return this.requests.filter((r) => r.type === type) as Extract<WebviewToHost, { type: T }>[];
  }

  /** A message posted by the page: checked as the real host checks it, then answered. */
  handle(data: unknown): void {
    const checked = validateWebviewMessage(data);
    if (!checked.ok) {
      this.ignored.push(checked.problem);
      return;
    }
    const m = checked.message;
    this.requests.push(m);
    switch (m.type) {
      case 'ready':
        void this.deliver({
          type: 'init',
          stats: this.stats(),
          connections: this.connections,
          filter: this.filter,
        });
        break;
      case 'rows': {
        this.beforeRows?.(m);
        const rows = this.view.rows(m.start, m.count).map(toLogRow);
        void this.deliver({
          type: 'rows',
          requestId: m.requestId,
          start: m.start,
          rows,
          stats: this.stats(),
        });
        break;
      }
      case 'detail': {
        const entry = this.store.get(m.seq);
        if (!entry) {
          void this.deliver({
            type: 'detail',
            requestId: m.requestId,
            error: 'This message is no longer stored (evicted).',
          });
          break;
        }
        const detail = toLogDetail(entry, this.store.previousOnTopic(m.seq), m.full === true);
        void this.deliver({ type: 'detail', requestId: m.requestId, detail });
        break;
      }
      case 'setFilter': {
        const { filter, error } = toMessageFilter(m.filter);
        if (error) {
          void this.deliver({
            type: 'filter',
            requestId: m.requestId,
            filter: this.filter,
            error,
            stats: this.stats(),
          });
          break;
        }
        void this.view.setFilter(filter).then((outcome: FilterOutcome) => {
          if (outcome.kind === 'applied') this.filter = m.filter;
          return this.deliver({
            type: 'filter',
            requestId: m.requestId,
            filter: this.filter,
            stoppedAfterMs: outcome.kind === 'stopped' ? outcome.limitMs : undefined,
            stats: this.stats(),
          });
        });
        break;
      }
      case 'locate':
        void this.deliver({
          type: 'locate',
          requestId: m.requestId,
          seq: m.seq,
          index: this.view.indexOf(m.seq),
          stored: this.store.get(m.seq) !== undefined,
          stats: this.stats(),
        });
        break;
      case 'clear':
        this.store.clear();
        void this.sendStats(true);
        break;
      case 'action':
        break;
    }
  }

  dispose(): void {
    this.stopStats();
    this.view.dispose();
    this.store.dispose();
  }
}
