/**
 * MessageStore, driven by a fake clock: caps by count and bytes, eviction, paging by seq in both
 * directions, filters, the per-topic chain, batched append events and clear().
 */
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_APPEND_BATCH_MS,
  ENTRY_OVERHEAD_BYTES,
  MessageStore,
  validateMessageFilter,
  type AppendSummary,
  type Direction,
  type MessageEntry,
  type MessageFilter,
  type MessageStoreOptions,
} from '../../src/core/store/messageStore';
import { PayloadArena } from '../../src/core/store/messageStoreArena';
import type { QoS } from '../../src/core/profile/profile';
import { FakeScheduler } from './fakeScheduler';

let clock: FakeScheduler;
let store: MessageStore;

function make(options: Partial<MessageStoreOptions> = {}): MessageStore {
  return new MessageStore({ scheduler: clock, ...options });
}

interface Extra {
  connection?: string;
  direction?: Direction;
  qos?: QoS;
  retain?: boolean;
  dup?: boolean;
  properties?: Record<string, unknown>;
}

function add(topic: string, payload: string | Uint8Array = 'x', extra: Extra = {}): number {
  return store.append(extra.connection ?? 'local', extra.direction ?? 'in', {
    topic,
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    qos: extra.qos ?? 0,
    retain: extra.retain ?? false,
    dup: extra.dup,
    properties: extra.properties,
    receivedAt: clock.now(),
  });
}

const text = (e: MessageEntry | undefined) => (e ? Buffer.from(e.payload).toString() : undefined);
const seqs = (entries: MessageEntry[]) => entries.map((e) => e.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => from + k);
/** Estimated bytes of one entry with an ASCII topic and payload. */
const rowBytes = (topic: string, payload: string) =>
  Buffer.byteLength(topic) + Buffer.byteLength(payload) + ENTRY_OVERHEAD_BYTES;

function filtered(filter: MessageFilter, limit = 1000): string[] {
  return store.page({ fromSeq: 0, limit, filter }).entries.map((e) => `${e.seq}:${e.topic}`);
}

beforeEach(() => {
  clock = new FakeScheduler();
  store = make();
});

describe('append and get', () => {
  it('numbers entries from 1 and keeps every field, payload as bytes', () => {
    const props = { contentType: 'application/json', userProperties: { a: 'b' } };
    assert.equal(add('a/b', 'one'), 1);
    clock.advance(5);
    const seq = add('a/c', new Uint8Array([0xff, 0x00, 0x80]), {
      connection: 'prod',
      direction: 'out',
      qos: 2,
      retain: true,
      dup: true,
      properties: props,
    });
    assert.equal(seq, 2);
    const e = store.get(2);
    assert.ok(e);
    assert.deepEqual(
      { ...e, payload: [...e.payload] },
      {
        seq: 2,
        connection: 'prod',
        direction: 'out',
        topic: 'a/c',
        payload: [0xff, 0x00, 0x80],
        qos: 2,
        retain: true,
        dup: true,
        properties: props,
        time: clock.now(),
      },
    );
    const first = store.get(1);
    assert.equal(first?.direction, 'in');
    assert.equal(first?.retain, false);
    assert.equal(first?.dup, false);
    assert.equal(first?.properties, undefined);
    assert.equal(first?.time, clock.now() - 5);
    assert.equal(store.get(3), undefined);
    assert.equal(store.get(0), undefined);
    assert.equal(store.get(1.5), undefined);
  });

  it('copies the payload in and out, so neither side can change the other', () => {
    const buf = Buffer.from('before');
    add('t', buf);
    buf.write('AFTER!');
    assert.equal(text(store.get(1)), 'before');
    const out = store.get(1)!.payload;
    out.fill(0x21);
    assert.equal(text(store.get(1)), 'before');
  });

  it('uses the scheduler clock when the message has no time', () => {
    store.append('c', 'out', { topic: 't', payload: new Uint8Array(0), qos: 1, retain: false });
    assert.equal(store.get(1)?.time, clock.now());
    assert.equal(store.get(1)?.payload.byteLength, 0);
  });

  it('keeps payloads of every size, including ones too big for a slab', () => {
    store = make({ maxBytes: 64 * 1024 }); // slabs of 4 KiB: above 1 KiB gets its own copy
    const big = Buffer.alloc(3000, 'b');
    const small = Buffer.alloc(900, 's');
    add('t', small);
    add('t', big);
    add('t', small);
    assert.deepEqual(Buffer.from(store.get(1)!.payload), small);
    assert.deepEqual(Buffer.from(store.get(2)!.payload), big);
    assert.deepEqual(Buffer.from(store.get(3)!.payload), small);
    assert.equal(
      store.stats().bytes,
      2 * rowBytes('t', small.toString()) + rowBytes('t', big.toString()),
    );
  });
});

