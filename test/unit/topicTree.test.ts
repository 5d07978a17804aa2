/**
 * TopicTree, driven by a fake clock: structure, counts, bounded previews, retained flags and
 * batched change events.
 */
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_BATCH_MS,
  PREVIEW_BYTES,
  TopicTree,
  type TopicNode,
  type TopicTreeChange,
} from '../../src/core/topics/topicTree';
import { FakeScheduler } from './fakeScheduler';

let clock: FakeScheduler;
let tree: TopicTree;
let events: TopicTreeChange[];

function make(options: { batchMs?: number; maxTopics?: number } = {}): TopicTree {
  const t = new TopicTree({ scheduler: clock, ...options });
  t.onDidChange((e) => events.push(e));
  return t;
}

function ingest(topic: string, payload: string | Uint8Array = 'x', retain = false, qos = 0): void {
  tree.ingest({
    topic,
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    retain,
    qos,
    receivedAt: clock.now(),
  });
}

function node(topic: string): TopicNode {
  const n = tree.find(topic);
  assert.ok(n, `expected a node for ${JSON.stringify(topic)}`);
  return n;
}

const names = (nodes: TopicNode[]) => nodes.map((n) => n.name);
const paths = (nodes: Iterable<TopicNode | undefined>) =>
  [...nodes].map((n) => (n ? n.path : '<top>')).sort();

beforeEach(() => {
  clock = new FakeScheduler();
  events = [];
  tree = make();
});

describe('structure', () => {
  it('splits a topic on "/" into one node per level, each with its full path', () => {
    ingest('home/kitchen/temp');
    assert.deepEqual(names(tree.topLevel()), ['home']);
    const temp = node('home/kitchen/temp');
    assert.equal(temp.name, 'temp');
    assert.equal(temp.path, 'home/kitchen/temp');
    assert.equal(temp.parent, node('home/kitchen'));
    assert.equal(node('home/kitchen').parent, node('home'));
    assert.equal(node('home').parent, undefined);
    assert.equal(tree.size, 3);
  });

  it("returns the message's node, whose path is the topic string it was first given", () => {
    const topic = ['home', 'kitchen', 'temp'].join('/');
    const first = tree.ingest({
      topic,
      payload: Buffer.from('1'),
      retain: false,
      qos: 0,
      receivedAt: 0,
    });
    assert.equal(first, node('home/kitchen/temp'));
    assert.ok(
      Object.is(first?.path, topic),
      'the very string, for lookups that compare it by identity',
    );
    const again = ['home', 'kitchen', 'temp'].join('/');
    const second = tree.ingest({
      topic: again,
      payload: Buffer.from('2'),
      retain: false,
      qos: 0,
      receivedAt: 0,
    });
    assert.equal(second, first);
    ingest('home');
    assert.equal(node('home').path, 'home', 'a parent that gets messages keeps its path');
  });

  it('keeps empty levels: "a//b" and "/a"', () => {
    ingest('a//b');
    ingest('/a');
    assert.deepEqual(names(tree.topLevel()), ['', 'a']);
    assert.equal(node('a/').name, '');
    assert.equal(node('a/').path, 'a/');
    assert.equal(node('a//b').path, 'a//b');
    assert.equal(node('/a').path, '/a');
    assert.equal(node('').path, '');
    assert.equal(node('/a').parent, node(''));
    assert.equal(tree.find('a/b'), undefined, '"a/b" is not "a//b"');
    assert.equal(tree.size, 5);
  });

  it('treats "/" as two empty levels', () => {
    ingest('/');
    assert.equal(node('/').path, '/');
    assert.equal(node('/').parent, node(''));
    assert.equal(tree.size, 2);
  });

  it('find() returns undefined for topics never seen, including prefixes that go further', () => {
    ingest('a/b');
    assert.equal(tree.find('a/b/c'), undefined);
    assert.equal(tree.find('b'), undefined);
    assert.equal(tree.find('A/b'), undefined);
    assert.equal(tree.find('a/b'), node('a').children.get('b'));
  });

  it('sorts children by name', () => {
    for (const t of ['s/zeta', 's/alpha', 's/Beta', 's/10', 's/2', 'b', 'a', 'c']) ingest(t);
    assert.deepEqual(names(tree.topLevel()), ['a', 'b', 'c', 's']);
    assert.deepEqual(names(tree.childrenOf(node('s'))), ['10', '2', 'Beta', 'alpha', 'zeta']);
  });
});

describe('counts', () => {
  it('counts messages per topic and per subtree', () => {
    ingest('a/b/c');
    ingest('a/b/c');
    ingest('a/b');
    ingest('a/d');
    ingest('x');
    assert.equal(node('a/b/c').messageCount, 2);
    assert.equal(node('a/b/c').subtreeCount, 2);
    assert.equal(node('a/b').messageCount, 1);
    assert.equal(node('a/b').subtreeCount, 3);
    assert.equal(node('a/d').subtreeCount, 1);
    assert.equal(node('a').messageCount, 0);
    assert.equal(node('a').subtreeCount, 4);
    assert.equal(node('x').subtreeCount, 1);
    assert.equal(tree.size, 5);
  });

  it('records time and QoS of the last message', () => {
    ingest('t', 'one', false, 1);
    clock.advance(1234);
    ingest('t', 'two', false, 2);
    assert.equal(node('t').lastTime, clock.now());
    assert.equal(node('t').lastQos, 2);
  });
});

