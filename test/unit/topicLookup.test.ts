// What the connections saw of a topic or filter, read from real topic trees without walking
// them whole: exact topics, filters with + and #, $ topics, the busiest matches, the visit limit.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopicTree } from '../../src/core/topics/topicTree';
import {
  anyTopics,
  lookupLiveTopic,
  walkFilter,
  type TopicSource,
} from '../../src/core/topics/topicLookup';
import { FakeScheduler } from './fakeScheduler';

function source(name: string, messages: [topic: string, count: number][]): TopicSource {
  const tree = new TopicTree({ scheduler: new FakeScheduler() });
  for (const [topic, count] of messages)
    for (let i = 0; i < count; i++)
      tree.ingest({ topic, payload: Buffer.from(`v${i}`), retain: false, qos: 0, receivedAt: i });
  return { name, topics: tree };
}

const matched = (s: TopicSource, filter: string, maxVisits = 1000) => {
  const seen: string[] = [];
  const complete = walkFilter(s.topics, filter, (n) => seen.push(n.path), maxVisits);
  return { seen: seen.sort(), complete };
};

describe('anyTopics', () => {
  it('is false while no connection has a topic, true once one has', () => {
    const empty = source('a', []);
    assert.equal(anyTopics([]), false);
    assert.equal(anyTopics([empty]), false);
    assert.equal(anyTopics([empty, source('b', [['x', 1]])]), true);
  });
});

describe('lookupLiveTopic', () => {
  const plant = source('plant', [
    ['demo/lamp/state', 3],
    ['demo/lamp/power', 1],
    ['demo/fan/state', 5],
    ['demo', 1],
  ]);
  const lab = source('lab', [['demo/lamp/state', 1]]);

  it('finds an exact topic on every connection that received it', () => {
    const found = lookupLiveTopic([plant, lab], 'demo/lamp/state');
    assert.deepEqual(
      found.map((f) => [f.kind, f.connection, f.kind === 'topic' && f.node.messageCount]),
      [
        ['topic', 'plant', 3],
        ['topic', 'lab', 1],
      ],
    );
  });

  it('finds nothing for a level that only has topics below it, or an unseen topic', () => {
    assert.deepEqual(lookupLiveTopic([plant], 'demo/lamp'), []);
    assert.deepEqual(lookupLiveTopic([plant], 'other/topic'), []);
    assert.deepEqual(lookupLiveTopic([plant], ''), []);
  });

  it('counts the topics a filter matches and keeps the busiest, by rate then count', () => {
    const rates: Record<string, number> = { 'demo/lamp/state': 2, 'demo/fan/state': 1 };
    const [found] = lookupLiveTopic([plant], 'demo/+/state', {
      rateOf: (_c, topic) => rates[topic],
    });
    assert.equal(found.kind, 'filter');
    assert.ok(found.kind === 'filter');
    assert.equal(found.matches.count, 2);
    assert.equal(found.matches.atLeast, false);
    assert.deepEqual(
      found.matches.busiest.map((n) => n.path),
      ['demo/lamp/state', 'demo/fan/state'],
    );
    // Without rates, by messages.
    const [byCount] = lookupLiveTopic([plant], 'demo/#', { busiest: 2 });
    assert.ok(byCount.kind === 'filter');
    assert.equal(byCount.matches.count, 4);
    assert.deepEqual(
      byCount.matches.busiest.map((n) => n.path),
      ['demo/fan/state', 'demo/lamp/state'],
    );
  });

  it('ignores an invalid filter and a filter that matches nothing', () => {
    assert.deepEqual(lookupLiveTopic([plant], 'demo/#/x'), []);
    assert.deepEqual(lookupLiveTopic([plant], 'demo/+/missing'), []);
  });
});

describe('walkFilter', () => {
  const s = source('s', [
    ['sport', 1],
    ['sport/tennis/p1', 1],
    ['sport/tennis/p2', 1],
    ['sport/golf', 1],
    ['$SYS/uptime', 1],
    ['a//b', 1],
  ]);

  it('matches as MQTT does: # includes the parent level, + one level, $ topics apart', () => {
    assert.deepEqual(matched(s, 'sport/#').seen, [
      'sport',
      'sport/golf',
      'sport/tennis/p1',
      'sport/tennis/p2',
    ]);
    assert.deepEqual(matched(s, 'sport/+').seen, ['sport/golf']);
    assert.deepEqual(matched(s, 'sport/tennis/+').seen, ['sport/tennis/p1', 'sport/tennis/p2']);
    assert.deepEqual(matched(s, '#').seen, [
      'a//b',
      'sport',
      'sport/golf',
      'sport/tennis/p1',
      'sport/tennis/p2',
    ]);
    assert.deepEqual(matched(s, '+/+').seen, ['sport/golf']);
    assert.deepEqual(matched(s, '$SYS/#').seen, ['$SYS/uptime']);
    assert.deepEqual(matched(s, 'a/+/b').seen, ['a//b']);
    assert.deepEqual(matched(s, '$share/g/sport/+').seen, ['sport/golf']);
    assert.deepEqual(matched(s, 'nothing/#').seen, []);
  });

  it('stops after the visit limit and says the walk was cut', () => {
    const big = source(
      'big',
      Array.from({ length: 500 }, (_, i): [string, number] => [`f/${i}`, 1]),
    );
    const cut = matched(big, 'f/#', 100);
    assert.equal(cut.complete, false);
    assert.ok(cut.seen.length < 100);
    const whole = matched(big, 'f/#', 1000);
    assert.equal(whole.complete, true);
    assert.equal(whole.seen.length, 500);
    const [found] = lookupLiveTopic([big], 'f/+', { maxVisits: 50 });
    assert.ok(found.kind === 'filter' && found.matches.atLeast);
  });
});
