/**
 * Scenario 5: ten connections share one broker while one of them flaps (its link is cut every
 * 3 s). The other nine must see no loss and no added latency (p99 against a calm period just
 * before), and the flapping one must be connected at least 80 % of the time. A bare MQTT.js
 * client flaps next to it as the reference.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as mqtt from 'mqtt';
import { uniqueId } from '../support/sessions';
import { barePeer, report, scopePeer, sleep, type Peer, brokerBehindProxy } from './harness';

const RATE = 100; // messages per second on the shared stream
// Equal windows, so that the two p99 figures weigh alike.
const CALM_MS = 6_000;
const FLAP_MS = 6_000;
const FLAP_EVERY_MS = 3_000;

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

/** Fraction of [from, to] spent connected, from a timeline of up/down changes. */
function upFraction(peer: Peer, from: number, to: number): number {
  let up = peer.timeline.filter((e) => e.at <= from).pop()?.up ?? false;
  let last = from;
  let total = 0;
  for (const e of peer.timeline.filter((x) => x.at > from && x.at < to)) {
    if (up) total += e.at - last;
    up = e.up;
    last = e.at;
  }
  if (up) total += to - last;
  return total / (to - from);
}

describe('fault scenario 5: ten connections, one flapping every 3 s', () => {
  const env = brokerBehindProxy('Fault scenario 5: one connection of ten flapping every 3 s');

  for (const run of [1, 2, 3]) {
    it(
      `run ${run}: the nine see no loss nor added latency; the flapping one is up ≥ 80 %`,
      { timeout: 40_000 },
      async () => {
        const topic = `faults/s5/${run}`;
        const steady = await Promise.all(
          Array.from({ length: 9 }, () => scopePeer({ port: env.broker.port, persistent: false })),
        );
        const { peer: flapping } = await scopePeer({ port: env.proxy.port, persistent: false });
        const bare = barePeer({ port: env.proxy.port, persistent: false });
        const publisher = await mqtt.connectAsync({
          port: env.broker.port,
          clientId: uniqueId('pub'),
        });
        const peers = [...steady.map((s) => s.peer), flapping, bare];
        try {
          await Promise.all(peers.map((p) => p.connect()));
          await Promise.all(peers.map((p) => p.subscribe(topic, 1)));
          const started = Date.now();
          const flapFrom = started + CALM_MS;
          const end = flapFrom + FLAP_MS;
          let sent = 0;
          const flaps = setInterval(() => {
            if (Date.now() >= flapFrom && Date.now() < end) env.proxy.cutAll();
          }, FLAP_EVERY_MS);
          flaps.unref();
          // Paced by the clock; each payload carries its send time.
          while (Date.now() < end) {
            const due = started + (sent * 1_000) / RATE;
            if (due > Date.now()) await sleep(due - Date.now());
            void publisher.publishAsync(topic, `${sent}:${Date.now()}`, { qos: 1 });
            sent++;
          }
          clearInterval(flaps);
          await sleep(500);
          const latencies = (peer: Peer, from: number, to: number) =>
            peer.received
              .map((m) => ({ sentAt: Number(m.payload.split(':')[1]), at: m.at }))
              .filter((m) => m.sentAt >= from && m.sentAt < to)
              .map((m) => m.at - m.sentAt);
          const calm: number[] = [];
          const flappy: number[] = [];
          let nineLost = 0;
          for (const { peer } of steady) {
            calm.push(...latencies(peer, started, flapFrom));
            flappy.push(...latencies(peer, flapFrom, end));
            nineLost += sent - new Set(peer.received.map((m) => m.payload)).size;
          }
          const calmP99 = p99(calm);
          const flapP99 = p99(flappy);
          report({
            scenario: '5',
            run,
            client: 'nine steady',
            sent: sent * 9,
            received: steady.reduce((n, s) => n + s.peer.received.length, 0),
            lost: nineLost,
            duplicated: 0,
            note: `p99 latency calm ${calmP99} ms, while one flaps ${flapP99} ms`,
          });
          const fractions = new Map<Peer, number>();
          for (const peer of [flapping, bare]) {
            const fraction = upFraction(peer, flapFrom, end);
            fractions.set(peer, fraction);
            const got = new Set(peer.received.map((m) => m.payload)).size;
            report({
              scenario: '5',
              run,
              client: peer.label,
              sent,
              received: peer.received.length,
              lost: sent - got,
              duplicated: peer.received.length - got,
              note: `connected ${Math.round(fraction * 100)} % of the flapping period (clean session: missed while down)`,
            });
          }
          assert.equal(nineLost, 0, `the nine lost ${nineLost}`);
          // "No added latency": within a scheduling quantum of the calm period on a shared machine.
          assert.ok(
            flapP99 <= Math.max(calmP99 * 2, calmP99 + 50),
            `p99 ${calmP99} → ${flapP99} ms`,
          );
          assert.ok(fractions.get(flapping)! >= 0.8, `connected ${fractions.get(flapping)}`);
        } finally {
          await publisher.endAsync(true);
          await Promise.all(peers.map((p) => p.close()));
        }
      },
    );
  }
});
