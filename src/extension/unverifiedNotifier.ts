/**
 * A connection whose broker certificate is not verified says so when it comes up, in a warning
 * notification (the row in the Connections view says it too), not only in the log. Once per
 * connect, not on every reconnect.
 */
import * as vscode from 'vscode';
import { isUnverifiedTls } from '../core/brokerTrust';
import type { MqttSession } from '../core/session';
import type { SessionManager } from '../core/sessionManager';
import { showWarning } from './notify';
import { unverifiedWarning } from './views/treeItems';

export function watchUnverifiedConnections(sessions: SessionManager): vscode.Disposable {
  const previous = new WeakMap<MqttSession, string>();
  return sessions.onDidChangeState(({ session, state }) => {
    const before = previous.get(session);
    previous.set(session, state.kind);
    if (state.kind !== 'connected' || before === 'reconnecting') return;
    if (!isUnverifiedTls(session.profile)) return;
    void showWarning(
      `${vscode.l10n.t('MQTT: "{0}" connected to {1} without verifying its certificate.', session.name, session.target)} ${unverifiedWarning()}`,
    );
  });
}
