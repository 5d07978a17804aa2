/**
 * Serves one Message Log webview (the editor panel or the docked view) from the shared message
 * store: it answers the webview's requests for rows and details, keeps that webview's filter in
 * its own LogView, and sends small stats notices as messages arrive — never the messages.
 */
import * as vscode from 'vscode';
import { showError } from '../notify';
import { LogView } from '../../core/logView';
import { toLogDetail, toLogRow, toMessageFilter } from '../../core/logRows';
import type { MessageStore } from '../../core/messageStore';
import type {
  HostToWebview,
  LogAction,
  LogFilter,
  LogStats,
  WebviewToHost,
} from '../../protocol/messageLog';

/** Rows one request may ask for: a screen or two, never the log. */
const MAX_ROWS_PER_REQUEST = 500;

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
  ) {
    this.view = new LogView(store);
    this.applyFilter(initialFilter);
    this.disposables.push(
      webview.onDidReceiveMessage((message: WebviewToHost) => this.onMessage(message)),
      store.onDidAppend(() => this.post({ type: 'stats', stats: this.stats() })),
      store.onDidClear(() => this.post({ type: 'stats', stats: this.stats() })),
    );
  }

  /** Shows messages matching `filter`, e.g. from "Show Messages" on a topic. */
  showFilter(filter: LogFilter): void {
    if (this.applyFilter(filter))
      this.post({ type: 'filterChanged', filter: this.filter, stats: this.stats() });
  }

  /** Selects a message in the webview (clearing a filter that hides it). */
  select(seq: number): void {
    let index = this.view.indexOf(seq);
    if (index < 0) {
      this.showFilter({});
      index = this.view.indexOf(seq);
    }
    if (index >= 0) this.post({ type: 'select', seq, index });
  }

  connectionsChanged(): void {
    this.post({ type: 'connections', connections: this.actions.connections() });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
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
        const count = Math.max(0, Math.min(MAX_ROWS_PER_REQUEST, Math.floor(message.count)));
        const start = Math.max(0, Math.floor(message.start));
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
      case 'setFilter': {
        const error = this.applyFilter(message.filter)
          ? undefined
          : toMessageFilter(message.filter).error;
        this.post({
          type: 'filter',
          requestId: message.requestId,
          filter: this.filter,
          error,
          stats: this.stats(),
        });
        return;
      }
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

  /** Returns false (keeping the old filter) when the new one is invalid. */
  private applyFilter(filter: LogFilter): boolean {
    const converted = toMessageFilter(filter);
    if (converted.error) return false;
    this.filter = filter;
    this.view.setFilter(converted.filter);
    return true;
  }

  private stats(): LogStats {
    const s = this.store.stats();
    return { total: this.view.length, stored: s.count, evicted: s.evicted, lastSeq: s.lastSeq };
  }

  private post(message: HostToWebview): void {
    if (this.ready || message.type === 'init') void this.webview.postMessage(message);
  }
}
