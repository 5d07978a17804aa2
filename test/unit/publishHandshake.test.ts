/**
 * PublishHandshake: which acknowledgement packets went by for each of our publishes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Packet } from 'mqtt';
import { PublishHandshake } from '../../src/core/session/publishHandshake';

const packet = (cmd: string, messageId?: number) => ({ cmd, messageId }) as unknown as Packet;

describe('PublishHandshake', () => {
  it('records a QoS 1 publish: PUBACK', () => {
    const h = new PublishHandshake();
    h.observe('sent', packet('publish', 1));
    h.observe('received', packet('puback', 1));
    assert.deepEqual(h.take(1), ['PUBACK']);
  });

  it('records a QoS 2 publish: PUBREC → PUBREL → PUBCOMP', () => {
    const h = new PublishHandshake();
    h.observe('sent', packet('publish', 7));
    h.observe('received', packet('pubrec', 7));
    h.observe('sent', packet('pubrel', 7));
    h.observe('received', packet('pubcomp', 7));
    assert.deepEqual(h.take(7), ['PUBREC', 'PUBREL', 'PUBCOMP']);
  });

  it('forgets an identifier once taken, so a reused identifier starts afresh', () => {
    const h = new PublishHandshake();
    h.observe('received', packet('puback', 3));
    assert.deepEqual(h.take(3), ['PUBACK']);
    assert.deepEqual(h.take(3), []);
    h.observe('received', packet('pubrec', 3));
    assert.deepEqual(h.take(3), ['PUBREC']);
  });

  it('keeps identifiers apart', () => {
    const h = new PublishHandshake();
    h.observe('received', packet('pubrec', 1));
    h.observe('received', packet('puback', 2));
    h.observe('sent', packet('pubrel', 1));
    assert.deepEqual(h.take(2), ['PUBACK']);
    assert.deepEqual(h.take(1), ['PUBREC', 'PUBREL']);
  });

  it('ignores the acknowledgements of messages we receive', () => {
    const h = new PublishHandshake();
    // An incoming QoS 2 message: we send PUBREC and PUBCOMP, and receive PUBREL.
    h.observe('received', packet('publish', 5));
    h.observe('sent', packet('pubrec', 5));
    h.observe('received', packet('pubrel', 5));
    h.observe('sent', packet('pubcomp', 5));
    // An incoming QoS 1 message: we send PUBACK.
    h.observe('sent', packet('puback', 5));
    assert.deepEqual(h.take(5), []);
  });

  it('ignores other packets and packets without identifier', () => {
    const h = new PublishHandshake();
    h.observe('received', packet('suback', 9));
    h.observe('received', packet('unsuback', 9));
    h.observe('received', packet('pingresp'));
    h.observe('received', packet('puback'));
    assert.deepEqual(h.take(9), []);
  });

  it('stays bounded when acknowledgements are never taken, dropping the oldest', () => {
    const h = new PublishHandshake();
    for (let id = 0; id < 10_001; id++) h.observe('received', packet('puback', id));
    assert.deepEqual(h.take(0), [], 'the oldest was dropped');
    assert.deepEqual(h.take(1), ['PUBACK']);
    assert.deepEqual(h.take(10_000), ['PUBACK']);
  });
});
