/**
 * Who Floods in VS Code: the core's `TopicRates` fed by every session, shown by a webview view
 * docked in the panel area beside the Message Log (wide enough for a table with sparklines, and
 * one click from the log it opens). "MQTT: Show Who Floods" focuses it, on a connection when run
 * from one. The topic explorer reads the same rates for its "12/s".
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/event';
import { realScheduler, type Logger } from '../../core/ports';
import { TopicRates } from '../../core/rates/topicRates';
import type { SessionManager } from '../../core/session/sessionManager';
import { FloodsBinding } from '../../host/floods/floodsBinding';
import type { LogFilter } from '../../protocol/messageLog';
import type { CommandRegistry } from '../commands/registry';
import { Commands, Views } from '../constants';
import { showError } from '../notify';
import { resolveSession } from '../pickers';
import { webviewHtml, webviewOptions } from '../webviewHtml';

export class FloodsController implements vscode.Disposable {
  readonly rates: TopicRates;
  private binding: FloodsBinding | undefined;
  /** A connection to show once the view's webview is ready (Show Who Floods on a connection). */
  private pendingConnection: string | undefined;
  private readonly disposables = new DisposableStore();

  constructor(
    sessions: SessionManager,
    private readonly extensionUri: vscode.Uri,
    commands: CommandRegistry,
    /** Opens the Message Log with a filter. */
    private readonly openLog: (filter: LogFilter) => void,
    private readonly logger?: Logger,
  ) {
    this.rates = new TopicRates(sessions.onTraffic, { scheduler: realScheduler });
    this.disposables.add(
      vscode.window.registerWebviewViewProvider(Views.floods, {
        resolveWebviewView: (view) => this.resolve(view),
      }),
    );
    commands.define(Commands.showFloods, async ({ target }) => {
      const name =
        resolveSession(sessions, target)?.name ??
        (target && 'connection' in target ? target.connection : undefined);
      if (name !== undefined) this.pendingConnection = name;
      await vscode.commands.executeCommand(`${Views.floods}.focus`);
      this.showPending();
    });
  }

  /** The view's binding while its webview exists, for tests. */
  get view(): FloodsBinding | undefined {
    return this.binding;
  }

  dispose(): void {
    this.binding?.dispose();
    this.disposables.dispose();
    this.rates.dispose();
  }

  private resolve(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const binding = new FloodsBinding(view.webview, this.rates, {
      openLog: (connection, topic) => this.openLog({ connection, topicFilter: topic }),
      showError: (message) => void showError(message),
      isVisible: () => view.visible,
      logger: this.logger,
    });
    view.webview.html = webviewHtml(view.webview, this.extensionUri, {
      name: 'floods',
      title: vscode.l10n.t('Who Floods'),
    });
    this.binding = binding;
    this.showPending();
    view.onDidChangeVisibility(() => binding.refresh());
    view.onDidDispose(() => {
      binding.dispose();
      if (this.binding === binding) this.binding = undefined;
    });
  }

  private showPending(): void {
    const connection = this.pendingConnection;
    const binding = this.binding;
    if (connection === undefined || !binding) return;
    this.pendingConnection = undefined;
    void binding.whenReady().then((ready) => {
      if (ready) binding.show({ ...binding.shown, connection });
    });
  }
}
