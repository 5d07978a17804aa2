/**
 * Reconnect Now, Drop Connection (a simulated network failure: the broker fires the Last Will)
 * and Drop Queued Publishes.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import { Commands } from '../constants';
import { showInfo } from '../notify';
import { pickSession, resolveSession } from '../pickers';
import type { CommandRegistry } from './registry';

export function defineReliabilityCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
): void {
  registry.define(Commands.reconnectNow, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => s.state.kind === 'reconnecting',
        placeHolder: vscode.l10n.t('Connection to reconnect now'),
        emptyMessage: vscode.l10n.t('No connection is waiting to reconnect.'),
      }));
    if (!session) return false;
    // The outcome shows in the connection's state; a failed try waits for the next one.
    return session.connect().then(
      () => true,
      () => false,
    );
  });
  registry.define(Commands.dropConnection, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => s.state.kind === 'connected',
        placeHolder: vscode.l10n.t('Connection to drop (as if the network failed)'),
        emptyMessage: vscode.l10n.t('No connection is connected.'),
      }));
    session?.dropConnection();
    return session !== undefined;
  });
  registry.define(Commands.dropQueued, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => s.queued > 0,
        placeHolder: vscode.l10n.t('Connection whose queued publishes to drop'),
        emptyMessage: vscode.l10n.t('No connection has queued publishes.'),
      }));
    if (!session) return 0;
    const dropped = session.dropQueued();
    void showInfo(
      vscode.l10n.t('MQTT: dropped {0} queued publish(es) of "{1}".', dropped, session.name),
    );
    return dropped;
  });
}
