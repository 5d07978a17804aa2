/**
 * A session keeps what the broker allows per connection and refuses, before sending, what the
 * broker said it does not allow: the refusal reaches the caller and the traffic hub (as a
 * failed outcome), and nothing goes to the client. Driven with a scripted client and fake time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IConnackPacket, Packet } from 'mqtt';
import type { TrafficEvent } from '../../src/core/traffic/trafficTypes';
import { scriptedSession, type FakeMqttClient } from './fakeMqttClient';

function setup(raw: Record<string, unknown> = {}) {
  const { session, clients } = scriptedSession({ protocolVersion: 5, ...raw });
  const traffic: TrafficEvent[] = [];
  session.onTraffic((e) => traffic.push(e));
  const client = (): FakeMqttClient => clients[clients.length - 1];
  return { session, client, traffic };
}

/** The broker accepts with these CONNACK properties. */
function accept(client: FakeMqttClient, properties: IConnackPacket['properties']): void {
  const connack = { cmd: 'connack', reasonCode: 0, sessionPresent: false, properties };
  client.emit('packetreceive', connack as Packet);
  client.connected = true;
  client.emit('connect', connack);
}

const settle = () => new Promise((r) => setImmediate(r));

describe('MqttSession and what the broker allows', () => {
  it("a temporary subscription (a request's response topic) is checked too: refused unsent", async () => {
    const { session, client } = setup();
    const connected = session.connect();
    accept(client(), { wildcardSubscriptionAvailable: false });
    await connected;
    await assert.rejects(session.temporary.subscribe('replies/+', 1), /[Ww]ildcard/);
    assert.deepEqual(client().subscribed, [], 'no SUBSCRIBE went out');
  });

  it('keeps the CONNACK capabilities while connected, none after', async () => {
    const { session, client } = setup();
    const caps = () => session.capabilities;
    assert.equal(caps(), undefined);
    const connected = session.connect();
    accept(client(), { maximumQoS: 1, topicAliasMaximum: 5 });
    await connected;
    assert.equal(caps()?.maximumQoS, 1);
    assert.equal(caps()?.topicAliasMaximum, 5);
    client().drop();
    assert.equal(caps(), undefined, 'not connected: nothing to show');
  });

  it('refuses QoS 2 on a Maximum QoS 1 broker: nothing sent, outcome failed', async () => {
    const { session, client, traffic } = setup();
    const connected = session.connect();
    accept(client(), { maximumQoS: 1 });
    await connected;
    await assert.rejects(
      session.publish({ topic: 'a', payload: 'x', qos: 2, retain: false }),
      /QoS 2 not allowed: the broker allows at most QoS 1 on "p"/,
    );
    assert.deepEqual(client().published, [], 'nothing reached the client');
    await settle();
    const outcome = traffic.find((e) => e.kind === 'outcome');
    assert.ok(outcome?.kind === 'outcome');
    assert.equal(outcome.result.state, 'failed');
    assert.equal(outcome.result.sentAt, undefined);
    assert.match(outcome.result.error ?? '', /Maximum QoS 1/);
    // What is allowed still goes out.
    void session.publish({ topic: 'a', payload: 'x', qos: 1, retain: false });
    assert.equal(client().published.length, 1);
  });

  it('a publish queued while reconnecting is checked against the new CONNACK', async () => {
    const { session, client } = setup();
    const connected = session.connect();
    accept(client(), {});
    await connected;
    client().drop();
    const queued = session.publish({ topic: 'a', payload: 'x', qos: 0, retain: true });
    accept(client(), { retainAvailable: false });
    await assert.rejects(queued, /Retain Available 0/);
    assert.deepEqual(client().published, []);
  });

  it('refuses a wildcard subscription on a broker without them, without sending it', async () => {
    const { session, client } = setup({ subscriptions: [{ topic: 'a/#', qos: 0 }] });
    const connected = session.connect();
    accept(client(), { wildcardSubscriptionAvailable: false });
    await connected;
    await settle();
    assert.deepEqual(client().subscribed, []);
    const [sub] = session.subscriptions;
    assert.equal(sub.status.kind, 'refused');
    assert.match(
      sub.status.kind === 'refused' ? sub.status.reason : '',
      /Wildcard Subscription Available 0/,
    );
    const shared = session.subscribe({ topic: '$share/g/x', qos: 0 });
    assert.deepEqual(client().subscribed, ['$share/g/x'], 'shared subscriptions are allowed here');
    client().grantAll(0);
    assert.equal((await shared).kind, 'granted');
  });
});
