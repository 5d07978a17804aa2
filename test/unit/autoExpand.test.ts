// The topic explorer opens the first levels by itself only while a connection has few topics.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTO_EXPAND_MAX_TOPICS, autoExpands, topicDepth } from '../../src/core/topics/autoExpand';
import { TopicTree } from '../../src/core/topics/topicTree';
import { FakeScheduler } from './fakeScheduler';

function treeWith(topics: string[]): TopicTree {
  const tree = new TopicTree({ scheduler: new FakeScheduler() });
  for (const topic of topics)
    tree.ingest({ topic, payload: new Uint8Array(), retain: false, qos: 0, receivedAt: 0 });
  return tree;
}

describe('autoExpands', () => {
  const tree = treeWith(['demo/greenhouse/sensor-1/telemetry']);
  const demo = tree.find('demo')!;
  const greenhouse = tree.find('demo/greenhouse')!;
  const sensor = tree.find('demo/greenhouse/sensor-1')!;
  const leaf = tree.find('demo/greenhouse/sensor-1/telemetry')!;

  it('counts depth from the top level', () => {
    assert.deepEqual([demo, greenhouse, sensor, leaf].map(topicDepth), [1, 2, 3, 4]);
  });

  it('opens levels up to the depth, so a device shows at depth 2', () => {
    assert.equal(autoExpands(demo, tree.size, 2), true);
    assert.equal(autoExpands(greenhouse, tree.size, 2), true);
    assert.equal(autoExpands(sensor, tree.size, 2), false);
    assert.equal(autoExpands(leaf, tree.size, 9), false, 'a leaf has nothing to open');
    assert.equal(autoExpands(demo, tree.size, 0), false, '0 turns it off');
  });

  it('stops opening once the connection has many topics', () => {
    assert.equal(autoExpands(demo, AUTO_EXPAND_MAX_TOPICS, 2), true);
    assert.equal(autoExpands(demo, AUTO_EXPAND_MAX_TOPICS + 1, 2), false);
  });
});
