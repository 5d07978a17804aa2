/**
 * MQTT 5 publish properties: each value's check (the palette's input boxes use them), Publish's
 * `properties` argument checked field by field, what Publish Again carries over, will
 * properties and subscription identifiers in profiles, and what the Message Log detail reads
 * from a message's properties.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addUserProperty,
  checkContentType,
  checkResponseTopic,
  correlationDataText,
  parseCorrelationData,
  parseMessageExpiry,
  parseTopicAlias,
  republishedProperties,
} from '../../src/core/session/publishProperties';
import { parseCommandArgs } from '../../src/extension/commands/commandArgs';
import { Commands } from '../../src/extension/constants';
import { validateProfiles } from '../../src/core/profile/profile';
import { buildClientOptions } from '../../src/core/session/clientOptions';
import { requestSubscribe } from '../../src/core/session/subscriptionRequests';
import { mqtt5Detail } from '../../src/core/log/detailMqtt5';
import { toLogDetail } from '../../src/core/log/logRows';
import { MessageStore } from '../../src/core/store/messageStore';
import { FakeScheduler } from './fakeScheduler';
import { testProfile } from '../support/profiles';
import type { MqttLink } from '../../src/core/session/mqttClientFactory';

describe('publish property values', () => {
  it('checks each value with a message that says what is wrong', () => {
    assert.equal(checkContentType('application/json'), undefined);
    assert.match(checkContentType('') ?? '', /empty/);
    assert.match(checkContentType('a\u0000b') ?? '', /U\+0000/);
    assert.match(checkContentType('x'.repeat(65_536)) ?? '', /65,535 bytes/);
    assert.equal(checkResponseTopic('replies/me'), undefined);
    assert.match(checkResponseTopic('replies/#') ?? '', /^Response topic: .*#/);
    assert.deepEqual(parseMessageExpiry(' 60 '), { value: 60 });
    assert.deepEqual(parseMessageExpiry('4294967295'), { value: 4_294_967_295 });
    assert.match(parseMessageExpiry('4294967296').error ?? '', /0 to 4,294,967,295/);
    assert.match(parseMessageExpiry('1.5').error ?? '', /whole number/);
    assert.match(parseMessageExpiry('-1').error ?? '', /whole number/);
    assert.deepEqual(parseTopicAlias('3'), { value: 3 });
    assert.match(parseTopicAlias('0').error ?? '', /1 to 65,535/);
    assert.match(parseTopicAlias('65536').error ?? '', /1 to 65,535/);
  });

  it('reads correlation data as text, or as bytes after "hex:"', () => {
    assert.deepEqual(parseCorrelationData('req-1').value, Buffer.from('req-1'));
    assert.deepEqual(parseCorrelationData('hex:00ff 10').value, Buffer.from([0, 255, 16]));
    assert.match(parseCorrelationData('hex:abc').error ?? '', /even number of hex digits/);
    assert.match(parseCorrelationData('hex:zz').error ?? '', /hex digits/);
    assert.match(parseCorrelationData('').error ?? '', /empty/);
    assert.equal(correlationDataText(Buffer.from('req-1')), 'req-1');
    assert.equal(correlationDataText(Buffer.from([0, 255])), 'hex:00ff');
    assert.equal(correlationDataText(Buffer.from('hex:1')), 'hex:6865783a31', 'no ambiguity');
  });

  it('keeps every value of a repeated user property key, in order', () => {
    let u = addUserProperty(undefined, 'tag', 'a');
    u = addUserProperty(u, 'site', 'north');
    u = addUserProperty(u, 'tag', 'b');
    assert.deepEqual(u, { tag: ['a', 'b'], site: 'north' });
  });

  it('Publish Again carries the stored properties, not the alias or subscription ids', () => {
    const carried = republishedProperties({
      contentType: 'text/plain',
      responseTopic: 'r/1',
      correlationData: Buffer.from([1, 2]),
      payloadFormatIndicator: true,
      messageExpiryInterval: 30,
      userProperties: { k: ['1', '2'], j: '3' },
      topicAlias: 4,
      subscriptionIdentifier: [7],
    });
    assert.deepEqual(carried, {
      contentType: 'text/plain',
      responseTopic: 'r/1',
      correlationData: Buffer.from([1, 2]),
      payloadFormatIndicator: true,
      messageExpiryInterval: 30,
      userProperties: { k: ['1', '2'], j: '3' },
    });
    assert.equal(republishedProperties({ topicAlias: 1 }), undefined);
    assert.equal(republishedProperties(undefined), undefined);
  });
});

describe("Publish's properties argument", () => {
  const parse = (properties: unknown) =>
    parseCommandArgs(Commands.publish, [{ connection: 'c', topic: 't', properties }]).properties;

  it('takes every property', () => {
    assert.deepEqual(
      parse({
        contentType: 'application/json',
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        responseTopic: 'replies/1',
        correlationData: { hex: '0a0b' },
        userProperties: { tag: ['a', 'a'], site: 'north' },
        topicAlias: 2,
      }),
      {
        contentType: 'application/json',
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        responseTopic: 'replies/1',
        correlationData: Buffer.from([10, 11]),
        userProperties: { tag: ['a', 'a'], site: 'north' },
        topicAlias: 2,
      },
    );
    assert.deepEqual(parse({ correlationData: 'hex:not bytes' }), {
      correlationData: Buffer.from('hex:not bytes'),
    });
  });

  it('refuses a bad property naming the field', () => {
    const cases: [unknown, RegExp][] = [
      ['json', /"properties" must be an object/],
      [{ contentTyp: 'x' }, /"properties\.contentTyp" is not known/],
      [{ contentType: 5 }, /"properties\.contentType" must be a string/],
      [{ responseTopic: 'a/+' }, /"properties\.responseTopic" is not usable: Response topic/],
      [{ messageExpiryInterval: -1 }, /"properties\.messageExpiryInterval" must be a whole number/],
      [{ topicAlias: 0 }, /"properties\.topicAlias" must be a whole number from 1 to 65535/],
      [{ payloadFormatIndicator: 1 }, /"properties\.payloadFormatIndicator" must be true or false/],
      [{ correlationData: { hex: 'abc' } }, /"properties\.correlationData\.hex" is not usable/],
      [{ correlationData: 7 }, /"properties\.correlationData" must be a string or \{ hex/],
      [{ userProperties: { k: 1 } }, /"properties\.userProperties\.k" must be a string/],
      [
        { userProperties: { k: ['a', 2] } },
        /"properties\.userProperties\.k\[1\]" must be a string/,
      ],
      [{ userProperties: { k: [] } }, /"properties\.userProperties\.k" is an empty list/],
      [{ userProperties: ['k'] }, /"properties\.userProperties" must be an object/],
    ];
    for (const [value, message] of cases)
      assert.throws(() => parse(value), message, JSON.stringify(value));
  });
});

describe('MQTT 5 properties in profiles', () => {
  const one = (entry: object) => validateProfiles([{ name: 'p', host: 'h', ...entry }]);

  it('passes will properties to MQTT.js', () => {
    const { profiles, problems } = one({
      will: {
        topic: 'me/status',
        payload: 'gone',
        delayInterval: 5,
        messageExpiryInterval: 60,
        contentType: 'text/plain',
        responseTopic: 'me/answer',
        correlationData: 'hex:0a0b',
        payloadFormatIndicator: true,
        userProperties: { site: 'north', tag: ['a', 'b'] },
      },
    });
    assert.deepEqual(problems, []);
    const options = buildClientOptions(profiles[0], 'cid', undefined);
    assert.deepEqual(options.will?.properties, {
      willDelayInterval: 5,
      messageExpiryInterval: 60,
      contentType: 'text/plain',
      responseTopic: 'me/answer',
      correlationData: Buffer.from([10, 11]),
      payloadFormatIndicator: true,
      userProperties: { site: 'north', tag: ['a', 'b'] },
    });
  });

  it('refuses will properties and subscription identifiers on MQTT 3.1.1, naming the path', () => {
    const { profiles, problems } = one({
      protocolVersion: 4,
      will: { topic: 'a', contentType: 'x' },
      subscriptions: [{ topic: 's', subscriptionIdentifier: 9 }],
    });
    assert.equal(profiles.length, 0);
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        'mqttScope.connections[0].subscriptions[0].subscriptionIdentifier',
        'mqttScope.connections[0].will.contentType',
      ],
    );
    assert.match(problems[0].message, /MQTT 5 option; set "protocolVersion": 5/);
  });

  it('sends the subscription identifier in the SUBSCRIBE properties (MQTT 5 only)', () => {
    const sent: unknown[] = [];
    const client = {
      subscribe: (topics: unknown, opts: unknown) => sent.push([topics, opts]),
    } as unknown as MqttLink;
    const ctx = (protocolVersion: 4 | 5) => ({
      profile: testProfile({ protocolVersion }),
      logger: { info() {}, warn() {}, error() {} } as never,
      isCurrent: () => true,
      onAnswered() {},
    });
    const sub = { topic: 'a/#', qos: 1 as const, subscriptionIdentifier: 42 };
    void requestSubscribe(client, { ...sub, status: { kind: 'pending' } }, ctx(5));
    void requestSubscribe(client, { topic: 'b', qos: 0, status: { kind: 'pending' } }, ctx(5));
    assert.deepEqual(sent[0], [
      { 'a/#': { qos: 1, nl: false, rap: false, rh: 0 } },
      { properties: { subscriptionIdentifier: 42 } },
    ]);
    assert.deepEqual((sent[1] as unknown[])[1], {}, 'no identifier: no property');
  });
});

describe('the Message Log detail of MQTT 5 properties', () => {
  const scheduler = new FakeScheduler();
  const store = new MessageStore({ scheduler });
  const seq = store.append('plant', 'in', {
    topic: 'a/b',
    payload: Buffer.from('x'),
    qos: 1,
    retain: false,
    receivedAt: 10_000,
    properties: {
      subscriptionIdentifier: [7, 9],
      topicAlias: 3,
      messageExpiryInterval: 60,
      correlationData: Buffer.from('req-1'),
      userProperties: { tag: ['a', 'b'] },
    },
  });
  const entry = store.get(seq)!;
  const subscriptionFor = (connection: string, id: number) =>
    connection === 'plant' && id === 7 ? 'a/#' : undefined;

  it('names the subscriptions, the alias, the expiry left and the correlation data', () => {
    assert.deepEqual(mqtt5Detail(entry, { now: 25_500, subscriptionFor }), {
      subscriptions: [{ identifier: 7, topicFilter: 'a/#' }, { identifier: 9 }],
      topicAlias: { alias: 3, topic: 'a/b' },
      expiry: { intervalS: 60, remainingS: 45 },
      correlationData: { text: 'req-1', hex: '72 65 71 2d 31' },
    });
  });

  it('says expired once the expiry has passed, and hex only for bytes that are not UTF-8', () => {
    const late = toLogDetail(entry, undefined, false, { now: 80_000 });
    assert.deepEqual(late.mqtt5?.expiry, { intervalS: 60, remainingS: 0 });
    const bytes = store.append('plant', 'in', {
      topic: 'x',
      payload: Buffer.alloc(0),
      qos: 0,
      retain: false,
      properties: { correlationData: Buffer.from([0xff, 0]) },
    });
    const detail = toLogDetail(store.get(bytes)!, undefined, false, { now: 0 });
    assert.deepEqual(detail.mqtt5, { correlationData: { hex: 'ff 00' } });
    const plain = store.append('plant', 'in', {
      topic: 'x',
      payload: Buffer.alloc(0),
      qos: 0,
      retain: false,
    });
    assert.equal(toLogDetail(store.get(plain)!, undefined, false).mqtt5, undefined);
  });

  it('keeps repeated user property keys as rows of the property table', () => {
    const rows = toLogDetail(entry, undefined, false).properties.filter((p) =>
      p.name.startsWith('user property'),
    );
    assert.deepEqual(rows, [
      { name: 'user property "tag"', value: 'a' },
      { name: 'user property "tag"', value: 'b' },
    ]);
  });
});
