// Clear Retained against the embedded broker, checked by an independent Paho subscriber: the
// topic tree of a real MqttSession names the retained topics under a node, one empty retained
// publish per topic deletes them, and a new Paho subscriber then gets nothing retained there
// while a retained message outside the subtree stays.
import * as assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { silentLogger } from '../../src/core/ports';
import { clearRetained, retainedTopicsUnder } from '../../src/core/topics/retainedClearing';
import { freePort } from '../support/ports';
import { firstMessageForPaho, retainWithPaho } from '../support/retainedProbe';
import { newSession, subscriptionsSettled, waitForState, within } from '../support/sessions';

const broker = new LocalBroker(silentLogger);
let port = 0;

before(async () => {
  ({ port } = await broker.start({ port: await freePort() }));
});
after(() => broker.stop());

it('clears every retained topic the tree saw under a node, and only those', async (t) => {
  const under = ['plant/a/1', 'plant/a/2', 'plant/b/x', 'plant'];
  await retainWithPaho(port, [...under, 'other/y']);
  const session = newSession(t, {
    url: `mqtt://127.0.0.1:${port}`,
    subscriptions: [{ topic: '#', qos: 1 }],
  });
  await session.connect();
  await waitForState(session, (s) => s.kind === 'connected', 5_000);
  await subscriptionsSettled(session, 5_000);
  const topics = await waitForTopics(session.topics, () => {
    const node = session.topics.find('plant');
    return node && retainedTopicsUnder(node).length === 4 ? retainedTopicsUnder(node) : undefined;
  });
  assert.deepEqual([...topics].sort(), [...under].sort());
  const before = await firstMessageForPaho(port, 'plant/#', 'plant/marker');
  assert.equal(before.retain, true, 'nothing retained before clearing: the check proves nothing');

  const outcome = await clearRetained(session, topics);

  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.cleared.length, 4);
  const afterClear = await firstMessageForPaho(port, 'plant/#', 'plant/marker');
  assert.deepEqual(
    { topic: afterClear.topic, retain: afterClear.retain },
    { topic: 'plant/marker', retain: false },
  );
  const outside = await firstMessageForPaho(port, 'other/#', 'other/marker');
  assert.deepEqual(
    { topic: outside.topic, retain: outside.retain },
    { topic: 'other/y', retain: true },
  );
  // The tree learns of the deletions from the empty messages the broker forwards.
  await waitForTopics(session.topics, () => {
    const node = session.topics.find('plant');
    return node && retainedTopicsUnder(node).length === 0 ? [] : undefined;
  });
});

/** Resolves once `probe` answers, checking now and on every change of the session's tree. */
function waitForTopics(
  tree: { onDidChange(listener: () => void): { dispose(): void } },
  probe: () => string[] | undefined,
): Promise<string[]> {
  return within(
    new Promise<string[]>((resolve) => {
      const check = () => {
        const value = probe();
        if (!value) return;
        listener.dispose();
        resolve(value);
      };
      const listener = tree.onDidChange(check);
      check();
    }),
    10_000,
    'the topic tree',
  );
}
