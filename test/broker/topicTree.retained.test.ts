/**
 * The topic tree's retained mark against a real Mosquitto: set by the retained message a new
 * subscription receives, kept through live messages on the topic, cleared when the retained
 * message is deleted (an empty retained publish, which the broker forwards with retain 0).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { inbox, newSession, text, uniqueId } from '../support/sessions';

let broker: MosquittoBroker;
before(async () => {
  broker = await startMosquitto({});
});
after(() => broker?.stop());

for (const protocolVersion of [4, 5] as const) {
  describe(`retained mark with Mosquitto, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}`, () => {
    it('retained, then live, then the retained message deleted', { timeout: 10_000 }, async (t) => {
      const plain = { host: '127.0.0.1', port: broker.port, protocolVersion };
      const topic = `retained/${protocolVersion}/${uniqueId('t')}`;
      const publisher = newSession(t, plain);
      await publisher.connect();
      await publisher.publish({ topic, payload: 'held', qos: 1, retain: true });

      const watcher = newSession(t, plain);
      const received = inbox(watcher, topic);
      await watcher.connect();
      await watcher.subscribe({ topic, qos: 1 });
      const [held] = await received.waitFor(1, 5_000);
      assert.equal(held.retain, true);
      const node = () => watcher.topics.find(topic);
      assert.equal(node()?.retained, true, 'the retained message marks the topic');

      await publisher.publish({ topic, payload: 'live', qos: 1, retain: false });
      const [, live] = await received.waitFor(2, 5_000);
      assert.equal(text(live), 'live');
      assert.equal(live.retain, false);
      assert.equal(node()?.retained, true, 'a live message leaves the mark');

      await publisher.publish({ topic, payload: '', qos: 1, retain: true });
      const [, , deleted] = await received.waitFor(3, 5_000);
      // Forwarded to an established subscription: retain 0 (MQTT 5.0 §3.3.1.3).
      assert.equal(deleted.payload.byteLength, 0);
      assert.equal(node()?.retained, false, 'deleting the retained message clears the mark');

      // The broker agrees: a fresh subscriber receives no retained message any more.
      const fresh = newSession(t, plain);
      const freshInbox = inbox(fresh, topic);
      await fresh.connect();
      await fresh.subscribe({ topic, qos: 1 });
      await publisher.publish({ topic, payload: 'after', qos: 1, retain: false });
      const [first] = await freshInbox.waitFor(1, 5_000);
      assert.equal(text(first), 'after');
      assert.equal(fresh.topics.find(topic)?.retained, false);
    });
  });
}
