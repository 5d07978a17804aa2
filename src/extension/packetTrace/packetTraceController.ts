/**
 * The Packet Trace in VS Code: the core's `PacketTrace` fed by every session, on or off per
 * connection (the profile's `packetTrace`, or "MQTT: Toggle Packet Trace" for the running
 * session), sized by `mqttScope.packetTrace.maxEntries`, and shown by an editor panel ("MQTT:
 * Show Packet Trace") opened beside the active editor, so it sits next to the Message Log it
 * links to.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/event';
import { realScheduler, type Logger } from '../../core/ports';
import type { SessionManager } from '../../core/session/sessionManager';
import { DEFAULT_TRACE_CAPACITY, PacketTrace } from '../../core/trace/packetTrace';
import { PacketTraceBinding } from '../../host/packetTrace/packetTraceBinding';
import type { CommandRegistry } from '../commands/registry';
import { Commands, Settings, Views } from '../constants';
import { showError } from '../notify';
import { pickSession, resolveSession } from '../pickers';
import { webviewHtml, webviewOptions } from '../webviewHtml';

export class PacketTraceController implements vscode.Disposable {
  readonly trace: PacketTrace;
  private panel: { panel: vscode.WebviewPanel; binding: PacketTraceBinding } | undefined;
  private readonly disposables = new DisposableStore();

  constructor(
    sessions: SessionManager,
    private readonly extensionUri: vscode.Uri,
    commands: CommandRegistry,
    /** Selects a message in the Message Log. */
    private readonly showInLog: (seq: number) => Promise<void>,
    private readonly logger?: Logger,
  ) {
    this.trace = new PacketTrace(sessions.onTraffic, {
      scheduler: realScheduler,
      capacity: maxEntries(),
    });
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(Settings.packetTraceMaxEntries))
          this.trace.setCapacity(maxEntries());
      }),
    );
    commands.define(Commands.togglePacketTrace, async ({ target }) => {
      const session =
        resolveSession(sessions, target) ??
        (await pickSession(sessions, {
          placeHolder: vscode.l10n.t('Connection whose packets to trace'),
          emptyMessage: vscode.l10n.t('No connections.'),
        }));
      if (!session) return undefined;
      const on = !this.trace.isTraced(session.name);
      this.trace.setTraced(session.name, on);
      return on;
    });
    commands.define(Commands.showPacketTrace, ({ target, seq }) => {
      const name = resolveSession(sessions, target)?.name ?? connectionName(target);
      this.open(name, seq);
    });
  }

  /** The packet of a Message Log entry is in the trace. */
  has(connection: string, seq: number): boolean {
    return this.trace.findBySeq(connection, seq) !== undefined;
  }

  dispose(): void {
    this.panel?.panel.dispose();
    this.disposables.dispose();
    this.trace.dispose();
  }

  /** Opens (or focuses) the panel, on a connection and the packet of a log entry if given. */
  private open(connection: string | undefined, seq: number | undefined): void {
    const entry =
      connection !== undefined && seq !== undefined
        ? this.trace.findBySeq(connection, seq)
        : undefined;
    if (this.panel) {
      this.panel.panel.reveal();
      if (connection !== undefined) this.panel.binding.select(connection, entry?.index);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      Views.packetTracePanel,
      vscode.l10n.t('MQTT Packet Trace'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mqtt.svg');
    const binding = new PacketTraceBinding(
      panel.webview,
      this.trace,
      {
        showInLog: (s) => this.showInLog(s),
        l10n: vscode.l10n,
        showError: (message) => void showError(message),
        logger: this.logger,
      },
      { connection, index: entry?.index },
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, {
      name: 'packetTrace',
      title: vscode.l10n.t('Packet Trace'),
    });
    this.panel = { panel, binding };
    panel.onDidDispose(() => {
      binding.dispose();
      if (this.panel?.panel === panel) this.panel = undefined;
    });
  }

  /** The panel's binding, for tests: which connection it shows and whether it is ready. */
  get view(): PacketTraceBinding | undefined {
    return this.panel?.binding;
  }
}

function maxEntries(): number {
  return (
    vscode.workspace.getConfiguration().get<number>(Settings.packetTraceMaxEntries) ??
    DEFAULT_TRACE_CAPACITY
  );
}

function connectionName(target: { connection: string } | object | undefined): string | undefined {
  return target && 'connection' in target ? target.connection : undefined;
}
