/**
 * The question asked before a profile from a folder's settings connects by itself: a
 * notification (not modal) naming the profile and the host, with Connect and Not now. The
 * answer is kept per workspace and host by `AutoConnectConsent` (core).
 */
import * as vscode from 'vscode';
import {
  AutoConnectConsent,
  consentKey,
  type ConsentAnswer,
} from '../core/session/autoConnectConsent';
import type { Logger } from '../core/ports';
import type { ConnectionProfile } from '../core/profile/profile';
import { brokerText } from '../core/profile/brokerText';
import { showWarning } from './notify';

export function createAutoConnectConsent(
  workspaceState: vscode.Memento,
  logger: Logger,
  onAnswered: () => void,
): AutoConnectConsent {
  return new AutoConnectConsent({
    store: workspaceState,
    logger,
    onAnswered,
    ask: (profile) => askToAutoConnect(profile),
  });
}

async function askToAutoConnect(profile: ConnectionProfile): Promise<ConsentAnswer | undefined> {
  const connect = vscode.l10n.t('Connect');
  const notNow = vscode.l10n.t('Not now');
  const choice = await showWarning(
    vscode.l10n.t(
      'This folder\'s settings ask MQTT Scope to connect "{0}" to {1} by itself. Connect to this host now and whenever this folder opens?',
      profile.name,
      brokerText(consentKey(profile)),
    ),
    connect,
    notNow,
  );
  if (choice === connect) return 'connect';
  if (choice === notNow) return 'notNow';
  return undefined;
}