describe('caps and eviction', () => {
  it('caps by count, evicting the oldest first and counting them', () => {
    store = make({ maxMessages: 3 });
    for (let k = 1; k <= 5; k++) add(`t/${k}`, `m${k}`);
    const stats = store.stats();
    assert.equal(stats.count, 3);
    assert.equal(stats.evicted, 2);
    assert.equal(stats.firstSeq, 3);
    assert.equal(stats.lastSeq, 5);
    assert.equal(store.get(2), undefined);
    assert.deepEqual(store.page({ limit: 10 }).entries.map(text), ['m3', 'm4', 'm5']);
  });

  it('caps by estimated bytes: payload + topic + a fixed overhead per entry', () => {
    const one = rowBytes('t/1', 'abcd');
    store = make({ maxBytes: 3 * one + 1 });
    for (let k = 1; k <= 5; k++) add(`t/${k}`, 'abcd');
    assert.equal(store.stats().count, 3);
    assert.equal(store.stats().bytes, 3 * one);
    assert.equal(store.stats().evicted, 2);
    // A larger message pushes out as many of the oldest as it needs.
    add('t/6', 'abcd'.repeat(20));
    assert.deepEqual(seqs(store.page({ limit: 10 }).entries), [6]);
    assert.equal(store.stats().evicted, 5);
    assert.ok(store.stats().bytes <= 3 * one + 1);
  });

  it('counts topics in UTF-8 bytes', () => {
    add('é/€', '');
    assert.equal(store.stats().bytes, 2 + 1 + 3 + ENTRY_OVERHEAD_BYTES);
  });

  it('counts MQTT 5 properties in the bytes and frees them on eviction', () => {
    store = make({ maxMessages: 1 });
    add('t', 'x', { properties: { userProperties: { k: 'v'.repeat(100) } } });
    assert.ok(store.stats().bytes > rowBytes('t', 'x') + 200);
    add('t', 'x', { properties: {} }); // empty properties are no properties
    assert.equal(store.stats().bytes, rowBytes('t', 'x'));
    assert.equal(store.get(2)?.properties, undefined);
  });

  it('keeps the newest message even when it alone is over the byte cap', () => {
    store = make({ maxBytes: 200 });
    add('t', 'small');
    add('t', 'x'.repeat(500));
    assert.equal(store.stats().count, 1);
    assert.equal(store.stats().firstSeq, 2);
    assert.equal(store.get(2)?.payload.byteLength, 500);
    add('t', 'small');
    assert.deepEqual(seqs(store.page({ limit: 10 }).entries), [3]);
  });

  it('keeps entries intact while the ring grows and wraps', () => {
    store = make({ maxMessages: 3000 });
    for (let k = 1; k <= 10_000; k++) add(`t/${k % 7}`, `payload-${k}`, { qos: (k % 3) as QoS });
    assert.equal(store.stats().count, 3000);
    assert.equal(store.stats().firstSeq, 7001);
    for (const seq of [7001, 8192, 9000, 10_000]) {
      const e = store.get(seq)!;
      assert.equal(text(e), `payload-${seq}`);
      assert.equal(e.topic, `t/${seq % 7}`);
      assert.equal(e.qos, seq % 3);
    }
  });

  it('keeps per-topic counts in step with eviction and forgets topics left empty', () => {
    store = make({ maxMessages: 4 });
    add('a', '1');
    add('b', '2');
    add('a', '3', { connection: 'other' });
    add('a', '4');
    assert.equal(store.countOnTopic('a'), 3);
    assert.equal(store.countOnTopic('a', 'local'), 2);
    assert.equal(store.countOnTopic('a', 'other'), 1);
    assert.equal(store.stats().topics, 3);
    add('c', '5'); // evicts seq 1 (a)
    add('c', '6'); // evicts seq 2 (b)
    assert.equal(store.countOnTopic('a', 'local'), 1);
    assert.equal(store.countOnTopic('b'), 0);
    assert.equal(store.countOnTopic('c'), 2);
    assert.equal(store.stats().topics, 3); // a@local, a@other, c@local
    assert.equal(store.countOnTopic('nope'), 0);
  });

  it('handles a topic whose only entry is evicted by its own next message', () => {
    store = make({ maxMessages: 1 });
    add('solo', '1');
    add('solo', '2');
    assert.equal(store.countOnTopic('solo'), 1);
    assert.equal(store.stats().topics, 1);
    assert.equal(text(store.page({ limit: 5, filter: { topicFilter: 'solo' } }).entries[0]), '2');
  });
});

