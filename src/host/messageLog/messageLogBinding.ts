/**
 * The Message Log's handler set on the generic ViewBinding: it serves one Message Log webview
 * (the editor panel or the docked view) from the shared message store, answers the webview's
 * requests for rows and details, keeps that webview's filter in its own LogView, and sends small
 * stats notices as messages arrive, never the messages. What only VS Code can do (translate,
 * copy, show an error, run an action) comes in through `MessageLogHost`.
 */
import type { Disposable, Event } from '../../core/event';
import { LogView, type FilterOutcome } from '../../core/log/logView';
import { toLogDetail, toLogRow, toMessageFilter } from '../../core/log/logRows';
import { requestLinkOf } from '../../core/log/requestLinks';
import type { DetailContext } from '../../core/log/detailMqtt5';
import type { Logger } from '../../core/ports';
import type { MessageStore } from '../../core/store/messageStore';
import type {
  HostToWebview,
  LogAction,
  LogFilter,
  LogReplies,
  LogStats,
  WebviewToHost,
} from '../../protocol/messageLog';
import { validateWebviewMessage } from '../../protocol/validateWebviewMessage';
import { ViewBinding, type ViewHandlers } from '../viewBinding';
import type { RuleChoice } from '../../core/decoders/registry';
import type { Translator, WebviewChannel } from '../webviewChannel';

/** What the log's context menu and buttons do, and the connections its filter offers. */
export interface LogActions {
  run(action: LogAction, seq: number): Promise<void> | void;
  connections(): string[];
  /** The topic filter of a connection's subscription with this MQTT 5 subscription identifier. */
  subscriptionFor?(connection: string, identifier: number): string | undefined;
  /** Now, on the clock messages are timed by (Date.now() when absent). */
  now?(): number;
  /** Whether the Packet Trace holds this message's PUBLISH (offers "Show in Packet Trace"). */
  traced?(seq: number, connection: string): boolean;
  /** The `.mqtt` block a message came from (offers "Open Block"). */
  origin?(seq: number): { label: string } | undefined;
  /** Sparkplug B: the metric names of a message's aliases, from its edge node's births. */
  sparkplugAliases?: DetailContext['sparkplugAliases'];
  /** The `mqttScope.decoders` rule for a topic, if one matches. */
  decoderRule?(topic: string): RuleChoice | undefined;
  /** Changes when the decoder rules change (see `LogStats.decoding`). */
  decodingRevision?(): number;
}

export interface MessageLogHost {
  actions: LogActions;
  /** Translates the words sent to the webview (vscode.l10n in the extension). */
  l10n: Translator;
  /** Tells the user an action failed (a notification in VS Code). */
  showError(message: string): void;
  logger?: Logger;
}

export interface MessageLogOptions {
  /** The filter the webview opens with, e.g. from "Show Messages" on a topic. */
  filter?: LogFilter;
  /** The limit on one batch of a payload filter (milliseconds); LogView's default otherwise. */
  filterLimitMs?: number;
}

export class MessageLogBinding implements Disposable {
  private readonly view: LogView;
  private readonly binding: ViewBinding<WebviewToHost, HostToWebview, LogReplies>;
  private current: LogFilter = {};
  private readonly disposables: Disposable[] = [];

  constructor(
    channel: WebviewChannel,
    private readonly store: MessageStore,
    private readonly host: MessageLogHost,
    o: MessageLogOptions = {},
  ) {
    this.view = new LogView(store, { limitMs: o.filterLimitMs });
    this.binding = new ViewBinding(channel, {
      name: 'Message Log',
      validate: validateWebviewMessage,
      init: () => ({
        type: 'init',
        stats: this.stats(),
        connections: host.actions.connections(),
        filter: this.current,
      }),
      handlers: this.handlers(),
      logger: host.logger,
    });
    void this.showFilter(o.filter ?? {});
    const postStats = () => this.binding.post({ type: 'stats', stats: this.stats() });
    this.disposables.push(
      store.onDidAppend(postStats),
      store.onDidClear(postStats),
      this.view.onDidUpdate(postStats),
      this.view.onDidStop((error) => this.onFilterStopped(error)),
    );
  }

  /** Every well-formed message from the webview, before it is handled. */
  get onDidReceive(): Event<WebviewToHost> {
    return this.binding.onDidReceive;
  }

  get isReady(): boolean {
    return this.binding.isReady;
  }

  /** See `ViewBinding.whenReady`: false when the view closed before it was ready. */
  whenReady(): Promise<boolean> {
    return this.binding.whenReady();
  }

  /** The filter in force. */
  get filter(): LogFilter {
    return this.current;
  }

  /** Shows messages matching `filter`, e.g. from "Show Messages" on a topic. */
  showFilter(filter: LogFilter): Promise<void> {
    return this.applyFilter(filter).then((outcome) => {
      if (outcome.kind === 'applied') this.postFilterChanged();
      else if (outcome.kind === 'stopped') this.postFilterChanged(outcome.limitMs);
    });
  }

