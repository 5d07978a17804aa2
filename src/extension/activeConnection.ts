/**
 * Which connection the status bar shows, and what clicking it does. Pure, so unit tests decide
 * it without VS Code (test/unit/activeConnection.test.ts).
 */
import type { MqttSession } from '../core/session/session';

type Named = Pick<MqttSession, 'name' | 'state'>;

/** The remembered connection if it still exists, else the first one. */
export function chooseActive<S extends Named>(all: readonly S[], remembered: string | undefined) {
  return (remembered !== undefined ? all.find((s) => s.name === remembered) : undefined) ?? all[0];
}

/**
 * A click connects the only connection when it is down, offers to add one when there is none,
 * and otherwise lets the user pick.
 */
export function clickAction(
  active: Named | undefined,
  count: number,
): 'connect' | 'addConnection' | 'pick' {
  if (
    active &&
    (active.state.kind === 'disconnected' || active.state.kind === 'error') &&
    count === 1
  )
    return 'connect';
  return count === 0 ? 'addConnection' : 'pick';
}
