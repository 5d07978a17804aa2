/**
 * Notifications about connections that nobody is watching in a dialog: a connection whose broker
 * certificate is not verified says so when it comes up (the row in the Connections view says it
 * too), once per connect, not on every reconnect; a connection made by itself (autoConnect) that
 * fails, e.g. on a TLS file that is not a PEM file, says why.
 */
import * as vscode from 'vscode';
import { isUnverifiedTls } from '../core/trust/brokerTrust';
import type { MqttSession } from '../core/session/session';
import type { SessionManager } from '../core/session/sessionManager';
import { connectFailedToast } from '../core/toastText';
import { Commands } from './constants';
import type { CommandRunner } from './commands/registry';
import { isCredentialRefusal } from './credentialRefusals';
import { showError, showWarning } from './notify';
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

export function watchAutoConnectFailures(
  sessions: SessionManager,
  commands: CommandRunner,
): vscode.Disposable {
  return sessions.onDidFailAutoConnect(({ session, error }) => {
    // A refused password has its own notification, with Retry.
    const state = session.state;
    if (state.kind === 'error' && session.profile.username && isCredentialRefusal(state.reasonCode))
      return;
    void showError(connectFailedToast(session.name, error.message), vscode.l10n.t('Show Log')).then(
      (choice) => {
        if (choice) void commands.run(Commands.showLog, {});
      },
    );
  });
}
