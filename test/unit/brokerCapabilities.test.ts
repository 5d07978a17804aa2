/**
 * What the broker allows, read from its CONNACK (MQTT 5.0 §3.2.2.3): the defaults of absent
 * properties, every property when present, the MQTT 3.1.1 limits, and the refusals made from
 * them before anything is sent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IConnackPacket } from 'mqtt';
import {
  brokerCapabilities,
  PROTOCOL_MAX_PACKET_SIZE,
  type BrokerCapabilities,
} from '../../src/core/session/brokerCapabilities';
import { publishRefusal, subscribeRefusal } from '../../src/core/session/capabilityChecks';
import { publishPacketSize } from '../../src/core/session/publishPacketSize';

const connack = (properties?: IConnackPacket['properties']): IConnackPacket => ({
  cmd: 'connack',
  reasonCode: 0,
  sessionPresent: false,
  ...(properties ? { properties } : {}),
});
const v5 = { protocolVersion: 5 as const, keepalive: 60, sessionExpiryInterval: 300 };
const v4 = { protocolVersion: 4 as const, keepalive: 30 };

describe('broker capabilities from the CONNACK', () => {
  it('MQTT 5 without properties: the defaults of §3.2.2.3', () => {
    const caps = brokerCapabilities(connack(), v5, 1234);
    assert.deepEqual(caps, {
      protocolVersion: 5,
      receivedAt: 1234,
      sessionPresent: false,
      maximumQoS: 2,
      retainAvailable: true,
      receiveMaximum: 65_535,
      topicAliasMaximum: 0,
      wildcardSubscriptionAvailable: true,
      sharedSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: true,
      keepAlive: 60,
      sessionExpiryInterval: 300,
      announced: [],
    } satisfies BrokerCapabilities);
  });

  it('MQTT 5 with every property: each one read, each one marked as announced', () => {
    const caps = brokerCapabilities(
      connack({
        sessionExpiryInterval: 10,
        receiveMaximum: 20,
        maximumQoS: 1,
        retainAvailable: false,
        maximumPacketSize: 4096,
        assignedClientIdentifier: 'auto-1',
        topicAliasMaximum: 7,
        reasonString: 'welcome',
        userProperties: { region: 'eu', tier: ['a', 'b'] },
        wildcardSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
        sharedSubscriptionAvailable: false,
        serverKeepAlive: 15,
        responseInformation: 'reply/here',
        serverReference: 'other.example:1883',
      }),
      v5,
      0,
    );
    assert.equal(caps.sessionExpiryInterval, 10);
    assert.equal(caps.receiveMaximum, 20);
    assert.equal(caps.maximumQoS, 1);
    assert.equal(caps.retainAvailable, false);
    assert.equal(caps.maximumPacketSize, 4096);
    assert.equal(caps.assignedClientIdentifier, 'auto-1');
    assert.equal(caps.topicAliasMaximum, 7);
    assert.equal(caps.reasonString, 'welcome');
    assert.deepEqual(caps.userProperties, [
      ['region', 'eu'],
      ['tier', 'a'],
      ['tier', 'b'],
    ]);
    assert.equal(caps.wildcardSubscriptionAvailable, false);
    assert.equal(caps.subscriptionIdentifiersAvailable, false);
    assert.equal(caps.sharedSubscriptionAvailable, false);
    assert.equal(caps.keepAlive, 15);
    assert.equal(caps.responseInformation, 'reply/here');
    assert.equal(caps.serverReference, 'other.example:1883');
    assert.deepEqual([...caps.announced].sort(), [
      'maximumPacketSize',
      'maximumQoS',
      'receiveMaximum',
      'retainAvailable',
      'serverKeepAlive',
      'sessionExpiryInterval',
      'sharedSubscriptionAvailable',
      'subscriptionIdentifiersAvailable',
      'topicAliasMaximum',
      'wildcardSubscriptionAvailable',
    ]);
  });

  it('Maximum QoS 0 is kept; no session expiry asked means 0', () => {
    const caps = brokerCapabilities(
      connack({ maximumQoS: 0 }),
      { ...v5, sessionExpiryInterval: undefined },
      0,
    );
    assert.equal(caps.maximumQoS, 0);
    assert.equal(caps.sessionExpiryInterval, 0);
  });

  it('MQTT 3.1.1: no properties, the protocol limits, the profile keep alive', () => {
    const caps = brokerCapabilities({ cmd: 'connack', returnCode: 0, sessionPresent: true }, v4, 5);
    assert.equal(caps.maximumQoS, 2);
    assert.equal(caps.retainAvailable, true);
    assert.equal(caps.maximumPacketSize, undefined);
    assert.equal(caps.topicAliasMaximum, 0);
    assert.equal(caps.subscriptionIdentifiersAvailable, false);
    assert.equal(caps.sharedSubscriptionAvailable, true);
    assert.equal(caps.keepAlive, 30);
    assert.equal(caps.sessionExpiryInterval, undefined);
    assert.equal(caps.sessionPresent, true);
    assert.deepEqual(caps.announced, []);
  });
});

describe('refused before sending, with the reason', () => {
  const limited = brokerCapabilities(
    connack({
      maximumQoS: 1,
      retainAvailable: false,
      maximumPacketSize: 200,
      topicAliasMaximum: 3,
      wildcardSubscriptionAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
    }),
    v5,
    0,
  );
  const ok = { topic: 'a/b', payload: 'x', qos: 1 as const, retain: false };

  it('allows what the broker allows, and everything before a CONNACK', () => {
    assert.equal(publishRefusal(ok, limited, 'plant'), undefined);
    assert.equal(publishRefusal({ ...ok, qos: 2 }, undefined, 'plant'), undefined);
    assert.equal(subscribeRefusal({ topic: 'a/b' }, limited), undefined);
  });

  it('QoS above the maximum: refused (not lowered), naming the limit and its value', () => {
    const why = publishRefusal({ ...ok, qos: 2 }, limited, 'plant');
    assert.match(
      why ?? '',
      /QoS 2 not allowed: the broker allows at most QoS 1 on "plant" \(CONNACK Maximum QoS 1\)/,
    );
    assert.match(why ?? '', /Nothing was sent/);
  });

  it('retain when Retain Available is 0', () => {
    assert.match(
      publishRefusal({ ...ok, retain: true }, limited, 'plant') ?? '',
      /Retain not allowed: the broker keeps no retained messages on "plant" \(CONNACK Retain Available 0\)/,
    );
  });

  it('a PUBLISH over Maximum Packet Size, by its size on the wire', () => {
    const limit = 200;
    // Find the payload length at which the PUBLISH is exactly at the limit.
    let n = 0;
    while (publishPacketSize({ ...ok, payload: 'x'.repeat(n + 1) }, 5) <= limit) n++;
    assert.equal(publishPacketSize({ ...ok, payload: 'x'.repeat(n) }, 5), limit);
    assert.equal(publishRefusal({ ...ok, payload: 'x'.repeat(n) }, limited, 'plant'), undefined);
    assert.match(
      publishRefusal({ ...ok, payload: 'x'.repeat(n + 1) }, limited, 'plant') ?? '',
      /PUBLISH too large: 201 bytes, the broker accepts at most 200 bytes on "plant" \(CONNACK Maximum Packet Size 200\)/,
    );
  });

  it('a topic alias above Topic Alias Maximum, or any when it is 0', () => {
    const alias = (topicAlias: number) => ({ ...ok, properties: { topicAlias } });
    assert.equal(publishRefusal(alias(3), limited, 'plant'), undefined);
    assert.match(
      publishRefusal(alias(4), limited, 'plant') ?? '',
      /Topic alias 4 not allowed: the broker accepts aliases 1 to 3 on "plant" \(CONNACK Topic Alias Maximum 3\)/,
    );
    const none = brokerCapabilities(connack(), v5, 0);
    assert.match(
      publishRefusal(alias(1), none, 'plant') ?? '',
      /accepts no topic aliases on "plant" \(CONNACK Topic Alias Maximum 0\)/,
    );
  });

  it('without an announced limit, only the protocol limit applies', () => {
    const open = brokerCapabilities(connack(), v5, 0);
    const big = { ...ok, payload: new Uint8Array(0) };
    assert.equal(publishRefusal(big, open, 'plant'), undefined);
    assert.ok(PROTOCOL_MAX_PACKET_SIZE === 268_435_460);
  });

  it('subscriptions: wildcard, shared, subscription identifier', () => {
    assert.match(
      subscribeRefusal({ topic: 'a/+/c' }, limited) ?? '',
      /^Wildcard subscriptions not supported by this broker \(CONNACK Wildcard Subscription Available 0\); not sent/,
    );
    assert.match(subscribeRefusal({ topic: '#' }, limited) ?? '', /Wildcard/);
    assert.match(
      subscribeRefusal({ topic: '$share/g/a/b' }, limited) ?? '',
      /^Shared subscriptions not supported by this broker \(CONNACK Shared Subscription Available 0\)/,
    );
    assert.match(
      subscribeRefusal({ topic: 'a/b', subscriptionIdentifier: 4 }, limited) ?? '',
      /^Subscription identifiers not supported by this broker \(CONNACK Subscription Identifier Available 0\)/,
    );
    const plain = brokerCapabilities(connack(), v5, 0);
    assert.equal(
      subscribeRefusal({ topic: '$share/g/a/#', subscriptionIdentifier: 4 }, plain),
      undefined,
    );
    const old = brokerCapabilities({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4, 0);
    assert.match(
      subscribeRefusal({ topic: 'a', subscriptionIdentifier: 1 }, old) ?? '',
      /^Subscription identifiers are MQTT 5 only; this connection uses MQTT 3\.1\.1/,
    );
  });
});
