/**
 * The Message Log: the bounded store of every message received and published by every
 * connection (owned by activate(), fed by the traffic hub), shown by an editor panel ("MQTT:
 * Open Message Log") and by a view that docks in the panel area. Both pull what they show from
 * the store; a hidden or reopened log loses nothing.
 */
import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../../core/event';
import type { MessageStore } from '../../core/store/messageStore';
import { decodeUtf8 } from '../../shared/utf8';
import type { Logger } from '../../core/ports';
import type { MqttSession } from '../../core/session/session';
import { republishedProperties } from '../../core/session/publishProperties';
import type { SessionManager } from '../../core/session/sessionManager';
import type { LogAction, LogFilter } from '../../protocol/messageLog';
import { Commands, Settings, StateKeys, Views } from '../constants';
import { messageLogHtml } from './html';
import { webviewOptions } from '../webviewHtml';
import { LogWebviewBinding } from './logWebviewBinding';
import { MESSAGE_SCHEME, MessageDocuments } from './messageDocuments';
import type { CommandRegistry } from '../commands/registry';
import type { SparkplugTracker } from '../../core/sparkplug/sparkplugTracker';
import type { RuleChoice } from '../../core/decoders/registry';

export interface RevealTopic {
  (session: MqttSession, topic: string): Promise<void>;
}

/** The `.mqtt` block a logged message came from: its label in the detail, and opening it. */
export interface BlockLink {
  origin(seq: number): { label: string } | undefined;
  open(seq: number): Promise<void>;
}

/** What the log's detail needs of the Packet Trace: whether it holds a message's packet. */
export interface TraceLink {
  has(connection: string, seq: number): boolean;
}

export class MessageLogController implements vscode.Disposable {
  private readonly documents: MessageDocuments;
  /** Set once the Packet Trace exists: the detail then offers "Show in Packet Trace". */
  traceLink: TraceLink | undefined;
  /** Set once `.mqtt` runs are wired: the detail then says which block a message came from. */
  blockLink: BlockLink | undefined;
  /** Names the aliases of Sparkplug B data messages in the detail. */
  sparkplug: SparkplugTracker | undefined;
  /** The `mqttScope.decoders` rule for a topic: rows, details and Open in Editor follow it. */
  decoderRule: ((topic: string) => RuleChoice | undefined) | undefined;
  private decodingRevision = 0;
  private panel: { panel: vscode.WebviewPanel; binding: LogWebviewBinding } | undefined;
  private view: LogWebviewBinding | undefined;
  private readonly disposables = new DisposableStore();
  /** Listens for the first received message while it may open the log (openOnFirstMessage). */
  private firstMessage: Disposable | undefined;

