/**
 * Scenario 2: the link is cut mid-way while each client publishes 2,000 QoS 1 and 2,000 QoS 2
 * messages at 500/s each. MQTT Scope must lose nothing (publishes made while reconnecting wait
 * in its queue); duplicates only at QoS 1, sent again with DUP set.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QoS } from '../../src/core/profile/profile';
import { within } from '../support/sessions';
import {
  barePeer,
  downtime,
  independentCounter,
  report,
  scopePeer,
  sleep,
  tally,
  until,
  type Peer,
  brokerBehindProxy,
} from './harness';

const PER_QOS = 2_000;
const PER_SECOND = 500;

/** Publishes PER_QOS messages at each of QoS 1 and 2, PER_SECOND each, without waiting. */
async function stream(
  peer: Peer,
  tag: string,
): Promise<{ sent: string[]; results: Promise<unknown>[] }> {
  const sent: string[] = [];
  const results: Promise<unknown>[] = [];
  const started = Date.now();
  for (let i = 0; i < PER_QOS; i++) {
    // Paced by the clock, not by the acknowledgements: the user does not wait either.
    const due = started + (i * 1_000) / PER_SECOND;
    if (due > Date.now()) await sleep(due - Date.now());
    for (const qos of [1, 2] as QoS[]) {
      const payload = `${tag}-q${qos}-${i}`;
      sent.push(payload);
      const result = peer.publish(`faults/s2/${tag}`, payload, qos);
      result.catch(() => undefined); // counted once all have settled
      results.push(result);
    }
  }
  return { sent, results };
}

describe('fault scenario 2: a cut mid-stream of 2,000 QoS 1 + 2,000 QoS 2 publishes', () => {
  const env = brokerBehindProxy('Fault scenario 2: cut mid-stream');

  for (const run of [1, 2, 3]) {
    it(
      `run ${run}: MQTT Scope delivers every message, QoS 2 exactly once`,
      { timeout: 60_000 },
      async () => {
        const counter = independentCounter(env.broker.port, 'faults/s2/#');
        await within(counter.ready, 5_000, 'mosquitto_sub to subscribe');
        const { peer: scope } = await scopePeer({ port: env.proxy.port });
        const bare = barePeer({ port: env.proxy.port });
        try {
          await Promise.all([scope.connect(), bare.connect()]);
          const cutAt = Date.now() + (PER_QOS / PER_SECOND) * 500;
          const streams = Promise.all([stream(scope, `scope-${run}`), stream(bare, `bare-${run}`)]);
          await sleep(cutAt - Date.now());
          env.proxy.cutAll();
          const [ours, theirs] = await streams;
          for (const [peer, out] of [
            [scope, ours],
            [bare, theirs],
          ] as const) {
            const settled = await within(
              Promise.allSettled(out.results),
              30_000,
              `${peer.label}'s publishes to settle`,
            );
            const failures = settled.filter((r) => r.status === 'rejected');
            const rejected = failures.length;
            const why = failures[0] ? ` (${String((failures[0].reason as Error).message)})` : '';
            await until(
              `${peer.label}'s messages at the counter`,
              () => tally(out.sent, counter.payloads()).lost <= rejected,
              15_000,
            ).catch(() => undefined);
            await sleep(300);
            const seen = counter
              .payloads()
              .filter((p) => p.startsWith(`${peer === scope ? 'scope' : 'bare'}-${run}-`));
            const { lost, duplicated } = tally(out.sent, seen);
            const q2 = tally(
              out.sent.filter((p) => p.includes('-q2-')),
              seen,
            );
            const { downAt, upAt } = downtime(peer.timeline, cutAt - 50);
            report({
              scenario: '2',
              run,
              client: peer.label,
              sent: out.sent.length,
              received: seen.length,
              lost,
              duplicated,
              detectMs: downAt !== undefined ? downAt - cutAt : undefined,
              recoverMs: upAt !== undefined ? upAt - cutAt : undefined,
              note: `rejected ${rejected}${why}; QoS 2 duplicates ${q2.duplicated}`,
            });
            if (peer === scope) {
              assert.equal(rejected, 0, `${rejected} publishes rejected`);
              assert.equal(lost, 0, `${lost} lost`);
              assert.equal(q2.duplicated, 0, `${q2.duplicated} QoS 2 duplicates`);
            }
          }
        } finally {
          counter.stop();
          await scope.close();
          await bare.close();
        }
      },
    );
  }
});
