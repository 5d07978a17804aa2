/**
 * Serves one Message Log webview (the editor panel or the docked view) from the shared message
 * store: it answers the webview's requests for rows and details, keeps that webview's filter in
 * its own LogView, and sends small stats notices as messages arrive — never the messages.
 */
import * as vscode from 'vscode';
import { showError } from '../notify';
import { LogView, type FilterOutcome } from '../../core/log/logView';
import type { Logger } from '../../core/ports';
import { toLogDetail, toLogRow, toMessageFilter } from '../../core/log/logRows';
import type { MessageStore } from '../../core/store/messageStore';
import type {
  HostToWebview,
  LogAction,
  LogFilter,
  LogStats,
  WebviewToHost,
} from '../../protocol/messageLog';
import { validateWebviewMessage } from '../../protocol/validateWebviewMessage';

export interface LogActions {
  run(action: LogAction, seq: number): Promise<void> | void;
  connections(): string[];
}

export class LogWebviewBinding implements vscode.Disposable {
  private readonly view: LogView;
  private filter: LogFilter = {};
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly store: MessageStore,
    private readonly actions: LogActions,
    initialFilter: LogFilter = {},
    private readonly logger?: Logger,
  ) {
    this.view = new LogView(store);
    this.showFilter(initialFilter);
    this.disposables.push(
      webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
      store.onDidAppend(() => this.post({ type: 'stats', stats: this.stats() })),
      store.onDidClear(() => this.post({ type: 'stats', stats: this.stats() })),
      this.view.onDidUpdate(() => this.post({ type: 'stats', stats: this.stats() })),
      this.view.onDidStop((error) => this.onFilterStopped(error)),
    );
  }

  /** Shows messages matching `filter`, e.g. from "Show Messages" on a topic. */
  showFilter(filter: LogFilter): Promise<void> {
    return this.applyFilter(filter).then((outcome) => {
      if (outcome.kind === 'applied') this.postFilterChanged();
      else if (outcome.kind === 'stopped') this.postFilterChanged(outcome.limitMs);
    });
  }

  /** Selects a message in the webview (clearing a filter that hides it). */
  select(seq: number): void {
    const index = this.view.indexOf(seq);
    if (index >= 0) {
      this.post({ type: 'select', seq, index });
      return;
    }
    void this.showFilter({}).then(() => {
      const unfiltered = this.view.indexOf(seq);
      if (unfiltered >= 0) this.post({ type: 'select', seq, index: unfiltered });
    });
  }

  connectionsChanged(): void {
    this.post({ type: 'connections', connections: this.actions.connections() });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.view.dispose();
  }

  /** A message from the webview: checked first; a malformed one is logged and ignored. */
  private receive(data: unknown): void {
    const checked = validateWebviewMessage(data);
    if (!checked.ok) {
      this.logger?.warn(
        `Message Log: ignored a malformed message from the webview: ${checked.problem}`,
      );
      return;
    }
    try {
      this.onMessage(checked.message);
    } catch (error) {
      this.logger?.error(
        `Message Log: a "${checked.message.type}" request failed: ${(error as Error).message}`,
      );
    }
  }

  private onMessage(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({
          type: 'init',
          stats: this.stats(),
          connections: this.actions.connections(),
          filter: this.filter,
        });
        return;
      case 'rows': {
        const { start, count } = message;
        const rows = this.view.rows(start, count).map(toLogRow);
        this.post({ type: 'rows', requestId: message.requestId, start, rows, stats: this.stats() });
        return;
      }
      case 'detail': {
        const entry = this.store.get(message.seq);
        if (!entry) {
          this.post({
            type: 'detail',
            requestId: message.requestId,
            error: vscode.l10n.t('This message is no longer stored (evicted or cleared).'),
          });
          return;
        }
        const detail = toLogDetail(
          entry,
          this.store.previousOnTopic(message.seq),
          message.full === true,
        );
        this.post({ type: 'detail', requestId: message.requestId, detail });
        return;
      }
      case 'setFilter':
        void this.applyFilter(message.filter).then((outcome) => {
          const refused = toMessageFilter(message.filter).error;
          this.post({
            type: 'filter',
            requestId: message.requestId,
            filter: this.filter,
            error: refused ?? (outcome.kind === 'failed' ? outcome.error.message : undefined),
            stoppedAfterMs: outcome.kind === 'stopped' ? outcome.limitMs : undefined,
            stats: this.stats(),
          });
        });
        return;
      case 'locate':
        this.post({
          type: 'locate',
          requestId: message.requestId,
          seq: message.seq,
          index: this.view.indexOf(message.seq),
          stored: this.store.get(message.seq) !== undefined,
          stats: this.stats(),
        });
        return;
      case 'action':
        void Promise.resolve(this.actions.run(message.action, message.seq)).catch(
          (error: unknown) => showError(vscode.l10n.t('MQTT: {0}', (error as Error).message)),
        );
        return;
      case 'clear':
        this.store.clear();
        return;
    }
  }

  /**
   * Puts `filter` in force once its rows are known; an invalid one, or a payload filter that
   * ran over its time limit, leaves the previous filter in force.
   */
  private async applyFilter(filter: LogFilter): Promise<FilterOutcome> {
    const converted = toMessageFilter(filter);
    if (converted.error) return { kind: 'failed', error: new Error(converted.error) };
    const outcome = await this.view.setFilter(converted.filter);
    if (outcome.kind === 'applied') this.filter = filter;
    else if (outcome.kind === 'stopped')
      this.logger?.warn(
        `Message Log: the payload filter took longer than ${outcome.limitMs / 1000} s on a batch of messages and was stopped.`,
      );
    else if (outcome.kind === 'failed')
      this.logger?.error(`Message Log: the filter could not be applied: ${outcome.error.message}`);
    return outcome;
  }

  /** The payload filter in force could not test new messages in time: it is dropped. */
  private onFilterStopped(error: Error): void {
    const limitMs = 'limitMs' in error ? (error.limitMs as number) : undefined;
    this.logger?.warn(`Message Log: the payload filter was stopped: ${error.message}`);
    const { text: _text, regex: _regex, ...withoutPayload } = this.filter;
    void this.applyFilter(withoutPayload).then(() => this.postFilterChanged(limitMs));
  }

  private postFilterChanged(stoppedAfterMs?: number): void {
    this.post({ type: 'filterChanged', filter: this.filter, stats: this.stats(), stoppedAfterMs });
  }

  private stats(): LogStats {
    const s = this.store.stats();
    return {
      total: this.view.length,
      stored: s.count,
      evicted: s.evicted,
      lastSeq: s.lastSeq,
      outcomes: this.store.outcomesRevision,
    };
  }

  private post(message: HostToWebview): void {
    if (this.ready || message.type === 'init') void this.webview.postMessage(message);
  }
}
