/**
 * Ticks the walkthrough's steps by what the user actually did, however they did it: the Connect
 * step is done when any connection reaches "connected" — also the "Local broker" profile that
 * connects by itself, which no command ever ran for. The manifest's steps complete on these
 * context keys (`onContext:`); a key once set stays set for the window.
 */
import * as vscode from 'vscode';
import type { Disposable } from '../core/event';
import type { SessionManager } from '../core/session/sessionManager';
import { WalkthroughContext } from './constants';
import type { LocalBrokerController } from './localBrokerController';
import type { ConnectionSettings } from './settings';

type WalkthroughKey = (typeof WalkthroughContext)[keyof typeof WalkthroughContext];

const marked = new Set<WalkthroughKey>();

/** Sets the context key once; later calls cost nothing. */
export function markWalkthrough(key: WalkthroughKey): void {
  if (marked.has(key)) return;
  marked.add(key);
  void vscode.commands.executeCommand('setContext', key, true);
}

export function trackWalkthrough(
  sessions: SessionManager,
  settings: ConnectionSettings,
  local: LocalBrokerController,
): vscode.Disposable {
  const subscriptions: Disposable[] = [];
  const checkProfiles = () => {
    // A profile of the user's own; the implicit "Local broker" is not in the setting.
    if (settings.profiles.length > 0) markWalkthrough(WalkthroughContext.ownBroker);
  };
  const checkBroker = () => {
    if (local.broker.state.kind === 'running') markWalkthrough(WalkthroughContext.brokerRunning);
  };
  subscriptions.push(
    settings.onDidChange(checkProfiles),
    local.broker.onDidChangeState(checkBroker),
    sessions.onDidChangeState(({ state }) => {
      if (state.kind === 'connected') markWalkthrough(WalkthroughContext.connected);
    }),
    sessions.onDidChangeSubscriptions((session) => {
      if (session.subscriptions.some((s) => s.status.kind === 'granted'))
        markWalkthrough(WalkthroughContext.subscribed);
    }),
  );
  checkProfiles();
  checkBroker();
  return { dispose: () => subscriptions.forEach((d) => d.dispose()) };
}
