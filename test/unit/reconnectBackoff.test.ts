/**
 * The reconnect delay: doubling from half a second, jittered in the upper half, capped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reconnectDelayMs } from '../../src/core/session/reconnectBackoff';

describe('reconnectDelayMs', () => {
  it('doubles from 0.5 s up to the cap, never below half of each step', () => {
    const low = [1, 2, 3, 4, 5, 6].map((a) => reconnectDelayMs(a, 5_000, () => 0));
    const high = [1, 2, 3, 4, 5, 6].map((a) => reconnectDelayMs(a, 5_000, () => 1));
    assert.deepEqual(low, [250, 500, 1_000, 2_000, 2_500, 2_500]);
    assert.deepEqual(high, [500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('a lower cap (the setting) bounds every attempt', () => {
    for (let attempt = 1; attempt < 50; attempt++)
      assert.ok(reconnectDelayMs(attempt, 1_000) <= 1_000);
  });

  it('jitter spreads clients dropped together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(3)));
    assert.ok(delays.size > 10, `only ${delays.size} distinct delays`);
  });
});
