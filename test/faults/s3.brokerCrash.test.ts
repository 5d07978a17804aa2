/**
 * Scenario 3: Mosquitto with persistence is killed with SIGKILL mid-stream and restarted. It
 * comes back from its last autosave, so any client may see loss or duplicates: the bar is the
 * bare MQTT.js client publishing through the same crash, counted by the same subscriber.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { QoS } from '../../src/core/profile';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { within } from '../support/sessions';
import {
  barePeer,
  downtime,
  independentCounter,
  printReport,
  report,
  scopePeer,
  sleep,
  tally,
  type Peer,
} from './harness';

const PER_QOS = 300;
const PER_SECOND = 150;

async function stream(peer: Peer, tag: string) {
  const sent: string[] = [];
  const results: Promise<void>[] = [];
  const started = Date.now();
  for (let i = 0; i < PER_QOS; i++) {
    const due = started + (i * 1_000) / PER_SECOND;
    if (due > Date.now()) await sleep(due - Date.now());
    for (const qos of [1, 2] as QoS[]) {
      const payload = `${tag}-q${qos}-${i}`;
      sent.push(payload);
      const result = peer.publish(`faults/s3/${tag}`, payload, qos);
      result.catch(() => undefined);
      results.push(result);
    }
  }
  return { sent, results };
}

describe('fault scenario 3: broker SIGKILL and restart with persistence', () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ persistence: { autosaveSeconds: 1 } });
  });
  after(async () => {
    printReport('Fault scenario 3: broker SIGKILL and restart');
    await broker.stop();
  });

  for (const run of [1, 2, 3]) {
    it(
      `run ${run}: MQTT Scope loses and duplicates no more than the reference`,
      { timeout: 60_000 },
      async () => {
        const counter = independentCounter(broker.port, 'faults/s3/#');
        await within(counter.ready, 5_000, 'mosquitto_sub to subscribe');
        const { peer: scope } = await scopePeer({ port: broker.port });
        const bare = barePeer({ port: broker.port });
        try {
          await Promise.all([scope.connect(), bare.connect()]);
          const streams = Promise.all([stream(scope, `scope-${run}`), stream(bare, `bare-${run}`)]);
          await sleep(((PER_QOS / PER_SECOND) * 1_000) / 2);
          const killedAt = Date.now();
          await broker.crash();
          await sleep(1_000);
          await broker.start();
          const restartedAt = Date.now();
          const [ours, theirs] = await streams;
          const results = new Map<Peer, { lost: number; duplicated: number }>();
          for (const [peer, out] of [
            [scope, ours],
            [bare, theirs],
          ] as const) {
            const settled = await within(
              Promise.allSettled(out.results),
              30_000,
              `${peer.label}'s publishes to settle`,
            );
            const rejected = settled.filter((r) => r.status === 'rejected').length;
            // The counter reconnects by itself; give the broker time to deliver the rest.
            await sleep(1_500);
            const tag = `${peer === scope ? 'scope' : 'bare'}-${run}-`;
            const seen = counter.payloads().filter((p) => p.startsWith(tag));
            const counts = tally(out.sent, seen);
            results.set(peer, counts);
            const { downAt, upAt } = downtime(peer.timeline, killedAt - 50);
            report({
              scenario: '3',
              run,
              client: peer.label,
              sent: out.sent.length,
              received: seen.length,
              ...counts,
              detectMs: downAt !== undefined ? downAt - killedAt : undefined,
              recoverMs: upAt !== undefined ? upAt - restartedAt : undefined,
              note: `rejected ${rejected}; recover counted from the restart`,
            });
          }
          const ourCounts = results.get(scope)!;
          const theirCounts = results.get(bare)!;
          // Both publish through the same crash; a few messages of slack for where in the
          // autosave period each happened to be.
          const slack = Math.ceil(ours.sent.length * 0.02);
          assert.ok(
            ourCounts.lost <= theirCounts.lost + slack,
            `lost ${ourCounts.lost}, reference ${theirCounts.lost}`,
          );
          assert.ok(
            ourCounts.duplicated <= theirCounts.duplicated + slack,
            `duplicated ${ourCounts.duplicated}, reference ${theirCounts.duplicated}`,
          );
        } finally {
          counter.stop();
          await scope.close();
          await bare.close();
        }
      },
    );
  }
});
