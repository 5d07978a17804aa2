/**
 * Connect, Disconnect, Add Connection, Open Settings, Clear Topics.
 */
import * as vscode from 'vscode';
import { showError, showInfo } from '../notify';
import { validateProfiles } from '../../core/profile/profile';
import { connectFailedToast } from '../../core/toastText';
import type { SessionManager } from '../../core/session/sessionManager';
import { CONNECTIONS_SETTING, Commands, LOCAL_PROFILE_NAME } from '../constants';
import { pickSession, resolveSession } from '../pickers';
import { isCredentialRefusal } from '../credentialRefusals';
import type { MqttError } from '../../core/mqttError';
import type { CommandRegistry } from './registry';

export function defineConnectionCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
  onActive: (name: string) => void,
): void {
  registry.define(Commands.connect, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => s.state.kind !== 'connected',
        placeHolder: vscode.l10n.t('Connection to connect'),
        emptyMessage: sessions.all().length
          ? vscode.l10n.t('All connections are already connected.')
          : vscode.l10n.t('No connections are configured. Run "MQTT: Add Connection".'),
      }));
    if (!session) return false;
    onActive(session.name);
    try {
      await session.connect();
      return true;
    } catch (error) {
      // A refused password has its own notification, with Retry.
      if (session.profile.username && isCredentialRefusal((error as MqttError).reasonCode))
        return false;
      void showError(
        connectFailedToast(session.name, (error as Error).message),
        vscode.l10n.t('Show Log'),
      ).then((choice) => {
        if (choice) void registry.run(Commands.showLog, {});
      });
      return false;
    }
  });
  registry.define(Commands.disconnect, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => s.state.kind !== 'disconnected' && s.state.kind !== 'error',
        placeHolder: vscode.l10n.t('Connection to disconnect'),
        emptyMessage: vscode.l10n.t('No connection is connected.'),
      }));
    if (session) await session.disconnect();
  });
  registry.define(Commands.clearTopics, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        placeHolder: vscode.l10n.t('Connection whose topics to clear'),
        emptyMessage: vscode.l10n.t('No connections.'),
      }));
    session?.topics.clear();
  });
  registry.define(Commands.openSettings, async () => {
    // The JSON editor is where the schema's completion and squiggles help most.
    const target = vscode.workspace.workspaceFolders?.length
      ? 'workbench.action.openWorkspaceSettingsFile'
      : 'workbench.action.openSettingsJson';
    await vscode.commands.executeCommand(target);
  });
  registry.define(Commands.addConnection, () => addConnection());
}

async function addConnection(): Promise<void> {
  const config = vscode.workspace.getConfiguration();
  const existing = (config.get<unknown[]>(CONNECTIONS_SETTING) ?? []).filter(
    (p) => typeof p === 'object' && p !== null,
  );
  const names = new Set(existing.map((p) => (p as { name?: unknown }).name));
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('MQTT: Add Connection (1/3)'),
    prompt: vscode.l10n.t('A unique name for the connection'),
    value: names.has('local') ? '' : 'local',
    validateInput: (v) =>
      !v.trim()
        ? vscode.l10n.t('Enter a name.')
        : names.has(v.trim())
          ? vscode.l10n.t('"{0}" is already used.', v.trim())
          : v.trim().toLowerCase() === LOCAL_PROFILE_NAME.toLowerCase()
            ? vscode.l10n.t('"{0}" is kept for the built-in broker.', LOCAL_PROFILE_NAME)
            : undefined,
  });
  if (name === undefined) return;
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('MQTT: Add Connection (2/3)'),
    prompt: vscode.l10n.t('Broker URL: mqtt://, mqtts://, ws:// or wss://'),
    value: 'mqtt://localhost:1883',
    validateInput: (v) => validateProfiles([{ name: 'x', url: v }]).problems[0]?.message,
  });
  if (url === undefined) return;
  const username = await vscode.window.showInputBox({
    title: vscode.l10n.t('MQTT: Add Connection (3/3)'),
    prompt: vscode.l10n.t(
      'User name (leave empty for none). The password is asked for when connecting and never saved in settings.',
    ),
  });
  if (username === undefined) return;
  const profile: Record<string, unknown> = {
    name: name.trim(),
    url,
    subscriptions: [{ topic: '#', qos: 0 }],
  };
  if (username) profile.username = username;
  // A folder not trusted ignores its own profiles: the new one goes where it works.
  const target =
    vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  const current = vscode.workspace.getConfiguration().inspect<unknown[]>(CONNECTIONS_SETTING);
  const list =
    (target === vscode.ConfigurationTarget.Workspace
      ? current?.workspaceValue
      : current?.globalValue) ?? [];
  await vscode.workspace.getConfiguration().update(CONNECTIONS_SETTING, [...list, profile], target);
  void showInfo(
    vscode.l10n.t(
      'MQTT: added "{0}", subscribed to "#" on connect. Edit it in settings to change its subscriptions.',
      String(profile.name),
    ),
  );
}
