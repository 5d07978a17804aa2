/**
 * Scenario 6: the broker is down when an `autoConnect` profile starts and comes up 20 s
 * later. The profile must connect by itself, through the SessionManager as the extension
 * uses it; a bare MQTT.js client started at the same moment is the reference.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionManager } from '../../src/core/session/sessionManager';
import { validateProfiles } from '../../src/core/profile/profile';
import { realScheduler, silentLogger } from '../../src/core/ports';
import { startMosquitto } from '../support/mosquitto';
import { freePort } from '../support/ports';
import { barePeer, printReport, report, sleep, until } from './harness';

const BROKER_LATE_MS = 20_000;

describe('fault scenario 6: the broker starts 20 s after an autoConnect profile', () => {
  for (const run of [1, 2, 3]) {
    it(`run ${run}: the profile connects by itself`, { timeout: 40_000 }, async (t) => {
      const port = await freePort();
      const store = new Map<string, unknown>();
      const manager = new SessionManager({
        scheduler: realScheduler,
        logger: silentLogger,
        credentials: { getPassword: async () => undefined },
        store: {
          get: <T>(k: string) => store.get(k) as T,
          update: async (k, v) => void store.set(k, v),
        },
      });
      t.after(() => manager.dispose());
      const { profiles } = validateProfiles([
        { name: 'late', url: `mqtt://127.0.0.1:${port}`, autoConnect: true },
      ]);
      manager.apply(profiles);
      const bare = barePeer({ port, persistent: false });
      t.after(() => bare.close());
      const session = manager.get('late')!;
      await sleep(BROKER_LATE_MS);
      const waiting = session.state;
      const broker = await startMosquitto({ port });
      t.after(() => broker.stop());
      const upAt = Date.now();
      await until('the profile to connect', () => session.state.kind === 'connected', 10_000);
      const ours = Date.now() - upAt;
      await until('the reference to connect', bare.isUp, 10_000).catch(() => undefined);
      const theirs = bare.timeline.find((e) => e.up)?.at;
      for (const [client, recoverMs] of [
        ['MQTT Scope', ours],
        ['bare MQTT.js', theirs !== undefined ? theirs - upAt : undefined],
      ] as const) {
        report({
          scenario: '6',
          run,
          client,
          sent: 0,
          received: 0,
          lost: 0,
          duplicated: 0,
          recoverMs,
          note: client === 'MQTT Scope' ? `state before: ${waiting.kind}` : '',
        });
      }
      assert.equal(waiting.kind, 'reconnecting');
      if (run === 3) printReport('Fault scenario 6: broker up 20 s after start');
    });
  }
});
