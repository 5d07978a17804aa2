/**
 * The composition root: builds the objects in order, wires them, and hands every disposable to
 * `context.subscriptions`.
 */
import * as vscode from 'vscode';
import { realScheduler } from '../core/ports';
import { SessionManager } from '../core/sessionManager';
import { mementoStore, outputLogger, PromptingCredentials } from './adapters';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerPublishCommands } from './commands/publishCommands';
import { registerSubscribeCommands } from './commands/subscribeCommands';
import { Commands, Views } from './constants';
import { RecentTopics } from './recentTopics';
import { ConnectionSettings } from './settings';
import { ConnectionStatusBar } from './statusBar';
import { ConnectionsTreeProvider } from './views/connectionsTree';
import { watchRefusals } from './refusalNotifier';

/** What activate() returns: the live objects, for integration tests and other extensions. */
export interface MqttScopeApi {
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): MqttScopeApi {
  const log = vscode.window.createOutputChannel('MQTT Scope', { log: true });
  const credentials = new PromptingCredentials();
  const settings = new ConnectionSettings(log);
  const sessions = new SessionManager({
    scheduler: realScheduler,
    logger: outputLogger(log),
    credentials,
    store: mementoStore(context.workspaceState),
    baseDir: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    maxTopics: () => settings.maxTopics,
  });
  const tree = new ConnectionsTreeProvider(sessions, settings);
  const treeView = vscode.window.createTreeView(Views.connections, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const statusBar = new ConnectionStatusBar(sessions, context.workspaceState);
  const recent = new RecentTopics(context.workspaceState);

  context.subscriptions.push(
    log,
    settings,
    { dispose: () => sessions.dispose() },
    tree,
    treeView,
    statusBar,
    settings.onDidChange(() => sessions.apply(settings.profiles)),
    sessions.onDidChangeState(({ session, state }) => {
      // A refused password must not be offered again silently.
      if (
        state.kind === 'error' &&
        state.reasonCode !== undefined &&
        [4, 5, 0x86, 0x87].includes(state.reasonCode)
      )
        credentials.forget(session.name);
    }),
    watchRefusals(sessions),
    ...registerConnectionCommands(sessions, (name) => statusBar.setActive(name)),
    ...registerSubscribeCommands(sessions),
    ...registerPublishCommands(sessions, recent),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );
  sessions.apply(settings.profiles);
  return { sessions, tree };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
