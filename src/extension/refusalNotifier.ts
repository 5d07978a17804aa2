/**
 * Announces each subscription the broker refuses, once, reason first in one short sentence
 * (a toast shows one line). The full text is in the output channel (the session logs it), and
 * the refusal stays on the subscription's node in the Connections view.
 */
import * as vscode from 'vscode';
import { showError } from './notify';
import type { SessionManager } from '../core/session/sessionManager';
import { refusalToast } from '../core/toastText';
import { Commands } from './constants';
import type { CommandRunner } from './commands/registry';

export function watchRefusals(
  sessions: SessionManager,
  commands: CommandRunner,
): vscode.Disposable {
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
        refusalToast(sub.status.reason, sub.topic, session.name),
        vscode.l10n.t('Show Log'),
      ).then((choice) => {
        if (choice) void commands.run(Commands.showLog, {});
      });
    }
  });
}