describe('paging', () => {
  beforeEach(() => {
    store = make({ maxMessages: 50 });
    for (let k = 1; k <= 80; k++) add(`t/${k}`, `m${k}`); // keeps 31..80
  });

  it('without a position returns the newest entries, oldest first', () => {
    const page = store.page({ limit: 5 });
    assert.deepEqual(seqs(page.entries), range(76, 80));
    assert.equal(page.next, 76);
    assert.equal(page.more, true);
    assert.equal(page.firstSeq, 31);
    assert.equal(page.lastSeq, 80);
    assert.equal(page.evicted, 30);
    assert.equal(page.scanned, 5);
  });

  it('pages forwards from a seq, starting at the oldest stored one when it was evicted', () => {
    const page = store.page({ fromSeq: 10, limit: 5 });
    assert.deepEqual(seqs(page.entries), range(31, 35));
    assert.equal(page.next, 36);
    const again = store.page({ fromSeq: page.next, limit: 5 });
    assert.deepEqual(seqs(again.entries), range(36, 40));
    const end = store.page({ fromSeq: 78, limit: 5 });
    assert.deepEqual(seqs(end.entries), [78, 79, 80]);
    assert.equal(end.more, false);
    assert.equal(end.next, 81);
  });

  it('pages backwards before a seq', () => {
    const page = store.page({ beforeSeq: 40, limit: 5 });
    assert.deepEqual(seqs(page.entries), range(35, 39));
    const older = store.page({ beforeSeq: page.next, limit: 5 });
    assert.deepEqual(seqs(older.entries), range(31, 34));
    assert.equal(older.more, false);
  });

  it('bounds a forward page by beforeSeq', () => {
    assert.deepEqual(
      seqs(store.page({ fromSeq: 50, beforeSeq: 53, limit: 10 }).entries),
      [50, 51, 52],
    );
  });

  it('walks the whole store in either direction, also after more evictions', () => {
    const forward: number[] = [];
    let cursor = 0;
    for (;;) {
      const page = store.page({ fromSeq: cursor, limit: 7 });
      forward.push(...seqs(page.entries));
      cursor = page.next;
      if (!page.more) break;
      add('late', 'x'); // appends (and evictions) while paging
    }
    assert.deepEqual(forward, range(forward[0], store.stats().lastSeq));
    const backward: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = store.page({ beforeSeq: before, limit: 7 });
      backward.unshift(...seqs(page.entries));
      before = page.next;
      if (!page.more) break;
    }
    assert.deepEqual(backward, range(store.stats().firstSeq, store.stats().lastSeq));
  });

  it('returns an empty page past either end, and for limit 0', () => {
    assert.deepEqual(store.page({ fromSeq: 81, limit: 5 }).entries, []);
    assert.deepEqual(store.page({ beforeSeq: 31, limit: 5 }).entries, []);
    assert.deepEqual(store.page({ limit: 0 }).entries, []);
  });
});

