/**
 * The walkthrough's steps complete on context keys (`onContext:`) set from what the user did
 * (`walkthroughMarks.ts`); here they are set in VS Code, once per window.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../core/session/sessionManager';
import type { LocalBrokerController } from './localBrokerController';
import type { ConnectionSettings } from './settings';
import { trackWalkthroughSteps, WalkthroughMarks, type WalkthroughKey } from './walkthroughMarks';

const marks = new WalkthroughMarks(
  (key) => void vscode.commands.executeCommand('setContext', key, true),
);

/** Sets the context key once; later calls cost nothing. */
export function markWalkthrough(key: WalkthroughKey): void {
  marks.mark(key);
}

export function trackWalkthrough(
  sessions: SessionManager,
  settings: ConnectionSettings,
  local: LocalBrokerController,
): vscode.Disposable {
  return trackWalkthroughSteps(marks, { sessions, settings, broker: local.broker });
}
