/**
 * The log links a request and its replies by response topic and correlation data, byte for byte,
 * on the same connection; other correlation data, another topic or connection are not linked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageStore } from '../../src/core/store/messageStore';
import { findRequestSeq, requestLinkOf } from '../../src/core/log/requestLinks';
import { FakeScheduler } from './fakeScheduler';

const cd = Buffer.from('aa'.repeat(16));
const other = Buffer.from('ab'.repeat(16));

function store() {
  const scheduler = new FakeScheduler(0);
  const s = new MessageStore({ scheduler });
  const add = (
    connection: string,
    direction: 'in' | 'out',
    topic: string,
    at: number,
    properties?: Record<string, unknown>,
  ) =>
    s.append(connection, direction, {
      topic,
      payload: Buffer.from('x'),
      qos: 0,
      retain: false,
      properties,
      receivedAt: at,
    });
  return { s, add };
}

describe('request links in the log', () => {
  it('links a request to its first reply with the latency and counts the others', () => {
    const { s, add } = store();
    const req = add('c', 'out', 'svc/echo', 100, {
      responseTopic: 'c/responses/1',
      correlationData: cd,
    });
    add('c', 'in', 'c/responses/1', 105, { correlationData: other }); // other data
    add('other', 'in', 'c/responses/1', 106, { correlationData: cd }); // other connection
    add('c', 'in', 'c/responses/2', 107, { correlationData: cd }); // other topic
    const first = add('c', 'in', 'c/responses/1', 112, { correlationData: Buffer.from(cd) });
    const second = add('c', 'in', 'c/responses/1', 130, { correlationData: cd });
    assert.deepEqual(requestLinkOf(s, s.get(req)!), {
      role: 'request',
      replySeq: first,
      latencyMs: 12,
      otherReplies: 1,
    });
    assert.deepEqual(requestLinkOf(s, s.get(first)!), { role: 'reply', requestSeq: req });
    assert.deepEqual(requestLinkOf(s, s.get(second)!), { role: 'reply', requestSeq: req });
    assert.equal(requestLinkOf(s, s.get(req + 1)!), undefined, 'other correlation data');
    assert.equal(requestLinkOf(s, s.get(req + 2)!), undefined, 'other connection');
    assert.equal(requestLinkOf(s, s.get(req + 3)!), undefined, 'other topic');
    assert.equal(findRequestSeq(s, 'c', 'svc/echo', cd), req);
    assert.equal(findRequestSeq(s, 'c', 'svc/echo', other), undefined);
  });

  it('a request without a reply says so; a message without correlation data has no link', () => {
    const { s, add } = store();
    const req = add('c', 'out', 'svc/echo', 0, { responseTopic: 'r', correlationData: cd });
    const plain = add('c', 'in', 'r', 1);
    assert.deepEqual(requestLinkOf(s, s.get(req)!), { role: 'request', otherReplies: 0 });
    assert.equal(requestLinkOf(s, s.get(plain)!), undefined);
  });
});