describe('filters', () => {
  beforeEach(() => {
    add('home/kitchen/temp', '{"t":21.5}'); // 1
    add('home/kitchen/hum', '{"h":40}', { qos: 1 }); // 2
    add('home/garage/temp', '{"t":12}', { retain: true }); // 3
    add('office/temp', 'Alarm ON', { connection: 'work', qos: 2 }); // 4
    add('home/kitchen/temp', '{"t":22.0}', { direction: 'out', qos: 1 }); // 5
    add('$SYS/broker/uptime', '100'); // 6
    add('home', 'root', { retain: true, qos: 2 }); // 7
  });

  it('matches MQTT topic filters with + and #', () => {
    assert.deepEqual(filtered({ topicFilter: 'home/+/temp' }), [
      '1:home/kitchen/temp',
      '3:home/garage/temp',
      '5:home/kitchen/temp',
    ]);
    assert.deepEqual(
      filtered({ topicFilter: 'home/#' }).map((s) => s.split(':')[0]),
      ['1', '2', '3', '5', '7'],
    );
    assert.deepEqual(filtered({ topicFilter: '+/temp' }), ['4:office/temp']);
    // Wildcards at the start do not match $ topics (MQTT 5.0 §4.7.2).
    assert.equal(filtered({ topicFilter: '#' }).length, 6);
    assert.deepEqual(filtered({ topicFilter: '$SYS/#' }), ['6:$SYS/broker/uptime']);
    assert.deepEqual(filtered({ topicFilter: 'home/kitchen/temp' }), [
      '1:home/kitchen/temp',
      '5:home/kitchen/temp',
    ]);
  });

  it('matches text in the payload bytes, case-sensitive unless asked', () => {
    assert.deepEqual(filtered({ text: '"t":2' }), ['1:home/kitchen/temp', '5:home/kitchen/temp']);
    assert.deepEqual(filtered({ text: 'alarm' }), []);
    assert.deepEqual(filtered({ text: 'alarm', ignoreCase: true }), ['4:office/temp']);
    assert.equal(filtered({ text: '' }).length, 7);
  });

  it('finds text that is not ASCII and ignores bytes that are not UTF-8', () => {
    add('bin', new Uint8Array([0xff, 0xfe, 0x41]));
    add('u', 'température 20°');
    assert.deepEqual(filtered({ text: 'é' }), ['9:u']);
    assert.deepEqual(
      filtered({ text: 'A' }).map((s) => s.split(':')[1]),
      ['office/temp', 'bin'],
    );
  });

  it('matches a regular expression over the decoded payload, given as text or RegExp', () => {
    assert.deepEqual(filtered({ regex: '"t":2\\d\\.' }), [
      '1:home/kitchen/temp',
      '5:home/kitchen/temp',
    ]);
    // A global RegExp keeps lastIndex between test() calls; the store must not be fooled.
    const global = /"t":\d+/g;
    assert.deepEqual(filtered({ regex: global }).length, 3);
    assert.deepEqual(filtered({ regex: global }).length, 3);
    assert.deepEqual(filtered({ regex: /^alarm/i }), ['4:office/temp']);
  });

  it('filters by direction, QoS, retain flag and connection', () => {
    assert.deepEqual(filtered({ direction: 'out' }), ['5:home/kitchen/temp']);
    assert.equal(filtered({ direction: 'in' }).length, 6);
    assert.deepEqual(
      filtered({ qos: 2 }).map((s) => s.split(':')[0]),
      ['4', '7'],
    );
    assert.deepEqual(
      filtered({ qos: [1, 2] }).map((s) => s.split(':')[0]),
      ['2', '4', '5', '7'],
    );
    assert.deepEqual(
      filtered({ retainedOnly: true }).map((s) => s.split(':')[0]),
      ['3', '7'],
    );
    assert.deepEqual(filtered({ connection: 'work' }), ['4:office/temp']);
    assert.deepEqual(filtered({ connection: 'nobody' }), []);
  });

  it('combines filters', () => {
    assert.deepEqual(filtered({ topicFilter: 'home/#', qos: 1, direction: 'in' }), [
      '2:home/kitchen/hum',
    ]);
    assert.deepEqual(filtered({ topicFilter: 'home/kitchen/temp', text: '22' }), [
      '5:home/kitchen/temp',
    ]);
    assert.deepEqual(filtered({ topicFilter: 'home/kitchen/temp', connection: 'work' }), []);
  });

  it('rejects invalid filters with the reason', () => {
    assert.match(validateMessageFilter({ topicFilter: 'a/#/b' }) ?? '', /last level/);
    assert.match(validateMessageFilter({ regex: '(' }) ?? '', /regular expression/);
    assert.equal(validateMessageFilter({ topicFilter: 'a/+', regex: 'x' }), undefined);
    assert.throws(() => store.page({ limit: 1, filter: { topicFilter: 'a#' } }), RangeError);
  });
});

