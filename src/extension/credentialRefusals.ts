/**
 * A password the broker refuses is forgotten, so it is never offered again silently, and the
 * notification says so and offers Retry, which asks for it again.
 */
import * as vscode from 'vscode';
import { connackReason } from '../core/reasons';
import { credentialsRefusedToast } from '../core/toastText';
import type { SessionManager } from '../core/session/sessionManager';
import type { SecretCredentials } from './secretCredentials';
import { Commands } from './constants';
import type { CommandRunner } from './commands/registry';
import { showError } from './notify';

/** CONNACK codes that mean the credentials were refused (3.1.1: 4, 5; MQTT 5: 0x86, 0x87). */
const CREDENTIALS_REFUSED = [4, 5, 0x86, 0x87];

export function isCredentialRefusal(reasonCode: number | undefined): boolean {
  return reasonCode !== undefined && CREDENTIALS_REFUSED.includes(reasonCode);
}

export function watchCredentialRefusals(
  sessions: SessionManager,
  credentials: SecretCredentials,
  commands: CommandRunner,
): vscode.Disposable {
  return sessions.onDidChangeState(({ session, state }) => {
    const user = session.profile.username;
    if (state.kind !== 'error' || !isCredentialRefusal(state.reasonCode) || !user) return;
    const reason = connackReason(state.reasonCode ?? 0, session.profile.protocolVersion);
    void credentials.forget(session.name, user, session.target).then(async () => {
      const retry = vscode.l10n.t('Retry');
      const choice = await showError(credentialsRefusedToast(reason, user), retry);
      if (choice === retry)
        await commands.run(Commands.connect, { target: { connection: session.name } });
    });
  });
}
