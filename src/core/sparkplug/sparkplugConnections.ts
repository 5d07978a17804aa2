/**
 * Keeps the Sparkplug B tracker in step with our own connections: when one drops, what was seen
 * through it is no longer known to be online; when its profile is removed, it is forgotten.
 */
import type { Disposable, Event } from '../event';
import type { SparkplugTracker } from './sparkplugTracker';

/** What is needed of the session manager. */
export interface ConnectionEvents {
  readonly onDidChangeState: Event<{ session: { name: string }; state: { kind: string } }>;
  readonly onDidChangeSessions: Event<void>;
  all(): readonly { name: string }[];
}

export function followConnections(
  tracker: SparkplugTracker,
  sessions: ConnectionEvents,
): Disposable {
  const state = sessions.onDidChangeState(({ session, state }) => {
    if (state.kind !== 'connected') tracker.connectionLost(session.name);
  });
  const list = sessions.onDidChangeSessions(() => {
    const names = new Set(sessions.all().map((s) => s.name));
    const seen = new Set(tracker.edgeNodes().map((n) => n.connection));
    for (const connection of seen) if (!names.has(connection)) tracker.forgetConnection(connection);
  });
  return {
    dispose() {
      state.dispose();
      list.dispose();
    },
  };
}
