/**
 * Which copies of a publication a temporary subscription with its own identifier counts, fed
 * the copy sequences the brokers were measured sending (test/broker/overlappingSubscriptions).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OwnCopies, subscriptionIdentifiers, type Copy } from '../../src/core/session/ownCopies';

const OURS = 268_435_454;
const copy = (payload: string, ids?: number | number[], topic = 'lab/dev/a'): Copy => ({
  topic,
  payload: Buffer.from(payload),
  retain: false,
  ...(ids === undefined ? {} : { properties: { subscriptionIdentifier: ids } }),
});

/** How many of `copies` the subscription counts (each one matching unless on `other/`). */
function counted(copies: Copy[], broker = { separateCopies: false }): number {
  const own = new OwnCopies(OURS, broker);
  return copies.filter((c) => own.accept(c, !c.topic.startsWith('other/'))).length;
}

describe('own copies of an identified temporary subscription', () => {
  it('one copy per subscription (Mosquitto, MQTT 5): counts each publication once', () => {
    assert.equal(counted([copy('a'), copy('a', OURS)]), 1, "the user's copy first");
    assert.equal(counted([copy('a', OURS), copy('a')]), 1, 'ours first');
    assert.equal(
      counted([copy('a'), copy('a', OURS), copy('a', OURS), copy('a'), copy('b'), copy('b', OURS)]),
      3,
      'identical publications in a row',
    );
    assert.equal(
      counted([copy('a', 7), copy('a'), copy('a', OURS)]),
      1,
      'two user subscriptions (one identified) ahead of ours',
    );
  });

  it('one copy per message (aedes beta): counts the single copy with or without ours', () => {
    assert.equal(counted([copy('a'), copy('a'), copy('a')]), 3, 'without identifiers');
    assert.equal(counted([copy('a', 7), copy('a', 7)]), 2, "the user's identifier");
    assert.equal(counted([copy('a', OURS), copy('a', OURS)]), 2, 'ours');
    assert.equal(counted([copy('a', [7, OURS])]), 1, 'every identifier on one copy');
  });

  it('what a broker showed is kept for the next subscription on the connection', () => {
    const broker = { separateCopies: false };
    assert.equal(counted([copy('a'), copy('a', OURS)], broker), 1);
    assert.equal(broker.separateCopies, true);
    assert.equal(counted([copy('b'), copy('b', OURS), copy('c'), copy('c', OURS)], broker), 2);
    assert.equal(counted([copy('d')], broker), 0, 'a copy without ours is never counted now');
  });

  it('a message between copies ends the pairing; non-matching copies never count', () => {
    assert.equal(counted([copy('a'), copy('x', undefined, 'other/x'), copy('a')]), 2);
    assert.equal(counted([copy('x', OURS, 'other/x')]), 0);
  });

  it('reads one identifier or a list of them', () => {
    assert.deepEqual(subscriptionIdentifiers(copy('a', 5)), [5]);
    assert.deepEqual(subscriptionIdentifiers(copy('a', [5, 9])), [5, 9]);
    assert.deepEqual(subscriptionIdentifiers(copy('a')), []);
  });
});
