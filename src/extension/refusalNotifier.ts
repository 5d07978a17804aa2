/**
 * Announces each subscription the broker refuses, once, with the broker's reason. The refusal
 * also stays on the subscription's node in the Connections view.
 */
import * as vscode from 'vscode';
import { showError } from './notify';
import type { SessionManager } from '../core/sessionManager';
import { Commands } from './constants';

export function watchRefusals(sessions: SessionManager): vscode.Disposable {
  const announced = new Set<string>();
  return sessions.onDidChangeSubscriptions((session) => {
    for (const sub of session.subscriptions) {
      const key = `${session.name}\u0000${sub.topic}`;
      if (sub.status.kind !== 'refused') {
        announced.delete(key);
        continue;
      }
      if (announced.has(key)) continue;
      announced.add(key);
      void showError(
        vscode.l10n.t(
          'MQTT: the broker refused the subscription to "{0}" on "{1}": {2}.',
          sub.topic,
          session.name,
          sub.status.reason,
        ),
        vscode.l10n.t('Show Log'),
      ).then((choice) => choice && vscode.commands.executeCommand(Commands.showLog));
    }
  });
}
