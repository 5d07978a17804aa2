/**
 * The status-bar item: the active connection and its state. Clicking it connects the active
 * connection when it is down, and otherwise lets the user pick another one.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../core/event';
import type { MqttSession } from '../core/session/session';
import type { SessionManager } from '../core/session/sessionManager';
import { Commands, StateKeys } from './constants';
import { chooseActive, clickAction } from './activeConnection';
import type { CommandRunner } from './commands/registry';
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
    private readonly commands: CommandRunner,
  ) {
    this.item.name = vscode.l10n.t('MQTT Scope connection');
    this.item.command = Commands.selectConnection;
    this.disposables.add(sessions.onDidChangeSessions(() => this.render()));
    this.disposables.add(sessions.onDidChangeState(() => this.render()));
    this.render();
  }

  get active(): MqttSession | undefined {
    return chooseActive(this.sessions.all(), this.memento.get<string>(StateKeys.activeConnection));
  }

  /** What the item shows, e.g. "$(broadcast) MQTT: plant". */
  get text(): string {
    return this.item.text;
  }

  setActive(name: string): void {
    void this.memento.update(StateKeys.activeConnection, name).then(() => this.render());
  }

  dispose(): void {
    this.disposables.dispose();
    this.item.dispose();
  }

  /**
   * Select Active Connection (a click on the item): `given` becomes the active connection;
   * without it, the only connection connects when it is down, or the user picks one. The new
   * active connection connects.
   */
  async select(given?: MqttSession): Promise<void> {
    const active = this.active;
    const action = given ? 'pick' : clickAction(active, this.sessions.all().length);
    if (action === 'connect' && active) {
      await this.commands.run(Commands.connect, { target: { connection: active.name } });
      return;
    }
    if (action === 'addConnection') {
      await this.commands.run(Commands.addConnection, {});
      return;
    }
    const picked = given ?? (await this.pick(active));
    if (!picked) return;
    this.setActive(picked.name);
    if (picked.state.kind !== 'connected')
      await this.commands.run(Commands.connect, { target: { connection: picked.name } });
  }

  private async pick(active: MqttSession | undefined): Promise<MqttSession | undefined> {
    const items = this.sessions.all().map((s) => ({
      label: `${s === active ? '$(check) ' : ''}${s.name}`,
      description: stateText(s.state),
      detail: s.target,
      session: s,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      placeHolder: vscode.l10n.t('Active MQTT connection (it connects when picked)'),
    });
    return picked?.session;
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