describe('last payload', () => {
  it('keeps the payload of the last message', () => {
    ingest('t', 'first');
    ingest('t', 'second');
    assert.equal(Buffer.from(node('t').lastPayload ?? []).toString(), 'second');
    assert.equal(node('t').lastPayloadSize, 6);
  });

  it('keeps at most PREVIEW_BYTES while lastPayloadSize keeps the full size', () => {
    const big = Buffer.alloc(100_000, 0x61);
    big[0] = 0x42;
    ingest('big', big);
    const n = node('big');
    assert.equal(n.lastPayloadSize, 100_000);
    assert.equal(n.lastPayload?.byteLength, PREVIEW_BYTES);
    assert.equal(n.lastPayload?.[0], 0x42);
  });

  it('copies the preview instead of holding a view on the whole payload', () => {
    const big = Buffer.alloc(100_000);
    ingest('big', big);
    ingest('small', big.subarray(10, 20));
    assert.ok((node('big').lastPayload?.buffer.byteLength ?? Infinity) <= PREVIEW_BYTES);
    assert.ok((node('small').lastPayload?.buffer.byteLength ?? Infinity) <= PREVIEW_BYTES);
    big[10] = 0xff; // the sender reusing its buffer must not change what we show
    assert.equal(node('small').lastPayload?.[0], 0);
  });

  it('overwrites its preview in place for a payload of the same length, else makes a new one', () => {
    ingest('t', 'ab');
    const first = node('t').lastPayload;
    ingest('t', 'cd');
    assert.equal(node('t').lastPayload, first, 'the same array, no allocation per message');
    assert.equal(Buffer.from(first ?? []).toString(), 'cd');
    ingest('t', 'efg');
    assert.notEqual(node('t').lastPayload, first);
    assert.equal(Buffer.from(node('t').lastPayload ?? []).toString(), 'efg');
    assert.equal(
      Buffer.from(first ?? []).toString(),
      'cd',
      'an array of another length is left as it was',
    );
  });

  it('keeps a payload of exactly PREVIEW_BYTES whole, and an empty one as empty', () => {
    ingest('exact', Buffer.alloc(PREVIEW_BYTES, 1));
    assert.equal(node('exact').lastPayload?.byteLength, PREVIEW_BYTES);
    ingest('exact', new Uint8Array(0));
    assert.equal(node('exact').lastPayload?.byteLength, 0);
    assert.equal(node('exact').lastPayloadSize, 0);
  });
});

describe('retained flag', () => {
  it('stays while the broker holds a retained message: a live message does not clear it', () => {
    ingest('r', 'on', true);
    assert.equal(node('r').retained, true);
    ingest('r', 'live', false);
    assert.equal(node('r').retained, true);
    assert.equal(node('r').lastRetain, false);
    ingest('r', 'again', true);
    assert.equal(node('r').retained, true);
    assert.equal(node('r').lastRetain, true);
  });

  it('is not set by live messages alone', () => {
    ingest('live', 'one', false);
    ingest('live', 'two', false);
    assert.equal(node('live').retained, false);
  });

  it('is cleared by an empty retained payload, which deletes the retained message', () => {
    ingest('r', 'on', true);
    ingest('r', '', true);
    assert.equal(node('r').retained, false);
    assert.equal(node('r').messageCount, 2);
  });

  it('is cleared by the deletion as forwarded to a subscriber: empty, retain 0', () => {
    ingest('r', 'on', true);
    ingest('r', 'live', false);
    ingest('r', '', false);
    assert.equal(node('r').retained, false);
  });

  it('is only set on the topic itself, not its parents', () => {
    ingest('a/b', 'on', true);
    assert.equal(node('a').retained, false);
    assert.equal(node('a/b').retained, true);
  });
});

