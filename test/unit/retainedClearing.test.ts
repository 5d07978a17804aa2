/**
 * Clear Retained's core: which topics under a node hold a retained message (as the tree saw
 * them), and one empty retained QoS 1 publish per topic, a failure not stopping the rest.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { clearRetained, retainedTopicsUnder } from '../../src/core/topics/retainedClearing';
import type { PublishRequest } from '../../src/core/session/sessionTypes';
import { TopicTree } from '../../src/core/topics/topicTree';
import { FakeScheduler } from './fakeScheduler';

function treeWith(messages: [topic: string, payload: string, retain: boolean][]): TopicTree {
  const tree = new TopicTree({ scheduler: new FakeScheduler() });
  for (const [topic, payload, retain] of messages) {
    tree.ingest({ topic, payload: Buffer.from(payload), retain, qos: 1, receivedAt: 0 });
  }
  return tree;
}

it('lists the node itself and every retained topic below it, and nothing else', () => {
  const tree = treeWith([
    ['a', 'r', true],
    ['a/b/c', 'r', true],
    ['a/b/live', 'l', false],
    ['a/d', 'r', true],
    ['a/d', '', false],
    ['other/x', 'r', true],
  ]);
  const a = tree.find('a');
  assert.ok(a);
  assert.deepEqual(retainedTopicsUnder(a), ['a', 'a/b/c']);
  const live = tree.find('a/b/live');
  assert.ok(live);
  assert.deepEqual(retainedTopicsUnder(live), []);
});

it('walks a deep tree without recursion', () => {
  const deep = Array.from({ length: 20_000 }, (_, i) => `l${i}`).join('/');
  const tree = treeWith([[deep, 'r', true]]);
  const root = tree.find('l0');
  assert.ok(root);
  assert.deepEqual(retainedTopicsUnder(root), [deep]);
});

it('publishes an empty retained QoS 1 message per topic and reports each failure', async () => {
  const sent: PublishRequest[] = [];
  const outcome = await clearRetained(
    {
      publish: async (request) => {
        sent.push(request);
        if (request.topic === 'b') throw new Error('0x87 Not authorized');
      },
    },
    ['a', 'b', 'c'],
  );
  assert.deepEqual(
    sent.map((r) => [r.topic, r.payload.length, r.qos, r.retain]),
    [
      ['a', 0, 1, true],
      ['b', 0, 1, true],
      ['c', 0, 1, true],
    ],
  );
  assert.deepEqual(outcome, {
    cleared: ['a', 'c'],
    failed: [{ topic: 'b', error: '0x87 Not authorized' }],
  });
});
