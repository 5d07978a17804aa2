/**
 * Which walkthrough steps are done, from what the user actually did, however they did it: the
 * Connect step is done when any connection reaches "connected" — also the "Local broker"
 * profile that connects by itself, which no command ever ran for. Pure (`import type` only):
 * the context key setter comes in, so test/unit/walkthroughMarks.test.ts drives it with fakes.
 */
import type { Disposable, Event } from '../core/event';
import type { LocalBrokerState } from '../core/broker/localBroker';
import type { SessionManager } from '../core/session/sessionManager';
import { WalkthroughContext } from './constants';

export type WalkthroughKey = (typeof WalkthroughContext)[keyof typeof WalkthroughContext];

/** Sets each context key once; later marks cost nothing. A key once set stays set. */
export class WalkthroughMarks {
  private readonly marked = new Set<WalkthroughKey>();

  constructor(private readonly setContext: (key: WalkthroughKey) => void) {}

  mark(key: WalkthroughKey): void {
    if (this.marked.has(key)) return;
    this.marked.add(key);
    this.setContext(key);
  }
}

/** What the tracking watches. */
export interface WalkthroughSources {
  sessions: Pick<SessionManager, 'onDidChangeState' | 'onDidChangeSubscriptions'>;
  settings: { readonly profiles: readonly unknown[]; readonly onDidChange: Event<void> };
  broker: { readonly state: LocalBrokerState; readonly onDidChangeState: Event<LocalBrokerState> };
}

export function trackWalkthroughSteps(
  marks: WalkthroughMarks,
  { sessions, settings, broker }: WalkthroughSources,
): Disposable {
  const checkProfiles = () => {
    // A profile of the user's own; the implicit "Local broker" is not in the setting.
    if (settings.profiles.length > 0) marks.mark(WalkthroughContext.ownBroker);
  };
  const checkBroker = () => {
    if (broker.state.kind === 'running') marks.mark(WalkthroughContext.brokerRunning);
  };
  const subscriptions: Disposable[] = [
    settings.onDidChange(checkProfiles),
    broker.onDidChangeState(checkBroker),
    sessions.onDidChangeState(({ state }) => {
      if (state.kind === 'connected') marks.mark(WalkthroughContext.connected);
    }),
    sessions.onDidChangeSubscriptions((session) => {
      if (session.subscriptions.some((s) => s.status.kind === 'granted'))
        marks.mark(WalkthroughContext.subscribed);
    }),
  ];
  checkProfiles();
  checkBroker();
  return { dispose: () => subscriptions.forEach((d) => d.dispose()) };
}