  constructor(
    /** Every message received and published; the log only reads it (and clears it). */
    readonly store: MessageStore,
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: SessionManager,
    private readonly revealTopic: RevealTopic,
    private readonly commands: CommandRegistry,
    private readonly workspaceState: vscode.Memento,
    private readonly logger?: Logger,
  ) {
    this.watchFirstMessage();
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(Settings.messageLogOpenOnFirstMessage)) this.watchFirstMessage();
      }),
    );
    this.documents = new MessageDocuments(this.store, {
      decoderRule: (topic) => this.decoderRule?.(topic),
      sparkplugAliases: (connection, topic, seq) =>
        this.sparkplug?.aliasesFor(connection, topic, seq),
    });
    this.disposables.add(sessions.onDidChangeSessions(() => this.connectionsChanged()));
    const reg = <T extends vscode.Disposable>(d: T) => this.disposables.add(d);
    reg(vscode.workspace.registerTextDocumentContentProvider(MESSAGE_SCHEME, this.documents));
    commands.define(Commands.openMessageLog, ({ filter }) => this.openPanel(filter));
    // A connection or topic row: the log filtered to it (the parser makes the filter).
    commands.define(Commands.showMessages, ({ filter }) => this.openPanel(filter ?? {}));
    commands.define(Commands.clearMessageLog, () => this.store.clear());
    reg(
      vscode.window.registerWebviewViewProvider(Views.messageLog, {
        resolveWebviewView: (webviewView) => {
          webviewView.webview.options = webviewOptions(this.extensionUri);
          const binding = new LogWebviewBinding(
            webviewView.webview,
            this.store,
            this.actions(),
            {},
            this.logger,
          );
          webviewView.webview.html = messageLogHtml(webviewView.webview, this.extensionUri, 'view');
          this.view = binding;
          webviewView.onDidDispose(() => {
            binding.dispose();
            if (this.view === binding) this.view = undefined;
          });
        },
      }),
    );
    reg(
      vscode.window.registerWebviewPanelSerializer(Views.messageLogPanel, {
        deserializeWebviewPanel: async (panel) => this.adoptPanel(panel, {}),
      }),
    );
  }

  /** Opens (or focuses) the editor panel, optionally with a filter. */
  openPanel(filter?: LogFilter, o: { preserveFocus?: boolean } = {}): void {
    if (this.panel) {
      this.panel.panel.reveal();
      if (filter) void this.panel.binding.showFilter(filter);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      Views.messageLogPanel,
      vscode.l10n.t('MQTT Message Log'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: o.preserveFocus ?? false },
      webviewOptions(this.extensionUri),
    );
    this.adoptPanel(panel, filter ?? {});
  }

  /** Opens the panel and selects a message there (from the Packet Trace). */
  /** Opens a stored message as a document, decoded ("Open in Editor"). */
  openInEditor(seq: number): Promise<void> {
    return this.documents.open(seq);
  }

  async select(seq: number): Promise<void> {
    this.openPanel();
    const binding = this.panel?.binding;
    // The init goes out first; the selection follows it. A panel closed before: nothing to do.
    if (binding && (await binding.whenReady())) await binding.select(seq);
  }

  /**
   * The first message received in a workspace opens the log beside the topic explorer, so a new
   * user sees traffic without looking for it. Once per workspace: a user who closes it is not
   * asked again, and the editor they work in keeps the focus.
   */
  private openOnFirstMessage(): void {
    this.firstMessage?.dispose();
    this.firstMessage = undefined;
    void this.workspaceState.update(StateKeys.messageLogOpenedOnce, true);
    if (!this.panel) this.openPanel(undefined, { preserveFocus: true });
  }

  private wantsOpenOnFirstMessage(): boolean {
    const enabled =
      vscode.workspace.getConfiguration().get<boolean>(Settings.messageLogOpenOnFirstMessage) ??
      true;
    return enabled && !this.workspaceState.get<boolean>(StateKeys.messageLogOpenedOnce, false);
  }

  /** Listens for received messages only while one may open the log: nothing per message after. */
  private watchFirstMessage(): void {
    this.firstMessage?.dispose();
    this.firstMessage = undefined;
    if (!this.wantsOpenOnFirstMessage()) return;
    this.firstMessage = this.sessions.onTraffic((event) => {
      if (event.kind === 'in') this.openOnFirstMessage();
    });
  }

  dispose(): void {
    this.panel?.panel.dispose();
    this.view?.dispose();
    this.firstMessage?.dispose();
    this.disposables.dispose();
  }

  private adoptPanel(panel: vscode.WebviewPanel, filter: LogFilter): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mqtt.svg');
    const binding = new LogWebviewBinding(
      panel.webview,
      this.store,
      this.actions(),
      filter,
      this.logger,
    );
    panel.webview.html = messageLogHtml(panel.webview, this.extensionUri, 'panel');
    this.panel = { panel, binding };
    panel.onDidDispose(() => {
      binding.dispose();
      if (this.panel?.panel === panel) this.panel = undefined;
    });
  }

  /** The decoder rules changed: open logs show their rows and detail decoded anew. */
  decoderRulesChanged(): void {
    this.decodingRevision++;
    this.panel?.binding.decodingChanged();
    this.view?.decodingChanged();
  }

  private connectionsChanged(): void {
    this.panel?.binding.connectionsChanged();
    this.view?.connectionsChanged();
  }

  private actions() {
    return {
      connections: () => this.sessions.all().map((s) => s.name),
      run: (action: LogAction, seq: number) => this.run(action, seq),
      subscriptionFor: (connection: string, identifier: number) =>
        this.sessions
          .get(connection)
          ?.subscriptions.find((s) => s.subscriptionIdentifier === identifier)?.topic,
      traced: (seq: number, connection: string) => this.traceLink?.has(connection, seq) ?? false,
      origin: (seq: number) => this.blockLink?.origin(seq),
      sparkplugAliases: (connection: string, topic: string, seq: number) =>
        this.sparkplug?.aliasesFor(connection, topic, seq),
      decoderRule: (topic: string) => this.decoderRule?.(topic),
      decodingRevision: () => this.decodingRevision,
    };
  }

  private async run(action: LogAction, seq: number): Promise<void> {
    const entry = this.store.get(seq);
    if (!entry)
      throw new Error(vscode.l10n.t('Message {0} is no longer stored (evicted or cleared).', seq));
    switch (action) {
      case 'copyTopic':
        await vscode.env.clipboard.writeText(entry.topic);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied topic "{0}"', entry.topic), 3000);
        return;
      case 'copyPayload': {
        const text = decodeUtf8(entry.payload);
        if (text === undefined)
          throw new Error(
            vscode.l10n.t('The payload is not UTF-8 text; use Open in Editor for its hex dump.'),
          );
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(
          vscode.l10n.t('Copied payload ({0} bytes)', entry.payload.byteLength),
          3000,
        );
        return;
      }
      case 'openInEditor':
        return this.documents.open(seq);
      case 'publishAgain': {
        const payload = decodeUtf8(entry.payload);
        if (payload === undefined)
          throw new Error(
            vscode.l10n.t('Only text payloads can be published again from the palette.'),
          );
        await this.commands.run(Commands.publish, {
          target: this.sessions.get(entry.connection)
            ? { connection: entry.connection }
            : undefined,
          topic: entry.topic,
          payload,
          qos: entry.qos,
          retain: entry.retain,
          properties: republishedProperties(entry.properties),
          edit: true,
        });
        return;
      }
      case 'openBlock':
        return this.blockLink?.open(seq);
      case 'showInPacketTrace':
        return this.commands.run(Commands.showPacketTrace, {
          target: { connection: entry.connection },
          seq,
        });
      case 'revealInTree': {
        const session = this.sessions.get(entry.connection);
        if (!session)
          throw new Error(
            vscode.l10n.t('The connection "{0}" no longer exists.', entry.connection),
          );
        return this.revealTopic(session, entry.topic);
      }
    }
  }
}