describe('batched change events', () => {
  it('fires once, 250 ms after the first of 1,000 messages, naming the changed nodes', () => {
    assert.equal(DEFAULT_BATCH_MS, 250);
    for (let i = 0; i < 1_000; i++) ingest(`sensors/${i % 10}/value`, String(i));
    assert.equal(events.length, 0, 'nothing fires synchronously');
    clock.advance(249);
    assert.equal(events.length, 0, 'nothing fires before the interval ends');
    clock.advance(1);
    assert.equal(events.length, 1);
    const [change] = events;
    assert.equal(change.changed.size, 21); // sensors, 10 × n, 10 × n/value
    assert.ok(change.changed.has(node('sensors')));
    assert.ok(change.changed.has(node('sensors/7/value')));
    assert.deepEqual(
      paths(change.structureChanged),
      ['<top>', ...Array.from({ length: 10 }, (_, i) => `sensors/${i}`), 'sensors'].sort(),
    );
    assert.equal(node('sensors').subtreeCount, 1_000);
    clock.advance(10_000);
    assert.equal(events.length, 1, 'no further event');
  });

  it('does not fire without new messages, and reports only what changed since', () => {
    ingest('a/b');
    ingest('c');
    clock.advance(250);
    assert.equal(events.length, 1);
    clock.advance(5_000);
    assert.equal(events.length, 1);
    assert.equal(clock.pending, 0, 'no timer left running');
    ingest('a/b');
    clock.advance(250);
    assert.equal(events.length, 2);
    assert.deepEqual(paths(events[1].changed), ['a', 'a/b']);
    assert.equal(events[1].structureChanged.size, 0, 'no new nodes');
  });

  it('reports a new child as a structure change of its parent', () => {
    ingest('a/b');
    clock.advance(250);
    ingest('a/c');
    clock.advance(250);
    assert.deepEqual(paths(events[1].structureChanged), ['a']);
  });

  it('honours a custom batch interval', () => {
    tree = make({ batchMs: 50 });
    ingest('a');
    clock.advance(49);
    assert.equal(events.length, 0);
    clock.advance(1);
    assert.equal(events.length, 1);
  });

  it('flush() announces pending changes at once and cancels the timer', () => {
    ingest('a');
    tree.flush();
    assert.equal(events.length, 1);
    assert.deepEqual(paths(events[0].changed), ['a']);
    assert.equal(clock.pending, 0);
    clock.advance(1_000);
    assert.equal(events.length, 1);
    tree.flush();
    assert.equal(events.length, 1, 'flush without changes fires nothing');
  });

  it('stops firing after dispose()', () => {
    ingest('a');
    tree.dispose();
    clock.advance(1_000);
    assert.equal(events.length, 0);
  });
});

describe('topic limit', () => {
  it('counts messages on topics that no longer fit, and still counts known topics', () => {
    tree = make({ maxTopics: 3 });
    ingest('a/b');
    ingest('c');
    ingest('d');
    ingest('e/f');
    assert.equal(tree.size, 3);
    assert.equal(tree.overflow, 2);
    assert.equal(tree.find('d'), undefined);
    const refused = { topic: 'g', payload: Buffer.from('x'), retain: false, qos: 0, receivedAt: 0 };
    assert.equal(tree.ingest(refused), undefined, 'no node for a topic that did not fit');
    ingest('a/b');
    assert.equal(tree.overflow, 3);
    assert.equal(node('a/b').messageCount, 2);
  });

  it('does not leave part of a topic behind when the rest does not fit', () => {
    tree = make({ maxTopics: 2 });
    ingest('x');
    ingest('a/b/c');
    assert.equal(tree.overflow, 1);
    assert.equal(tree.size, 1);
    assert.equal(tree.find('a'), undefined);
    ingest('x/y');
    assert.equal(tree.size, 2);
    assert.equal(node('x/y').messageCount, 1);
  });

  it('counts the distinct topics not shown, and announces a new one as a change under the connection', () => {
    tree = make({ maxTopics: 1 });
    ingest('a');
    clock.advance(1_000);
    events.length = 0;
    ingest('b');
    ingest('b');
    ingest('c');
    assert.deepEqual(tree.notShown, { topics: 2, atLeast: false });
    assert.equal(tree.overflow, 3, 'messages');
    assert.equal(tree.maxTopics, 1);
    clock.advance(1_000);
    assert.equal(events.length, 1);
    assert.ok(events[0].structureChanged.has(undefined), 'the connection row is refreshed');
    events.length = 0;
    ingest('b');
    clock.advance(1_000);
    assert.equal(events.length, 0, 'a topic already counted changes nothing');
  });

  it('clear() resets the overflow count', () => {
    tree = make({ maxTopics: 1 });
    ingest('a');
    ingest('b');
    assert.equal(tree.overflow, 1);
    tree.clear();
    assert.equal(tree.overflow, 0);
    assert.deepEqual(tree.notShown, { topics: 0, atLeast: false });
    ingest('b');
    assert.equal(tree.size, 1);
  });
});

describe('clear()', () => {
  it('empties the tree and announces a top-level structure change at once', () => {
    ingest('a/b');
    ingest('c');
    tree.clear();
    assert.equal(tree.size, 0);
    assert.deepEqual(tree.topLevel(), []);
    assert.equal(tree.find('a/b'), undefined);
    assert.equal(events.length, 1);
    assert.equal(events[0].changed.size, 0, 'nodes that are gone are not reported');
    assert.deepEqual([...events[0].structureChanged], [undefined]);
    clock.advance(1_000);
    assert.equal(events.length, 1, 'the pending batch was dropped');
    ingest('a/b');
    assert.equal(node('a/b').messageCount, 1);
    assert.equal(node('a').subtreeCount, 1);
  });
});