describe('filtered paging', () => {
  beforeEach(() => {
    store = make({ maxMessages: 1000 });
    for (let k = 1; k <= 1200; k++)
      add(`dev/${k % 10}/v`, `n=${k}`, { connection: k % 2 ? 'odd' : 'even' }); // keeps 201..1200
  });

  it('stops scanning once `limit` rows matched', () => {
    const page = store.page({ fromSeq: 0, limit: 3, filter: { topicFilter: 'dev/3/+' } });
    assert.deepEqual(seqs(page.entries), [203, 213, 223]);
    assert.equal(page.scanned, 23);
    assert.equal(page.next, 224);
    assert.equal(page.more, true);
    const back = store.page({ limit: 3, filter: { topicFilter: 'dev/3/+' } });
    assert.deepEqual(seqs(back.entries), [1173, 1183, 1193]);
    assert.equal(back.scanned, 1200 - 1173 + 1);
    assert.equal(back.next, 1173);
  });

  it('stops after maxScan rows and says where to continue', () => {
    const page = store.page({ fromSeq: 0, limit: 10, maxScan: 25, filter: { text: 'n=21' } });
    assert.deepEqual(seqs(page.entries), [210, 211, 212, 213, 214, 215, 216, 217, 218, 219]);
    const more = store.page({ fromSeq: 0, limit: 50, maxScan: 5, filter: { text: 'zzz' } });
    assert.deepEqual(more.entries, []);
    assert.equal(more.scanned, 5);
    assert.equal(more.next, 206);
    assert.equal(more.more, true);
  });

  it('pages an exact topic backwards along its chain, merging connections', () => {
    const page = store.page({ limit: 4, filter: { topicFilter: 'dev/4/v' } });
    assert.deepEqual(seqs(page.entries), [1164, 1174, 1184, 1194]);
    assert.equal(page.scanned, 4); // only the topic's own entries were visited
    const older = store.page({
      beforeSeq: page.next,
      limit: 4,
      filter: { topicFilter: 'dev/4/v' },
    });
    assert.deepEqual(seqs(older.entries), [1124, 1134, 1144, 1154]);
    // dev/5/v comes from both connections (odd seqs from "odd", even from "even" never: 5 is odd).
    const mixed = store.page({ limit: 3, beforeSeq: 1000, filter: { topicFilter: 'dev/0/v' } });
    assert.deepEqual(seqs(mixed.entries), [970, 980, 990]);
    const all: number[] = [];
    let before: number | undefined;
    for (;;) {
      const p = store.page({ beforeSeq: before, limit: 7, filter: { topicFilter: 'dev/7/v' } });
      all.unshift(...seqs(p.entries));
      before = p.next;
      if (!p.more) break;
    }
    assert.deepEqual(
      all,
      range(0, 99).map((k) => 207 + 10 * k),
    );
  });

  it('merges the chains of one topic from several connections in seq order', () => {
    store = make();
    add('shared', 'a', { connection: 'x' }); // 1
    add('shared', 'b', { connection: 'y' }); // 2
    add('other', 'c', { connection: 'x' }); // 3
    add('shared', 'd', { connection: 'y' }); // 4
    add('shared', 'e', { connection: 'x' }); // 5
    const page = store.page({ limit: 10, filter: { topicFilter: 'shared' } });
    assert.deepEqual(seqs(page.entries), [1, 2, 4, 5]);
    const onlyY = store.page({ limit: 10, filter: { topicFilter: 'shared', connection: 'y' } });
    assert.deepEqual(seqs(onlyY.entries), [2, 4]);
    const withText = store.page({ limit: 10, filter: { topicFilter: 'shared', text: 'e' } });
    assert.deepEqual(seqs(withText.entries), [5]);
    assert.deepEqual(
      seqs(store.page({ limit: 1, beforeSeq: 5, filter: { topicFilter: 'shared' } }).entries),
      [4],
    );
  });
});

