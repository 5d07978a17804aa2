/**
 * The host side of the browser tests: the REAL Message Log binding (src/host/messageLog) over a
 * real MessageStore, on a RecordingChannel the harness bridges into the page. What is here only
 * drives or watches those real parts: messages to append, a store whose announcements the test
 * releases (`announce`), and a record of what the page asked for and what the binding ignored.
 */
import type { RuleChoice } from '../../src/core/decoders/registry';
import { MessageStore, type MessageInput } from '../../src/core/store/messageStore';
import {
  MessageLogBinding,
  type MessageLogOptions,
} from '../../src/host/messageLog/messageLogBinding';
import { untranslated } from '../../src/host/webviewChannel';
import type {
  Direction,
  HostToWebview,
  LogAction,
  LogFilter,
  RowsRequest,
  WebviewToHost,
} from '../../src/protocol/messageLog';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';
import { TestScheduler } from '../support/testScheduler';

export interface LogHostOptions {
  maxMessages?: number;
  maxBytes?: number;
  connections?: string[];
  /** The time limit on one batch of a regex filter (milliseconds). */
  filterLimitMs?: number;
  /** The `mqttScope.decoders` rule for a topic, as the extension passes it. */
  decoderRule?: (topic: string) => RuleChoice | undefined;
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

export class LogHost {
  readonly scheduler = new TestScheduler();
  readonly store: MessageStore;
  readonly channel = new RecordingChannel<HostToWebview>();
  readonly logger = new RecordingLogger();
  connections: string[];
  /** Every well-formed message the page sent, in order, as the binding received it. */
  readonly requests: WebviewToHost[] = [];
  /** The actions the page asked for. */
  readonly actions: { action: LogAction; seq: number }[] = [];
  /** The topic filter of each MQTT 5 subscription identifier (of every connection). */
  readonly subscriptionFilters = new Map<number, string>();
  /** The `.mqtt` block of a row, by seq (the detail's "From"). */
  readonly origins = new Map<number, { label: string }>();
  /** Errors the binding would show the user. */
  readonly shownErrors: string[] = [];
  /** Runs before a rows request is answered: messages may arrive between request and reply. */
  beforeRows: ((request: RowsRequest) => void) | undefined;
  private bindingInstance: MessageLogBinding;
  private decoding = 0;

  constructor(private readonly o: LogHostOptions = {}) {
    this.store = new MessageStore({
      scheduler: this.scheduler,
      maxMessages: o.maxMessages ?? 100_000,
      maxBytes: o.maxBytes ?? 512 * 1024 * 1024,
    });
    this.connections = o.connections ?? ['local'];
    this.bindingInstance = this.bind();
  }

  get binding(): MessageLogBinding {
    return this.bindingInstance;
  }

  /** The filter in force in the binding. */
  get filter(): LogFilter {
    return this.binding.filter;
  }

  /** Why each malformed message the page sent was ignored, as the binding logged it. */
  get ignored(): string[] {
    const prefix = 'Message Log: ignored a malformed message from the webview: ';
    return this.logger
      .at('warn')
      .filter((line) => line.startsWith(prefix))
      .map((line) => line.slice(prefix.length));
  }

  /** A new binding on the same page and store, as after a window reload: unfiltered again. */
  restart(): void {
    this.bindingInstance.dispose();
    this.bindingInstance = this.bind();
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

  /** Lets the store announce what was appended (the binding then posts stats); delivered. */
  async announce(): Promise<void> {
    this.scheduler.flush();
    await this.channel.idle();
  }

  /** "Show Messages" on a topic: the host sets the filter. */
  async changeFilter(filter: LogFilter): Promise<void> {
    await this.binding.showFilter(filter);
    if (JSON.stringify(this.filter) !== JSON.stringify(filter))
      throw new Error(`the filter was not applied: ${JSON.stringify(filter)}`);
    await this.channel.idle();
  }

  /** "Reveal in Log". */
  async select(seq: number): Promise<void> {
    await this.binding.select(seq);
    await this.channel.idle();
  }

  async setConnections(names: string[]): Promise<void> {
    this.connections = names;
    this.binding.connectionsChanged();
    await this.channel.idle();
  }

  ofType<T extends WebviewToHost['type']>(type: T): Extract<WebviewToHost, { type: T }>[] {
    return this.requests.filter((r) => r.type === type) as Extract<WebviewToHost, { type: T }>[];
  }

  /** New decoder rules, as a settings change brings them: the page decodes anew. */
  changeDecoderRules(rule: LogHostOptions['decoderRule']): void {
    this.o.decoderRule = rule;
    this.decoding++;
    this.bindingInstance.decodingChanged();
  }

  dispose(): void {
    this.bindingInstance.dispose();
    this.store.dispose();
  }

  private bind(): MessageLogBinding {
    const options: MessageLogOptions = { filterLimitMs: this.o.filterLimitMs };
    const binding = new MessageLogBinding(
      this.channel,
      this.store,
      {
        actions: {
          connections: () => this.connections,
          run: (action, seq) => void this.actions.push({ action, seq }),
          subscriptionFor: (_connection, identifier) => this.subscriptionFilters.get(identifier),
          now: () => this.scheduler.now(),
          decoderRule: (topic) => this.o.decoderRule?.(topic),
          decodingRevision: () => this.decoding,
          origin: (seq) => this.origins.get(seq),
        },
        l10n: untranslated,
        showError: (message) => void this.shownErrors.push(message),
        logger: this.logger,
      },
      options,
    );
    binding.onDidReceive((m) => {
      this.requests.push(m);
      if (m.type === 'rows') this.beforeRows?.(m);
    });
    return binding;
  }
}