  /** Selects a message in the webview (clearing a filter that hides it). */
  select(seq: number): Promise<void> {
    const index = this.view.indexOf(seq);
    if (index >= 0) {
      this.binding.post({ type: 'select', seq, index });
      return Promise.resolve();
    }
    return this.showFilter({}).then(() => {
      const unfiltered = this.view.indexOf(seq);
      if (unfiltered >= 0) this.binding.post({ type: 'select', seq, index: unfiltered });
    });
  }

  /** The decoder rules changed: the webview asks for its rows and detail again. */
  decodingChanged(): void {
    this.binding.post({ type: 'stats', stats: this.stats() });
  }

  connectionsChanged(): void {
    this.binding.post({ type: 'connections', connections: this.host.actions.connections() });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.binding.dispose();
    this.view.dispose();
  }

  private handlers(): ViewHandlers<WebviewToHost, LogReplies> {
    const { store, host } = this;
    return {
      rows: ({ start, count }) => ({
        type: 'rows',
        start,
        rows: this.view.rows(start, count).map((entry) => toLogRow(entry, host.actions)),
        stats: this.stats(),
      }),
      detail: ({ seq, full }) => {
        const entry = store.get(seq);
        if (!entry)
          return {
            type: 'detail',
            error: host.l10n.t('This message is no longer stored (evicted or cleared).'),
          };
        const { actions } = host;
        const detail = toLogDetail(entry, store.previousOnTopic(seq), full === true, {
          now: actions.now?.() ?? Date.now(),
          subscriptionFor: actions.subscriptionFor?.bind(actions),
          sparkplugAliases: actions.sparkplugAliases?.bind(actions),
          decoderRule: actions.decoderRule?.bind(actions),
        });
        const request = requestLinkOf(store, entry);
        if (request) detail.request = request;
        if (actions.traced?.(seq, entry.connection)) detail.traced = true;
        const origin = actions.origin?.(seq);
        if (origin) detail.origin = origin;
        return { type: 'detail', detail };
      },
      setFilter: async ({ filter }) => {
        const outcome = await this.applyFilter(filter);
        return {
          type: 'filter',
          filter: this.current,
          error: outcome.kind === 'failed' ? outcome.error.message : undefined,
          stoppedAfterMs: outcome.kind === 'stopped' ? outcome.limitMs : undefined,
          stats: this.stats(),
        };
      },
      locate: ({ seq }) => ({
        type: 'locate',
        seq,
        index: this.view.indexOf(seq),
        stored: store.get(seq) !== undefined,
        stats: this.stats(),
      }),
      action: ({ action, seq }) => {
        if (action === 'selectMessage') return void this.select(seq);
        void Promise.resolve()
          .then(() => host.actions.run(action, seq))
          .catch((error: unknown) =>
            host.showError(host.l10n.t('MQTT: {0}', (error as Error).message)),
          );
      },
      clear: () => store.clear(),
    };
  }

  /**
   * Puts `filter` in force once its rows are known; an invalid one, or a payload filter that
   * ran over its time limit, leaves the previous filter in force.
   */
  private async applyFilter(filter: LogFilter): Promise<FilterOutcome> {
    const converted = toMessageFilter(filter);
    if (converted.error) return { kind: 'failed', error: new Error(converted.error) };
    const outcome = await this.view.setFilter(converted.filter);
    const logger = this.host.logger;
    if (outcome.kind === 'applied') this.current = filter;
    else if (outcome.kind === 'stopped')
      logger?.warn(
        `Message Log: the payload filter took longer than ${outcome.limitMs / 1000} s on a batch of messages and was stopped.`,
      );
    else if (outcome.kind === 'failed')
      logger?.error(`Message Log: the filter could not be applied: ${outcome.error.message}`);
    return outcome;
  }

  /** The payload filter in force could not test new messages in time: it is dropped. */
  private onFilterStopped(error: Error): void {
    const limitMs = 'limitMs' in error ? (error.limitMs as number) : undefined;
    this.host.logger?.warn(`Message Log: the payload filter was stopped: ${error.message}`);
    const { text: _text, regex: _regex, ...withoutPayload } = this.current;
    void this.applyFilter(withoutPayload).then(() => this.postFilterChanged(limitMs));
  }

  private postFilterChanged(stoppedAfterMs?: number): void {
    this.binding.post({
      type: 'filterChanged',
      filter: this.current,
      stats: this.stats(),
      stoppedAfterMs,
    });
  }

  private stats(): LogStats {
    const s = this.store.stats();
    const decoding = this.host.actions.decodingRevision?.();
    return {
      total: this.view.length,
      stored: s.count,
      evicted: s.evicted,
      lastSeq: s.lastSeq,
      outcomes: this.store.outcomesRevision,
      ...(decoding !== undefined ? { decoding } : {}),
    };
  }
}
