/**
 * Forget Password (one connection's user, on every broker and trust it was saved for) and
 * Forget All Passwords (after a modal confirmation that gives the count). Both resolve with how
 * many saved passwords were deleted.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import { Commands } from '../constants';
import { showInfo } from '../notify';
import type { PasswordIndex } from '../passwordIndex';
import { pickSession, resolveSession } from '../pickers';
import type { CommandRegistry } from './registry';

export function definePasswordCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
  index: PasswordIndex,
): void {
  registry.define(Commands.forgetPassword, async ({ target }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => !!s.profile.username,
        placeHolder: vscode.l10n.t('Connection whose saved password to forget'),
        emptyMessage: vscode.l10n.t('No connection has a user name.'),
      }));
    const user = session?.profile.username;
    if (!session || !user) return 0;
    const count = await index.forget((e) => e.profile === session.name && e.user === user);
    void showInfo(
      count
        ? vscode.l10n.t(
            'MQTT: the saved password of "{0}" on "{1}" is forgotten; the next connect asks for it.',
            user,
            session.name,
          )
        : vscode.l10n.t('MQTT: no password of "{0}" on "{1}" is saved.', user, session.name),
    );
    return count;
  });
  registry.define(Commands.forgetAllPasswords, async () => {
    const count = index.all().length;
    if (count === 0) {
      void showInfo(vscode.l10n.t('MQTT: no password is saved.'));
      return 0;
    }
    const forget = vscode.l10n.t('Forget All');
    const choice = await vscode.window.showWarningMessage(
      count === 1
        ? vscode.l10n.t('Forget the 1 saved MQTT password?')
        : vscode.l10n.t('Forget all {0} saved MQTT passwords?', count),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Every connection with a user name asks for its password on its next connect. Passwords saved from other workspaces are included.',
        ),
      },
      forget,
    );
    if (choice !== forget) return 0;
    const deleted = await index.forget(() => true);
    void showInfo(vscode.l10n.t('MQTT: {0} saved password(s) forgotten.', deleted));
    return deleted;
  });
}
