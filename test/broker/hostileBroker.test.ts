/**
 * MqttSession against a scripted hostile broker that sends what no well-behaved broker would:
 * a PUBLISH with a million user properties, packets bigger than the client's Maximum Packet
 * Size. Each test measures what the extension host feels: how long the event loop was blocked
 * and how far the heap grew beyond what the message store counts in its byte budget.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { realScheduler } from '../../src/core/ports';
import { DEFAULT_INCOMING_LIMITS } from '../../src/core/incoming/packetGuard';
import { MessageStore } from '../../src/core/store/messageStore';
import type { ReceivedMessage } from '../../src/core/session/session';
import {
  craftDisconnect,
  craftPublish,
  startHostileBroker,
  type HostileBroker,
} from '../support/hostileBroker';
import { newSession, waitForState } from '../support/sessions';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let broker: HostileBroker;
before(async () => {
  broker = await startHostileBroker();
});
after(() => broker?.stop());

const v5 = () => ({ host: '127.0.0.1', port: broker.port, protocolVersion: 5 });
const v4 = () => ({ host: '127.0.0.1', port: broker.port, protocolVersion: 4 });

function nextMessages(session: { onMessage: (l: (m: ReceivedMessage) => void) => unknown }) {
  const messages: ReceivedMessage[] = [];
  const waiters: (() => void)[] = [];
  session.onMessage((m) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  return {
    messages,
    async until(count: number, timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`got ${messages.length} of ${count} messages`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

describe('MqttSession against a hostile broker', () => {
  it(
    'ten MQTT 5 PUBLISH packets with a million user properties each: the host stays responsive and the heap within the store budget',
    { timeout: 180_000 },
    async (t) => {
      const store = new MessageStore({ scheduler: realScheduler, maxBytes: 64 * MiB });
      t.after(() => store.dispose());
      const session = newSession(t, v5());
      const inbox = nextMessages(session);
      session.onMessage((m) => store.append('hostile', 'in', m));
      const clientPromise = broker.nextClient();
      await session.connect();
      const client = await clientPromise;
      const packet = craftPublish({
        protocolVersion: 5,
        topic: 'hostile/props',
        payload: Buffer.from('{"t":1}'),
        userProperties: 1_000_000,
      });
      const heapBefore = heapAfterGc();
      // Blocks are measured message by message, with the heap's garbage collections outside.
      const blocks: number[] = [];
      const started = Date.now();
      let firstOutside = 0;
      for (let i = 0; i < 10; i++) {
        const delay = monitorEventLoopDelay({ resolution: 10 });
        delay.enable();
        await client.send(packet);
        await inbox.until(i + 1, 120_000);
        // One more turn of the loop lets the histogram record the block that just ended.
        await new Promise((resolve) => setTimeout(resolve, 20));
        delay.disable();
        blocks.push(delay.max / 1e6);
        if (i === 0) firstOutside = (heapAfterGc() - heapBefore - store.stats().bytes) / MiB;
      }
      const elapsed = Date.now() - started;
      const heapGrowth = heapAfterGc() - heapBefore;
      const counted = store.stats().bytes;
      const outside = (heapGrowth - counted) / MiB;
      const worst = Math.max(...blocks);
      t.diagnostic(
        `packet ${(packet.length / MiB).toFixed(1)} MiB; first message blocked the loop ${blocks[0].toFixed(0)} ms ` +
          `and left ${firstOutside.toFixed(1)} MiB outside the store's budget; ` +
          `worst block over ten ${worst.toFixed(0)} ms (median ${[...blocks].sort((x, y) => x - y)[5].toFixed(0)} ms), ten took ${elapsed} ms (with two full GCs); heap +${(heapGrowth / MiB).toFixed(1)} MiB, ` +
          `store counts ${(counted / MiB).toFixed(2)} MiB, outside the budget ${outside.toFixed(1)} MiB`,
      );
      const last = inbox.messages[9];
      // The property section: the packet less its fixed header (5), topic (2 + 13), property
      // length (4) and payload (7).
      assert.deepEqual(last.propertiesTruncated, { count: 1_000_000, bytes: packet.length - 31 });
      const kept = last.properties?.userProperties as Record<string, unknown>;
      assert.ok(Object.keys(kept).length > 0 && Object.keys(kept).length <= 256);
      // Generous against a loaded machine; before the limits, one such message blocked 4 s or more.
      assert.ok(worst < 1_000, `the event loop was blocked ${worst} ms`);
      assert.ok(outside < 16, `the heap grew ${outside.toFixed(1)} MiB beyond the store's budget`);
    },
  );

  it('MQTT 5: the CONNECT asks for the Maximum Packet Size of the setting', async (t) => {
    const session = newSession(t, v5(), {
      deps: { incomingLimits: () => ({ ...DEFAULT_INCOMING_LIMITS, maxPacketBytes: 2 * MiB }) },
    });
    const clientPromise = broker.nextClient();
    await session.connect();
    assert.equal((await clientPromise).connect.maximumPacketSize, 2 * MiB);
  });

  for (const protocolVersion of [4, 5] as const) {
    it(
      `MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}: a packet over the limit closes the connection with an error naming its size and the setting`,
      { timeout: 20_000 },
      async (t) => {
        const session = newSession(t, protocolVersion === 5 ? v5() : v4(), {
          deps: { incomingLimits: () => ({ ...DEFAULT_INCOMING_LIMITS, maxPacketBytes: MiB }) },
        });
        const inbox = nextMessages(session);
        const clientPromise = broker.nextClient();
        await session.connect();
        const client = await clientPromise;
        const small = craftPublish({ protocolVersion, topic: 'ok', payload: Buffer.from('1') });
        const big = craftPublish({ protocolVersion, topic: 'big', payload: Buffer.alloc(2 * MiB) });
        await client.send(small);
        await inbox.until(1, 5_000);
        const delay = monitorEventLoopDelay({ resolution: 10 });
        delay.enable();
        await client.send(big);
        const state = await waitForState(session, (s) => s.kind === 'reconnecting', 10_000);
        await client.closed;
        delay.disable();
        t.diagnostic(`worst event-loop block ${(delay.max / 1e6).toFixed(0)} ms`);
        assert.deepEqual(
          inbox.messages.map((m) => m.topic),
          ['ok'],
        );
        assert.equal(state.kind, 'reconnecting');
        assert.match(
          state.kind === 'reconnecting' ? (state.cause ?? '') : '',
          new RegExp(
            `PUBLISH packet of ${big.length.toLocaleString('en-US')} bytes, over the 1 MiB limit \\("mqttScope\\.maximumPacketSizeMegabytes"\\)`,
          ),
        );
      },
    );
  }

  it('MQTT 5: a message with a few properties arrives whole and unflagged', async (t) => {
    const session = newSession(t, v5());
    const inbox = nextMessages(session);
    const clientPromise = broker.nextClient();
    await session.connect();
    const client = await clientPromise;
    const contentType = Buffer.concat([Buffer.from([0x03, 0, 4]), Buffer.from('text')]);
    await client.send(
      craftPublish({
        protocolVersion: 5,
        topic: 'few',
        payload: Buffer.from('x'),
        userProperties: 3,
        rawProperties: contentType,
      }),
    );
    await inbox.until(1, 5_000);
    const [message] = inbox.messages;
    assert.equal(message.propertiesTruncated, undefined);
    assert.equal(message.properties?.contentType, 'text');
    assert.deepEqual(
      { ...(message.properties?.userProperties as object) },
      { k0: 'v', k1: 'v', k2: 'v' },
    );
  });

  it(
    'MQTT 5: a DISCONNECT with a million user properties is refused from its header, not parsed',
    { timeout: 60_000 },
    async (t) => {
      const session = newSession(t, v5());
      const clientPromise = broker.nextClient();
      await session.connect();
      const client = await clientPromise;
      const packet = craftDisconnect(1_000_000);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      await client.send(packet);
      const state = await waitForState(session, (s) => s.kind === 'reconnecting', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      delay.disable();
      t.diagnostic(
        `DISCONNECT of ${(packet.length / MiB).toFixed(1)} MiB: worst event-loop block ${(delay.max / 1e6).toFixed(0)} ms`,
      );
      assert.match(
        state.kind === 'reconnecting' ? (state.cause ?? '') : '',
        /DISCONNECT packet of [\d,]+ bytes, over the 256 KiB limit for packets other than PUBLISH/,
      );
      assert.ok(delay.max / 1e6 < 500, `the event loop was blocked ${delay.max / 1e6} ms`);
    },
  );
});
