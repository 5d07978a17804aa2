/** RedeliveryMarks against MQTT.js's own Store: only PUBLISH packets that went out unanswered get DUP. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Store, type IPublishPacket, type Packet } from 'mqtt';
import { RedeliveryMarks } from '../../src/core/session/redelivery';

const publish = (messageId: number, qos: 1 | 2 = 1): IPublishPacket => ({
  cmd: 'publish',
  topic: 't',
  payload: Buffer.from(String(messageId)),
  qos,
  retain: false,
  dup: false,
  messageId,
});

function stored(store: Store, messageId: number): Packet | undefined {
  let found: Packet | undefined;
  store.get({ cmd: 'publish', messageId } as Packet, (_e, p) => (found = p));
  return found;
}

describe('RedeliveryMarks', () => {
  it('flags DUP on stored publishes that were sent and not answered', () => {
    const store = new Store();
    const marks = new RedeliveryMarks();
    for (const id of [1, 2, 3]) store.put(publish(id), () => undefined);
    marks.observe('sent', publish(1));
    marks.observe('sent', publish(2, 2));
    // 3 was stored but never written (queued while the link was down): not a re-delivery.
    marks.markStored(store);
    assert.equal((stored(store, 1) as IPublishPacket).dup, true);
    assert.equal((stored(store, 2) as IPublishPacket).dup, true);
    assert.equal((stored(store, 3) as IPublishPacket).dup, false);
  });

  it('leaves a PUBREL alone once the PUBREC came, and forgets answered ids', () => {
    const store = new Store();
    const marks = new RedeliveryMarks();
    marks.observe('sent', publish(7, 2));
    marks.observe('received', { cmd: 'pubrec', messageId: 7 });
    store.put({ cmd: 'pubrel', messageId: 7 }, () => undefined);
    marks.observe('sent', publish(8));
    marks.observe('received', { cmd: 'puback', messageId: 8 });
    store.put(publish(8), () => undefined); // the id reused by a new, unsent message
    marks.markStored(store);
    assert.deepEqual(stored(store, 7), { cmd: 'pubrel', messageId: 7 });
    assert.equal((stored(store, 8) as IPublishPacket).dup, false);
  });
});
