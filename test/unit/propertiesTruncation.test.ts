/**
 * What becomes of a message whose MQTT 5 properties were cut on receipt: the store keeps the
 * flag with the entry and counts the kept properties in its byte budget; rows carry the flag;
 * a detail carries at most DETAIL_MAX_PROPERTIES properties and counts the rest.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageStore, ENTRY_OVERHEAD_BYTES } from '../../src/core/store/messageStore';
import { toLogDetail, toLogRow } from '../../src/core/log/logRows';
import { DETAIL_MAX_PROPERTIES } from '../../src/protocol/messageLog';
import { FakeScheduler } from './fakeScheduler';

function manyProperties(n: number): Record<string, unknown> {
  const userProperties: Record<string, string> = {};
  for (let i = 0; i < n; i++) userProperties[`key-${String(i).padStart(4, '0')}`] = 'value';
  return { contentType: 'text/plain', userProperties };
}

describe('messages whose properties were truncated', () => {
  it('keep the flag in the store, in rows and details; details carry the first properties only', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler() });
    const truncation = { count: 1_000_000, bytes: 12_888_868 };
    const seq = store.append('c', 'in', {
      topic: 't',
      payload: Buffer.from('x'),
      qos: 0,
      retain: false,
      properties: manyProperties(256),
      propertiesTruncated: truncation,
    });
    const entry = store.get(seq)!;
    assert.deepEqual(entry.propertiesTruncated, truncation);
    assert.deepEqual(toLogRow(entry).propertiesTruncated, truncation);
    const detail = toLogDetail(entry, undefined, false);
    assert.equal(detail.properties.length, DETAIL_MAX_PROPERTIES);
    assert.equal(detail.propertiesOmitted, 257 - DETAIL_MAX_PROPERTIES);
    assert.equal(detail.properties[0].name, 'contentType');
    store.dispose();
  });

  it('leave other messages unflagged and whole', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler() });
    const seq = store.append('c', 'in', {
      topic: 't',
      payload: Buffer.from('x'),
      qos: 0,
      retain: false,
      properties: manyProperties(3),
    });
    const entry = store.get(seq)!;
    assert.equal(entry.propertiesTruncated, undefined);
    assert.equal('propertiesTruncated' in toLogRow(entry), false);
    const detail = toLogDetail(entry, undefined, false);
    assert.equal(detail.properties.length, 4);
    assert.equal(detail.propertiesOmitted, undefined);
    store.dispose();
  });

  it('count the kept properties in the byte budget', () => {
    const store = new MessageStore({ scheduler: new FakeScheduler(), maxBytes: 1024 * 1024 });
    for (let i = 0; i < 100; i++)
      store.append('c', 'in', {
        topic: 't',
        payload: Buffer.from('x'),
        qos: 0,
        retain: false,
        properties: manyProperties(256),
      });
    const { count, bytes } = store.stats();
    assert.ok(bytes <= 1024 * 1024);
    assert.ok(
      bytes / count > 256 * 20 + ENTRY_OVERHEAD_BYTES,
      `${bytes / count} bytes per message`,
    );
    assert.ok(count < 100, 'the oldest were evicted to stay within the budget');
    store.dispose();
  });
});
