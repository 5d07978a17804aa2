/**
 * A PUBLISH the broker closes the connection over (MQTT 5 DISCONNECT 0x9B QoS not supported,
 * 0x95 Packet too large, ...) is failed with that reason once, not re-sent after every
 * reconnect: before, each reconnect re-sent it and the broker closed the link again, forever.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Packet } from 'mqtt';
import { PublishError } from '../../src/core/session/publishing';
import { RefusedPublishWatch } from '../../src/core/session/refusedPublish';
import { scriptedSession } from './fakeMqttClient';

function setup() {
  const { session, scheduler, client } = scriptedSession({ protocolVersion: 5, clean: false });
  /** The link goes down after the broker's DISCONNECT with `reasonCode`; then the retry. */
  const closeWith = (reasonCode: number) => {
    const packet = { cmd: 'disconnect', reasonCode } as Packet;
    client().emit('packetreceive', packet);
    client().emit('disconnect', packet);
    client().drop();
    const s = session.state;
    assert.ok(s.kind === 'reconnecting' && s.nextAttemptAt !== undefined);
    scheduler.advance(s.nextAttemptAt - scheduler.now());
  };
  const send = (qos: 1 | 2, payload: string) => {
    const outcome = session.publish({ topic: 't', payload, qos, retain: false });
    const sent = client().published[client().published.length - 1];
    client().emit('packetsend', { cmd: 'publish', qos, messageId: sent.messageId } as Packet);
    return { outcome, messageId: sent.messageId! };
  };
  return { session, client, closeWith, send };
}

describe('a publish the broker closed the connection over', () => {
  it('fails with the broker reason and is not sent again; the others are', async () => {
    const { session, client, closeWith, send } = setup();
    void session.connect();
    client().accept();
    const earlier = send(1, 'fine');
    const refused = send(2, 'too high');
    closeWith(0x9b);
    await assert.rejects(refused.outcome, (error: unknown) => {
      assert.ok(error instanceof PublishError);
      assert.equal(error.result.state, 'refused');
      assert.equal(error.result.reasonCode, 0x9b);
      assert.match(error.message, /0x9B QoS not supported/);
      return true;
    });
    assert.deepEqual(Object.keys(client().outgoing), [String(earlier.messageId)]);
    client().accept(true);
    client().ack(earlier.messageId);
    await earlier.outcome;
  });

  it('a DISCONNECT for another reason keeps the publish for re-sending', () => {
    const { session, client, closeWith, send } = setup();
    void session.connect();
    client().accept();
    const kept = send(1, 'x');
    kept.outcome.catch(() => undefined);
    closeWith(0x8b); // Server shutting down: nothing wrong with the PUBLISH
    assert.deepEqual(Object.keys(client().outgoing), [String(kept.messageId)]);
  });
});

describe('RefusedPublishWatch', () => {
  it('names the PUBLISH sent last and unanswered, once', () => {
    const watch = new RefusedPublishWatch();
    watch.observe('sent', { cmd: 'publish', qos: 1, messageId: 4 } as Packet);
    watch.observe('sent', { cmd: 'publish', qos: 1, messageId: 5 } as Packet);
    watch.observe('received', {
      cmd: 'disconnect',
      reasonCode: 0x95,
      properties: { reasonString: 'too big' },
    } as Packet);
    assert.deepEqual(watch.take(), { messageId: 5, reasonCode: 0x95, reasonString: 'too big' });
    assert.equal(watch.take(), undefined);
  });

  it('an answered PUBLISH or a QoS 0 one is never named', () => {
    const watch = new RefusedPublishWatch();
    watch.observe('sent', { cmd: 'publish', qos: 1, messageId: 4 } as Packet);
    watch.observe('received', { cmd: 'puback', messageId: 4 } as Packet);
    watch.observe('sent', { cmd: 'publish', qos: 0 } as Packet);
    watch.observe('received', { cmd: 'disconnect', reasonCode: 0x9a } as Packet);
    assert.equal(watch.take(), undefined);
  });
});
