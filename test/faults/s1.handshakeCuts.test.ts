/**
 * Scenario 1: the link is cut inside each step of the QoS 1 and QoS 2 handshakes, in both
 * directions (our publishes, and messages we receive), with a persistent v5 session on a real
 * Mosquitto. MQTT Scope must lose nothing and show no QoS 2 message twice.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as mqtt from 'mqtt';
import type * as mqttPacket from 'mqtt-packet';
import type { QoS } from '../../src/core/profile/profile';
import type { Direction, TcpProxy } from '../support/tcpProxy';
import { uniqueId, within } from '../support/sessions';
import {
  barePeer,
  independentCounter,
  report,
  scopePeer,
  sleep,
  tally,
  until,
  type Peer,
  brokerBehindProxy,
} from './harness';

interface Cut {
  qos: QoS;
  direction: Direction;
  cmd: mqttPacket.Packet['cmd'];
}

/** Our publishes: the packets of the handshake, each cut once before it passes. */
const SENDING: Cut[] = [
  { qos: 1, direction: 'toBroker', cmd: 'publish' },
  { qos: 1, direction: 'toClient', cmd: 'puback' },
  { qos: 2, direction: 'toBroker', cmd: 'publish' },
  { qos: 2, direction: 'toClient', cmd: 'pubrec' },
  { qos: 2, direction: 'toBroker', cmd: 'pubrel' },
  { qos: 2, direction: 'toClient', cmd: 'pubcomp' },
];
/** Messages we receive. */
const RECEIVING: Cut[] = [
  { qos: 1, direction: 'toClient', cmd: 'publish' },
  { qos: 1, direction: 'toBroker', cmd: 'puback' },
  { qos: 2, direction: 'toClient', cmd: 'publish' },
  { qos: 2, direction: 'toBroker', cmd: 'pubrec' },
  { qos: 2, direction: 'toClient', cmd: 'pubrel' },
  { qos: 2, direction: 'toBroker', cmd: 'pubcomp' },
];

/** One pending cut per client id, so both clients can be cut at once on one proxy. */
class Cuts {
  private readonly armed = new Map<string, Cut & { fired: boolean }>();

  constructor(proxy: TcpProxy) {
    proxy.setRule((packet, direction, clientId) => {
      const cut = this.armed.get(clientId);
      if (!cut || cut.fired || cut.direction !== direction || cut.cmd !== packet.cmd)
        return 'forward';
      cut.fired = true;
      return 'cut-before';
    });
  }

  arm(clientId: string, cut: Cut): () => boolean {
    const armed = { ...cut, fired: false };
    this.armed.set(clientId, armed);
    return () => armed.fired;
  }
}

interface Outcome {
  sent: string[];
  seen: () => string[];
  qos2: Set<string>;
  recoverMs: number[];
}

async function runPeer(
  peer: Peer,
  cuts: Cuts,
  publisher: mqtt.MqttClient,
  counted: () => string[],
  run: number,
): Promise<Outcome> {
  const tag = `${peer.label === 'MQTT Scope' ? 'scope' : 'bare'}-${run}`;
  const inTopic = `faults/s1/in/${tag}`;
  await until(`${peer.label} connected`, peer.isUp, 10_000);
  await peer.subscribe(inTopic, 2);
  const sent: string[] = [];
  const qos2 = new Set<string>();
  const recoverMs: number[] = [];
  const step = async (cut: Cut, i: number, send: (payload: string) => Promise<void>) => {
    const payload = `${tag}-${cut.direction}-${cut.cmd}-q${cut.qos}-${i}`;
    sent.push(payload);
    if (cut.qos === 2) qos2.add(payload);
    const fired = cuts.arm(peer.clientId, cut);
    const started = Date.now();
    const sending = send(payload);
    sending.catch(() => undefined);
    await until(`${peer.label}: the cut at ${cut.cmd} ${cut.direction}`, fired, 10_000);
    await until(`${peer.label} to come back`, peer.isUp, 10_000);
    recoverMs.push(Date.now() - started);
    await within(sending, 10_000, `${peer.label}: ${payload} to resolve`);
  };
  for (const [i, cut] of SENDING.entries())
    await step(cut, i, (p) => peer.publish(`faults/s1/out/${tag}`, p, cut.qos));
  for (const [i, cut] of RECEIVING.entries()) {
    await step(cut, i, async (p) => {
      await publisher.publishAsync(inTopic, p, { qos: cut.qos });
    });
  }
  return {
    sent,
    qos2,
    recoverMs,
    seen: () => [
      ...counted().filter((p) => p.startsWith(`${tag}-`)),
      ...peer.received.map((m) => m.payload),
    ],
  };
}

describe('fault scenario 1: cuts inside each step of the QoS 1 and QoS 2 handshakes', () => {
  const env = brokerBehindProxy('Fault scenario 1: cuts inside the handshakes');

  for (const run of [1, 2, 3]) {
    it(
      `run ${run}: MQTT Scope loses nothing and shows no QoS 2 message twice`,
      { timeout: 60_000 },
      async () => {
        const cuts = new Cuts(env.proxy);
        const counter = independentCounter(env.broker.port, 'faults/s1/out/#');
        await within(counter.ready, 5_000, 'mosquitto_sub to subscribe');
        const publisher = await mqtt.connectAsync({
          port: env.broker.port,
          clientId: uniqueId('pub'),
        });
        const { peer: scope } = await scopePeer({ port: env.proxy.port });
        const bare = barePeer({ port: env.proxy.port });
        try {
          // Both clients run at once, each with its own cuts.
          const [ours, theirs] = await Promise.all(
            [scope, bare].map(async (peer) => {
              await peer.connect();
              return runPeer(peer, cuts, publisher, counter.payloads, run);
            }),
          );
          await sleep(300); // late duplicates
          for (const [peer, outcome] of [
            [scope, ours],
            [bare, theirs],
          ] as const) {
            const seen = outcome.seen();
            const { lost, duplicated } = tally(outcome.sent, seen);
            const dup2 = tally([...outcome.qos2], seen).duplicated;
            const sorted = [...outcome.recoverMs].sort((a, b) => a - b);
            report({
              scenario: '1',
              run,
              client: peer.label,
              sent: outcome.sent.length,
              received: seen.length,
              lost,
              duplicated,
              recoverMs: sorted[sorted.length >> 1],
              note: `QoS 2 duplicates ${dup2}; recover = median per cut`,
            });
            if (peer === scope) {
              assert.equal(lost, 0, `${peer.label} lost ${lost}`);
              assert.equal(dup2, 0, `${peer.label} duplicated ${dup2} QoS 2 messages`);
            }
          }
        } finally {
          counter.stop();
          await publisher.endAsync(true);
          await scope.close();
          await bare.close();
        }
      },
    );
  }
});
