/**
 * One schema for profiles: what VS Code's settings editor accepts (the manifest's JSON schema of
 * `mqttScope.connections`, checked here by a separate Ajv over package.json as read from disk)
 * is exactly what validateProfiles accepts, except for the rules a schema cannot express, each
 * marked "semantic" with the path where validateProfiles reports it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { validateProfiles } from '../../src/core/profile/profile';

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
) as { contributes: { configuration: { properties: Record<string, { items: object }> } } };
const settingsEditor = new Ajv({ strict: false }).compile(
  manifest.contributes.configuration.properties['mqttScope.connections'].items,
);

type Row =
  | [label: string, entry: object, verdict: 'valid' | 'invalid']
  | [label: string, entry: object, verdict: 'semantic', path: string];

const h = { name: 'p', host: 'h' };
const rows: Row[] = [
  ['the smallest profile', h, 'valid'],
  ['a url', { name: 'p', url: 'mqtts://b.example:8883' }, 'valid'],
  [
    'every field',
    {
      name: 'p',
      url: 'wss://h:8443/mqtt',
      clientId: 'me',
      protocolVersion: 5,
      keepalive: 0,
      clean: false,
      sessionExpiryInterval: 3600,
      username: 'alice',
      subscriptions: [{ topic: 'b/+', qos: 2, noLocal: true, retainHandling: 2 }],
      autoConnect: true,
      connectTimeout: 30,
      tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem', rejectUnauthorized: false },
      will: { topic: 'me/status', payload: 'offline', qos: 1, retain: true },
    },
    'valid',
  ],
  ['a string subscription', { ...h, subscriptions: ['a/#'] }, 'invalid'],
  ['a subscription without topic', { ...h, subscriptions: [{ qos: 1 }] }, 'invalid'],
  ['an unknown subscription key', { ...h, subscriptions: [{ topic: 'a', x: 1 }] }, 'invalid'],
  ['QoS 3', { ...h, subscriptions: [{ topic: 'a', qos: 3 }] }, 'invalid'],
  ['QoS "1"', { ...h, subscriptions: [{ topic: 'a', qos: '1' }] }, 'invalid'],
  ['no name', { host: 'h' }, 'invalid'],
  ['a blank name', { name: '   ', host: 'h' }, 'invalid'],
  ['a numeric name', { name: 7, host: 'h' }, 'invalid'],
  ['port 0', { ...h, port: 0 }, 'invalid'],
  ['port 70000', { ...h, port: 70000 }, 'invalid'],
  ['port "1883"', { ...h, port: '1883' }, 'invalid'],
  ['port 1.5', { ...h, port: 1.5 }, 'invalid'],
  ['protocol "tcp"', { ...h, protocol: 'tcp' }, 'invalid'],
  ['protocolVersion 3', { ...h, protocolVersion: 3 }, 'invalid'],
  ['keepalive -1', { ...h, keepalive: -1 }, 'invalid'],
  ['connectTimeout 0', { ...h, connectTimeout: 0 }, 'invalid'],
  ['an empty clientId', { ...h, clientId: '' }, 'invalid'],
  ['an empty username', { ...h, username: '' }, 'invalid'],
  ['a numeric username', { ...h, username: 3 }, 'invalid'],
  ['a password', { ...h, password: 'x' }, 'invalid'],
  ['an unknown key', { ...h, colour: 'red' }, 'invalid'],
  ['a host with a space', { name: 'p', host: 'a b' }, 'invalid'],
  ['a host with credentials', { name: 'p', host: 'u:p@h' }, 'invalid'],
  ['an empty host', { name: 'p', host: '' }, 'invalid'],
  ['a path without "/"', { ...h, protocol: 'ws', path: 'mqtt' }, 'invalid'],
  ['a url with an unknown scheme', { name: 'p', url: 'http://h' }, 'invalid'],
  ['an empty tls.ca', { name: 'p', url: 'mqtts://h', tls: { ca: '' } }, 'invalid'],
  ['a numeric tls.ca', { name: 'p', url: 'mqtts://h', tls: { ca: 1 } }, 'invalid'],
  ['an unknown tls key', { name: 'p', url: 'mqtts://h', tls: { pfx: 'x' } }, 'invalid'],
  ['a will without topic', { ...h, will: { payload: 'x' } }, 'invalid'],
  ['a will QoS 3', { ...h, will: { topic: 'a', qos: 3 } }, 'invalid'],
  ['tls not an object', { name: 'p', url: 'mqtts://h', tls: true }, 'invalid'],
  ['subscriptions not an array', { ...h, subscriptions: 'a/#' }, 'invalid'],
  // What a schema cannot say.
  ['neither url nor host', { name: 'p' }, 'semantic', '[0]'],
  ['both url and host', { name: 'p', url: 'mqtt://h', host: 'h' }, 'semantic', '[0].host'],
  ['a url with port 99999', { name: 'p', url: 'mqtt://h:99999' }, 'semantic', '[0].url'],
  ['credentials in the url', { name: 'p', url: 'mqtt://u:p@h' }, 'semantic', '[0].url'],
  ['a URL in host', { name: 'p', host: 'mqtt:h' }, 'valid'],
  [
    'an invalid filter',
    { ...h, subscriptions: [{ topic: 'a/#/b' }] },
    'semantic',
    '[0].subscriptions[0].topic',
  ],
  ['a will topic with a wildcard', { ...h, will: { topic: 'a/#' } }, 'semantic', '[0].will.topic'],
  [
    'a v5 option on MQTT 3.1.1',
    { ...h, protocolVersion: 4, subscriptions: [{ topic: 'a', noLocal: true }] },
    'semantic',
    '[0].subscriptions[0]',
  ],
  [
    'sessionExpiryInterval on MQTT 3.1.1',
    { ...h, protocolVersion: 4, sessionExpiryInterval: 1 },
    'semantic',
    '[0].sessionExpiryInterval',
  ],
  [
    'a cert without key',
    { name: 'p', url: 'mqtts://h', tls: { cert: 'c.pem' } },
    'semantic',
    '[0].tls',
  ],
  ['tls over mqtt://', { name: 'p', url: 'mqtt://h', tls: {} }, 'semantic', '[0].tls'],
  [
    'a subscription identifier',
    { ...h, subscriptions: [{ topic: 'a', subscriptionIdentifier: 268435455 }] },
    'valid',
  ],
  [
    'subscription identifier 0',
    { ...h, subscriptions: [{ topic: 'a', subscriptionIdentifier: 0 }] },
    'invalid',
  ],
  [
    'subscription identifier 2^28',
    { ...h, subscriptions: [{ topic: 'a', subscriptionIdentifier: 268435456 }] },
    'invalid',
  ],
  [
    'a subscription identifier on MQTT 3.1.1',
    { ...h, protocolVersion: 4, subscriptions: [{ topic: 'a', subscriptionIdentifier: 1 }] },
    'semantic',
    '[0].subscriptions[0].subscriptionIdentifier',
  ],
  [
    'every will property',
    {
      ...h,
      will: {
        topic: 'me/status',
        delayInterval: 5,
        messageExpiryInterval: 60,
        contentType: 'text/plain',
        responseTopic: 'me/answer',
        correlationData: 'hex:0a0b',
        payloadFormatIndicator: true,
        userProperties: { site: 'north', tag: ['a', 'b'] },
      },
    },
    'valid',
  ],
  ['a will delay of -1', { ...h, will: { topic: 'a', delayInterval: -1 } }, 'invalid'],
  [
    'a numeric will user property',
    { ...h, will: { topic: 'a', userProperties: { k: 1 } } },
    'invalid',
  ],
  [
    'an empty will user property list',
    { ...h, will: { topic: 'a', userProperties: { k: [] } } },
    'invalid',
  ],
  [
    'a will response topic with a wildcard',
    { ...h, will: { topic: 'a', responseTopic: 'r/#' } },
    'semantic',
    '[0].will.responseTopic',
  ],
  [
    'bad hex will correlation data',
    { ...h, will: { topic: 'a', correlationData: 'hex:abc' } },
    'semantic',
    '[0].will.correlationData',
  ],
  [
    'a will property on MQTT 3.1.1',
    { ...h, protocolVersion: 4, will: { topic: 'a', delayInterval: 5 } },
    'semantic',
    '[0].will.delayInterval',
  ],
];

describe('the settings editor and validateProfiles agree', () => {
  for (const [label, entry, verdict, where] of rows) {
    it(`${label}: ${verdict}`, () => {
      const { profiles, problems } = validateProfiles([entry]);
      assert.equal(settingsEditor(entry), verdict !== 'invalid', 'the manifest schema');
      assert.equal(profiles.length === 1, verdict === 'valid', JSON.stringify(problems));
      assert.equal(problems.length === 0, verdict === 'valid', JSON.stringify(problems));
      if (where) assert.ok(problems.some((p) => p.path === `mqttScope.connections${where}`));
      for (const p of problems) assert.match(p.path, /^mqttScope\.connections\[0\]/);
    });
  }

  it('a wrong value and a broken filter in one profile are both reported', () => {
    const { problems } = validateProfiles([{ ...h, port: 0, subscriptions: [{ topic: 'a/#/b' }] }]);
    assert.deepEqual(
      problems.map((p) => p.path),
      ['mqttScope.connections[0].port', 'mqttScope.connections[0].subscriptions[0].topic'],
    );
  });
});
