/**
 * The status-bar item: the active connection and its state. Clicking it connects the active
 * connection when it is down, and otherwise lets the user pick another one.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../core/event';
import type { MqttSession } from '../core/session/session';
import type { SessionManager } from '../core/session/sessionManager';
import { Commands, StateKeys } from './constants';
import { stateText } from './views/treeItems';

const ICONS: Record<MqttSession['state']['kind'], string> = {
  disconnected: '$(debug-disconnect)',
  connecting: '$(loading~spin)',
  connected: '$(broadcast)',
  reconnecting: '$(sync~spin)',
  error: '$(error)',
};

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'mqttScope.status',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly sessions: SessionManager,
    private readonly memento: vscode.Memento,
  ) {
    this.item.name = vscode.l10n.t('MQTT Scope connection');
    this.item.command = Commands.selectConnection;
    this.disposables.add(sessions.onDidChangeSessions(() => this.render()));
    this.disposables.add(sessions.onDidChangeState(() => this.render()));
    this.disposables.add(
      vscode.commands.registerCommand(Commands.selectConnection, () => this.onClick()),
    );
    this.render();
  }

  get active(): MqttSession | undefined {
    const name = this.memento.get<string>(StateKeys.activeConnection);
    return (name !== undefined ? this.sessions.get(name) : undefined) ?? this.sessions.all()[0];
  }

  setActive(name: string): void {
    void this.memento.update(StateKeys.activeConnection, name).then(() => this.render());
  }

  dispose(): void {
    this.disposables.dispose();
    this.item.dispose();
  }

  private async onClick(): Promise<void> {
    const active = this.active;
    if (
      active &&
      (active.state.kind === 'disconnected' || active.state.kind === 'error') &&
      this.sessions.all().length === 1
    ) {
      await vscode.commands.executeCommand(Commands.connect, active.name);
      return;
    }
    const items = this.sessions.all().map((s) => ({
      label: `${s === active ? '$(check) ' : ''}${s.name}`,
      description: stateText(s.state),
      detail: s.target,
      session: s,
    }));
    if (items.length === 0) {
      await vscode.commands.executeCommand(Commands.addConnection);
      return;
    }
    const picked = await vscode.window.showQuickPick(items, {
      placeHolder: vscode.l10n.t('Active MQTT connection (it connects when picked)'),
    });
    if (!picked) return;
    this.setActive(picked.session.name);
    if (picked.session.state.kind !== 'connected')
      await vscode.commands.executeCommand(Commands.connect, picked.session.name);
  }

  private render(): void {
    const active = this.active;
    if (!active) {
      this.item.hide();
      return;
    }
    this.item.text = `${ICONS[active.state.kind]} ${vscode.l10n.t('MQTT: {0}', active.name)}`;
    // Without it, a screen reader reads the icon's name first ("broadcast MQTT: plant").
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('MQTT connection {0}: {1}', active.name, stateText(active.state)),
      role: 'button',
    };
    this.item.tooltip =
      active.state.kind === 'connected'
        ? vscode.l10n.t(
            '{0} ({1}) — {2}\nClick to pick the active connection.',
            active.name,
            active.target,
            stateText(active.state),
          )
        : vscode.l10n.t(
            '{0} ({1}) — {2}\nClick to connect or pick.',
            active.name,
            active.target,
            stateText(active.state),
          );
    this.item.backgroundColor =
      active.state.kind === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
    this.item.show();
  }
}
