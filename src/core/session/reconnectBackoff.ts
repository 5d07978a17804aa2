/**
 * How long an MqttSession waits before each reconnect attempt. Short and capped low: in a
 * debugging session the broker is usually close by, and a link that flaps must spend its time
 * connected, not waiting. Jittered, so that many clients dropped by one broker restart do not
 * come back in lockstep. The attempt number comes from the session's state, which starts it
 * over once a connection is back with its subscriptions answered.
 */

/** The first retry waits between half of this and this. */
export const FIRST_RETRY_MS = 500;
export const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;

/** The delay before attempt `attempt` (1-based): doubling from FIRST_RETRY_MS up to `maxMs`. */
export function reconnectDelayMs(
  attempt: number,
  maxMs: number = DEFAULT_MAX_RETRY_DELAY_MS,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, FIRST_RETRY_MS * 2 ** Math.min(Math.max(attempt - 1, 0), 20));
  // "Equal jitter": never less than half the ceiling, so a dead broker is not hammered.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
