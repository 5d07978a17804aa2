/**
 * Scenario 4: the link stalls in both directions without closing (half-open), keepalive 2 s.
 * MQTT Scope must notice within 1.5 × keepalive, say so in its state, and be back within 2 s
 * of the link returning.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barePeer, downtime, report, scopePeer, sleep, until, brokerBehindProxy } from './harness';

const KEEPALIVE_S = 2;

describe('fault scenario 4: a half-open stall', () => {
  const env = brokerBehindProxy('Fault scenario 4: half-open stall, keepalive 2 s');

  for (const run of [1, 2, 3]) {
    it(
      `run ${run}: detected within 1.5 × keepalive, back within 2 s of the link`,
      { timeout: 30_000 },
      async () => {
        const { peer: scope, session } = await scopePeer({
          port: env.proxy.port,
          keepalive: KEEPALIVE_S,
        });
        const bare = barePeer({ port: env.proxy.port, keepalive: KEEPALIVE_S });
        try {
          await Promise.all([scope.connect(), bare.connect()]);
          const stalledAt = Date.now();
          env.proxy.stall('both');
          await until('MQTT Scope to notice', () => !scope.isUp(), KEEPALIVE_S * 3_000);
          const cause = session.state.kind === 'reconnecting' ? session.state.cause : undefined;
          await until('the reference to notice', () => !bare.isUp(), KEEPALIVE_S * 3_000).catch(
            () => undefined,
          );
          await sleep(1_000);
          const resumedAt = Date.now();
          env.proxy.resume();
          await until('MQTT Scope to come back', scope.isUp, 5_000);
          await until('the reference to come back', bare.isUp, 5_000).catch(() => undefined);
          const results = [scope, bare].map((peer) => {
            const { downAt, upAt } = downtime(peer.timeline, stalledAt);
            const detectMs = downAt !== undefined ? downAt - stalledAt : undefined;
            const recoverMs = upAt !== undefined ? upAt - resumedAt : undefined;
            report({
              scenario: '4',
              run,
              client: peer.label,
              sent: 0,
              received: 0,
              lost: 0,
              duplicated: 0,
              detectMs,
              recoverMs,
              note: peer === scope ? `state: ${cause}` : 'recover counted from the link returning',
            });
            return { detectMs, recoverMs };
          });
          assert.equal(cause, `no answer within keepalive ${KEEPALIVE_S * 1.5} s`);
          const { detectMs, recoverMs } = results[0];
          // MQTT.js's deadline runs from its last keepalive reset, here the CONNACK a moment
          // before the stall; 100 ms covers timer dispatch on a loaded machine.
          assert.ok(
            detectMs !== undefined && detectMs <= KEEPALIVE_S * 1_500 + 100,
            `detected after ${detectMs} ms`,
          );
          assert.ok(recoverMs !== undefined && recoverMs <= 2_000, `back after ${recoverMs} ms`);
        } finally {
          env.proxy.resume();
          await scope.close();
          await bare.close();
        }
      },
    );
  }
});