describe('payload search across slabs', () => {
  it('does not match text that straddles two payloads', () => {
    add('t', 'ab');
    add('t', 'cd');
    add('t', 'xbcx');
    assert.deepEqual(
      seqs(store.page({ fromSeq: 0, limit: 9, filter: { text: 'bc' } }).entries),
      [3],
    );
    assert.deepEqual(seqs(store.page({ limit: 9, filter: { text: 'bc' } }).entries), [3]);
    assert.deepEqual(seqs(store.page({ limit: 9, filter: { text: 'abc' } }).entries), []);
  });

  it('finds exactly the payloads that contain the text, in both directions', () => {
    // 4 KiB slabs, payloads of 0-40 bytes over a small alphabet, some too big for a slab.
    store = make({ maxBytes: 64 * 1024, maxMessages: 700 });
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let k = 0; k < 1000; k++) {
      const len = k % 97 === 0 ? 1500 : Math.floor(next() * 41);
      add(`t/${k % 5}`, Array.from({ length: len }, () => 'abc'[Math.floor(next() * 3)]).join(''));
    }
    const all = store.page({ fromSeq: 0, limit: 1000 }).entries;
    assert.equal(all.length, 700);
    for (const needle of ['a', 'cab', 'abcab', 'bbbb', 'ccccccc']) {
      const expected = all.filter((e) => Buffer.from(e.payload).includes(needle)).map((e) => e.seq);
      assert.ok(expected.length > 0 || needle === 'ccccccc');
      const forward: number[] = [];
      for (let from = 0, more = true; more;) {
        const page = store.page({ fromSeq: from, limit: 13, filter: { text: needle } });
        forward.push(...seqs(page.entries));
        ({ next: from, more } = page);
      }
      assert.deepEqual(forward, expected, `forwards, ${needle}`);
      const backward: number[] = [];
      for (let before: number | undefined, more = true; more;) {
        const page = store.page({ beforeSeq: before, limit: 13, filter: { text: needle } });
        backward.unshift(...seqs(page.entries));
        ({ next: before, more } = page);
      }
      assert.deepEqual(backward, expected, `backwards, ${needle}`);
      const chain = store.page({ limit: 1000, filter: { topicFilter: 't/3', text: needle } });
      assert.deepEqual(
        seqs(chain.entries),
        expected.filter((seq) => store.get(seq)?.topic === 't/3'),
        `along a topic chain, ${needle}`,
      );
    }
  });
});

describe('topic filter verdicts kept between pages', () => {
  it('forgets a verdict when a topic id is reused by another topic', () => {
    store = make({ maxMessages: 2 });
    add('a/x'); // 1
    add('b/y'); // 2
    assert.deepEqual(seqs(store.page({ limit: 9, filter: { topicFilter: 'a/+' } }).entries), [1]);
    add('b/z'); // 3, evicts a/x and frees its id
    add('c/w'); // 4, evicts b/y; c/w takes the freed id
    assert.deepEqual(store.page({ limit: 9, filter: { topicFilter: 'a/+' } }).entries, []);
    assert.deepEqual(seqs(store.page({ limit: 9, filter: { topicFilter: 'c/+' } }).entries), [4]);
    assert.deepEqual(seqs(store.page({ limit: 9, filter: { topicFilter: '+/z' } }).entries), [3]);
  });

  it('keeps answering right for many filters and many new topics', () => {
    const filters = Array.from({ length: 12 }, (_, k) => `d/${k}/+`);
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 200; k++) add(`d/${k % 12}/${round}-${k}`);
      for (const f of filters) {
        const got = store.page({ fromSeq: 0, limit: 10_000, filter: { topicFilter: f } }).entries;
        assert.equal(got.length, Math.ceil((200 - Number(f.split('/')[1])) / 12) * (round + 1), f);
      }
    }
  });
});

describe('previousOnTopic', () => {
  it('links entries of the same topic and connection, not others', () => {
    add('a', '1'); // 1
    add('b', '2'); // 2
    add('a', '3', { connection: 'other' }); // 3
    add('a', '4', { direction: 'out' }); // 4
    add('a', '5'); // 5
    assert.equal(store.previousOnTopic(5)?.seq, 4);
    assert.equal(store.previousOnTopic(4)?.seq, 1);
    assert.equal(store.previousOnTopic(1), undefined);
    assert.equal(store.previousOnTopic(3), undefined);
    assert.equal(store.previousOnTopic(2), undefined);
    assert.equal(store.previousOnTopic(99), undefined);
  });

  it('ends where eviction removed the previous entry, and restarts for a returning topic', () => {
    store = make({ maxMessages: 3 });
    add('a', '1'); // 1
    add('b', '2'); // 2
    add('a', '3'); // 3
    assert.equal(store.previousOnTopic(3)?.seq, 1);
    add('c', '4'); // 4, evicts 1
    assert.equal(store.previousOnTopic(3), undefined);
    assert.equal(store.previousOnTopic(1), undefined);
    add('c', '5'); // evicts 2
    add('c', '6'); // evicts 3: topic a is gone
    add('a', '7'); // evicts 4
    assert.equal(store.previousOnTopic(7), undefined);
    assert.equal(store.previousOnTopic(6)?.seq, 5);
    assert.equal(text(store.previousOnTopic(6)), '5');
  });
});

