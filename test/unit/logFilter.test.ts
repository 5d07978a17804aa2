/**
 * The Message Log filter's one normal form (src/protocol/logFilter.ts): what the webview sends
 * and restores, and what the host turns into a store filter.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLogFilter } from '../../src/protocol/logFilter';
import type { LogFilter } from '../../src/protocol/messageLog';
import { toMessageFilter } from '../../src/core/log/logRows';
import { isFiltering, restoreState, sameFilter } from '../../src/webview/messageLog/state';

describe('normalizeLogFilter', () => {
  it('drops empty fields, a regex flag without text and QoS lists naming every level', () => {
    assert.deepEqual(
      normalizeLogFilter({ topicFilter: '', text: '', qos: [0, 1, 2], regex: true }),
      {},
    );
    assert.deepEqual(normalizeLogFilter({ qos: [], connection: '', retainedOnly: false }), {});
  });

  it('keeps QoS levels in order, each once', () => {
    assert.deepEqual(normalizeLogFilter({ text: 'a', regex: true, qos: [2, 0] }), {
      text: 'a',
      regex: true,
      qos: [0, 2],
    });
    assert.deepEqual(normalizeLogFilter({ qos: [1, 1] }), { qos: [1] });
  });

  it('trims the topic filter but not the payload text', () => {
    assert.deepEqual(normalizeLogFilter({ topicFilter: ' a/+ ', text: ' x ' }), {
      topicFilter: 'a/+',
      text: ' x ',
    });
    assert.deepEqual(normalizeLogFilter({ topicFilter: '   ' }), {});
  });

  it('drops fields of the wrong type or unknown fields (a stored state from elsewhere)', () => {
    const stored = {
      topicFilter: 5,
      direction: 'sideways',
      qos: 'all',
      retainedOnly: 'yes',
      extra: 1,
      connection: 'c',
    } as unknown as LogFilter;
    assert.deepEqual(normalizeLogFilter(stored), { connection: 'c' });
  });

  it('is idempotent', () => {
    const f: LogFilter = {
      topicFilter: ' a/# ',
      text: 'x',
      regex: true,
      qos: [2, 1],
      direction: 'in',
    };
    const once = normalizeLogFilter(f);
    assert.deepEqual(normalizeLogFilter(once), once);
  });
});

describe('the webview and the host read a filter alike', () => {
  const filters: LogFilter[] = [
    {},
    { topicFilter: ' a/+ ', qos: [0, 1, 2] },
    { text: 'Temp', regex: false, qos: [2, 0], retainedOnly: true },
    { text: '', regex: true, connection: 'c', direction: 'out' },
  ];

  it('filters on what the webview calls a filter in use', () => {
    for (const f of filters) {
      const store = toMessageFilter(f).filter;
      assert.equal(store !== undefined, isFiltering(f), JSON.stringify(f));
    }
  });

  it('gives the same store filter for filters the webview calls the same', () => {
    assert.ok(sameFilter({ topicFilter: 'a/+', qos: [0, 1, 2] }, { topicFilter: ' a/+ ' }));
    assert.deepEqual(
      toMessageFilter({ topicFilter: 'a/+', qos: [0, 1, 2] }),
      toMessageFilter({ topicFilter: ' a/+ ' }),
    );
    assert.deepEqual(toMessageFilter({ qos: [2, 0] }).filter, { qos: [0, 2] });
  });

  it('restores a stored filter in its normal form', () => {
    const state = restoreState({ filter: { topicFilter: ' x/# ', qos: [1, 0, 1] } });
    assert.deepEqual(state.filter, { topicFilter: 'x/#', qos: [0, 1] });
  });
});
