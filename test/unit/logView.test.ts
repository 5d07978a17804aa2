import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogView } from '../../src/core/log/logView';
import { toLogDetail, toLogRow, toMessageFilter, propertyList } from '../../src/core/log/logRows';
import { MessageStore } from '../../src/core/store/messageStore';
import { FakeScheduler } from './fakeScheduler';
import { visibleLine } from '../../src/shared/visibleText';

function storeWith(count: number, options: { maxMessages?: number } = {}) {
  const store = new MessageStore({ scheduler: new FakeScheduler(), ...options });
  for (let i = 0; i < count; i++) {
    store.append(i % 2 ? 'b' : 'a', i % 3 ? 'in' : 'out', {
      topic: `t/${i % 10}`,
      payload: Buffer.from(`{"i":${i}}`),
      qos: (i % 3) as 0 | 1 | 2,
      retain: i % 7 === 0,
    });
  }
  return store;
}

describe('LogView', () => {
  it('addresses every stored message by index when unfiltered', () => {
    const store = storeWith(50);
    const view = new LogView(store);
    assert.equal(view.length, 50);
    assert.equal(view.seqAt(0), 1);
    assert.equal(view.seqAt(49), 50);
    assert.equal(view.seqAt(50), undefined);
    assert.deepEqual(
      view.rows(10, 3).map((e) => e.seq),
      [11, 12, 13],
    );
    assert.equal(view.indexOf(11), 10);
  });

  it('keeps only matching rows under a filter and extends them as messages arrive', () => {
    const store = storeWith(100);
    const view = new LogView(store);
    view.setFilter({ topicFilter: 't/3' });
    assert.equal(view.length, 10);
    assert.ok(view.rows(0, 100).every((e) => e.topic === 't/3'));
    store.append('a', 'in', { topic: 't/3', payload: Buffer.from('x'), qos: 0, retain: false });
    store.append('a', 'in', { topic: 't/4', payload: Buffer.from('y'), qos: 0, retain: false });
    assert.equal(view.length, 11);
    const last = view.rows(10, 1)[0];
    assert.equal(last.seq, 101);
    assert.equal(view.indexOf(101), 10);
    assert.equal(view.indexOf(102), -1);
  });

  it('drops evicted rows from the front of a filtered view', () => {
    const store = storeWith(100, { maxMessages: 50 });
    const view = new LogView(store);
    view.setFilter({ topicFilter: 't/#', direction: 'out' });
    const seqs = view.rows(0, 100).map((e) => e.seq);
    assert.ok(seqs.length > 0);
    assert.ok(
      seqs.every((s) => s > 50),
      `evicted seqs remain: ${seqs.join(',')}`,
    );
    for (let i = 0; i < 60; i++)
      store.append('a', 'out', { topic: 't/x', payload: Buffer.from('z'), qos: 0, retain: false });
    const after = view.rows(0, 1000).map((e) => e.seq);
    assert.ok(after.every((s) => s > 110));
    assert.equal(view.length, after.length);
  });

  it('follows a clear of the store', () => {
    const store = storeWith(20);
    const view = new LogView(store);
    view.setFilter({ connection: 'a' });
    assert.equal(view.length, 10);
    store.clear();
    assert.equal(view.length, 0);
    view.setFilter(undefined);
    assert.equal(view.length, 0);
  });
});

describe('log rows', () => {
  it('turns an entry into a row with a bounded preview, as sent, for the webview to mark', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler() });
    const seq = store.append('c', 'in', {
      topic: 'a/b',
      payload: Buffer.from('x\u202Ey'.repeat(300)),
      qos: 1,
      retain: true,
    });
    const row = toLogRow(store.get(seq)!);
    assert.equal(row.topic, 'a/b');
    assert.equal(row.size, Buffer.byteLength('x\u202Ey'.repeat(300)));
    assert.equal(row.binary, false);
    assert.equal(row.preview, `${'x\u202Ey'.repeat(300).slice(0, 200)}…`);
    assert.ok(!visibleLine(row.preview).includes('\u202E'), 'the shown preview has no override');
  });

  it('marks invalid UTF-8 as binary with a hex preview', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler() });
    const seq = store.append('c', 'in', {
      topic: 'bin',
      payload: Uint8Array.from([0xff, 0xfe, 0x00, 0x41]),
      qos: 0,
      retain: false,
    });
    const row = toLogRow(store.get(seq)!);
    assert.equal(row.binary, true);
    assert.match(row.preview, /^0x ff fe 00 41/);
  });

  it('bounds the detail payload unless the full payload is asked for, with the previous message', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler() });
    const first = store.append('c', 'in', {
      topic: 'big',
      payload: Buffer.alloc(10),
      qos: 0,
      retain: false,
    });
    const seq = store.append('c', 'in', {
      topic: 'big',
      payload: Buffer.alloc(400 * 1024, 0x61),
      qos: 0,
      retain: false,
    });
    const entry = store.get(seq)!;
    const cut = toLogDetail(entry, store.previousOnTopic(seq), false);
    assert.equal(cut.truncated, true);
    assert.equal(cut.payload.byteLength, 256 * 1024);
    assert.equal(cut.previous?.seq, first);
    const full = toLogDetail(entry, undefined, true);
    assert.equal(full.truncated, false);
    assert.equal(full.payload.byteLength, 400 * 1024);
  });

  it('reads a cut text as text although the cut falls inside a character, and sends no copy of it', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler() });
    // 300,000 bytes of three-byte characters: 256 KiB ends one byte into a character.
    const seq = store.append('c', 'in', {
      topic: 'cjk',
      payload: Buffer.from('温度'.repeat(50_000), 'utf8'),
      qos: 0,
      retain: false,
    });
    const cut = toLogDetail(store.get(seq)!, undefined, false);
    assert.equal(cut.truncated, true);
    assert.equal(cut.decoded?.decoder, 'text');
    assert.equal(cut.decoded?.error, undefined);
    assert.equal(cut.decoded?.text, undefined, 'the page has the bytes already');
  });

  it('lists MQTT 5 properties as text', () => {
    const list = propertyList({
      contentType: 'application/json',
      correlationData: Buffer.from([1, 2, 255]),
      userProperties: { site: 'a', tags: ['x', 'y'] },
      subscriptionIdentifier: [3, 4],
    });
    assert.deepEqual(list, [
      { name: 'contentType', value: 'application/json' },
      { name: 'correlationData', value: 'hex 01 02 ff' },
      { name: 'subscriptionIdentifier', value: '3, 4' },
      { name: 'user property "site"', value: 'a' },
      { name: 'user property "tags"', value: 'x' },
      { name: 'user property "tags"', value: 'y' },
    ]);
  });

  it('converts toolbar filters and reports invalid ones', () => {
    assert.deepEqual(toMessageFilter({}), { filter: undefined });
    assert.deepEqual(toMessageFilter({ topicFilter: ' a/+ ', qos: [0, 1, 2] }).filter, {
      topicFilter: 'a/+',
    });
    assert.match(toMessageFilter({ topicFilter: 'a/#/b' }).error ?? '', /"#"/);
    assert.match(toMessageFilter({ text: '(', regex: true }).error ?? '', /regular expression/);
    const text = toMessageFilter({ text: 'Temp' }).filter;
    assert.deepEqual(text, { text: 'Temp', ignoreCase: true });
  });
});