describe('onDidAppend', () => {
  let events: AppendSummary[];
  beforeEach(() => {
    events = [];
    store.onDidAppend((e) => events.push(e));
  });

  it('reports a flood as one event per interval, carrying counts only', () => {
    for (let k = 0; k < 1000; k++) add(`t/${k % 10}`);
    assert.equal(events.length, 0);
    assert.equal(clock.pending, 1);
    clock.advance(DEFAULT_APPEND_BATCH_MS - 1);
    assert.equal(events.length, 0);
    clock.advance(1);
    assert.deepEqual(events, [{ lastSeq: 1000, count: 1000, evicted: 0 }]);
    clock.advance(1000);
    assert.equal(events.length, 1, 'no appends, no event');
    add('t/x');
    clock.advance(DEFAULT_APPEND_BATCH_MS);
    assert.deepEqual(events[1], { lastSeq: 1001, count: 1001, evicted: 0 });
  });

  it('reports evictions and honours a custom interval and flush()', () => {
    store = make({ maxMessages: 10, batchMs: 20 });
    store.onDidAppend((e) => events.push(e));
    for (let k = 0; k < 25; k++) add('t');
    clock.advance(20);
    assert.deepEqual(events, [{ lastSeq: 25, count: 10, evicted: 15 }]);
    add('t');
    store.flush();
    assert.deepEqual(events[1], { lastSeq: 26, count: 10, evicted: 16 });
    assert.equal(clock.pending, 0);
  });

  it('stops after dispose', () => {
    add('t');
    store.dispose();
    clock.advance(1000);
    assert.equal(events.length, 0);
    assert.equal(clock.pending, 0);
  });
});

describe('clear', () => {
  it('empties the store, keeps numbering and cancels the pending event', () => {
    store = make({ maxMessages: 3 });
    const appended: AppendSummary[] = [];
    let cleared = 0;
    store.onDidAppend((e) => appended.push(e));
    store.onDidClear(() => cleared++);
    for (let k = 0; k < 5; k++) add('a', `${k}`);
    store.clear();
    assert.equal(cleared, 1);
    assert.deepEqual(store.stats(), {
      count: 0,
      bytes: 0,
      evicted: 0,
      firstSeq: 6,
      lastSeq: 5,
      topics: 0,
    });
    assert.equal(store.get(5), undefined);
    assert.deepEqual(store.page({ limit: 10 }).entries, []);
    assert.equal(store.countOnTopic('a'), 0);
    clock.advance(1000);
    assert.deepEqual(appended, []);
    assert.equal(add('a', 'new'), 6);
    assert.equal(store.previousOnTopic(6), undefined);
    assert.deepEqual(store.page({ limit: 10 }).entries.map(text), ['new']);
    clock.advance(DEFAULT_APPEND_BATCH_MS);
    assert.deepEqual(appended, [{ lastSeq: 6, count: 1, evicted: 0 }]);
  });
});

describe('PayloadArena', () => {
  it('releases slabs in order, refills released ones, and hands out copies', () => {
    const arena = new PayloadArena(8);
    const a = arena.write(Buffer.from('aaaa'));
    const b = arena.write(Buffer.from('bbbb'));
    const c = arena.write(Buffer.from('cccc')); // does not fit: a new slab
    assert.equal(a, b);
    assert.equal(c, a + 1);
    assert.equal(arena.lastOffset, 0);
    assert.equal(arena.slabCount, 2);
    const copy = arena.copy(a, 4, 4);
    arena.release(a);
    assert.equal(arena.slabCount, 2, 'slab a still holds bbbb');
    arena.release(a);
    assert.equal(arena.slabCount, 1);
    arena.write(Buffer.from('dddd'));
    const e = arena.write(Buffer.from('eeee')); // refills the released slab
    assert.equal(e, c + 1);
    assert.equal(Buffer.from(arena.view(e, 0, 4)).toString(), 'eeee');
    assert.equal(Buffer.from(copy).toString(), 'bbbb', 'a copy does not change with its slab');
    arena.clear();
    assert.equal(arena.slabCount, 0);
    assert.equal(arena.write(Buffer.from('ffff')), e + 1, 'slab numbers never repeat');
  });
});
