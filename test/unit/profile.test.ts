/**
 * validateProfiles: the forms users write in `mqttScope.connections`, the defaults, and one
 * problem per mistake naming the exact setting path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  validateProfiles,
  type ConnectionProfile,
  type ProfileProblem,
  type ValidationResult,
} from '../../src/core/profile/profile';

const BASE = 'mqttScope.connections';

function one(entry: unknown): ConnectionProfile {
  const { profiles, problems } = validateProfiles([entry]);
  assert.deepEqual(problems, [], 'expected no problems');
  assert.equal(profiles.length, 1);
  return profiles[0];
}

/** Validates a single entry, expects it rejected, and returns its problems. */
function rejected(entry: unknown): ProfileProblem[] {
  const { profiles, problems } = validateProfiles([entry]);
  assert.deepEqual(profiles, [], 'the profile should be rejected');
  assert.ok(problems.length > 0, 'expected at least one problem');
  return problems;
}

/** The single problem at `path`, failing when there is none or more than one. */
function problemAt(problems: ProfileProblem[], path: string): ProfileProblem {
  const found = problems.filter((p) => p.path === path);
  assert.equal(found.length, 1, `one problem at ${path}; got ${JSON.stringify(problems)}`);
  return found[0];
}

describe('url form', () => {
  const cases: [string, Pick<ConnectionProfile, 'protocol' | 'host' | 'port' | 'path'>][] = [
    ['mqtt://h', { protocol: 'mqtt', host: 'h', port: 1883, path: '/mqtt' }],
    [
      'mqtt://broker.example.com:1884',
      { protocol: 'mqtt', host: 'broker.example.com', port: 1884, path: '/mqtt' },
    ],
    ['mqtts://h', { protocol: 'mqtts', host: 'h', port: 8883, path: '/mqtt' }],
    ['mqtts://h:8884', { protocol: 'mqtts', host: 'h', port: 8884, path: '/mqtt' }],
    ['ws://h', { protocol: 'ws', host: 'h', port: 80, path: '/mqtt' }],
    ['ws://h:9001/mqtt', { protocol: 'ws', host: 'h', port: 9001, path: '/mqtt' }],
    ['ws://h:9001/', { protocol: 'ws', host: 'h', port: 9001, path: '/mqtt' }],
    ['wss://h/path', { protocol: 'wss', host: 'h', port: 443, path: '/path' }],
    ['wss://h:8081/a/b', { protocol: 'wss', host: 'h', port: 8081, path: '/a/b' }],
    ['mqtt://[::1]', { protocol: 'mqtt', host: '::1', port: 1883, path: '/mqtt' }],
    ['mqtt://[::1]:1884', { protocol: 'mqtt', host: '::1', port: 1884, path: '/mqtt' }],
    [
      'wss://[2001:db8::1]:8443/mqtt',
      { protocol: 'wss', host: '2001:db8::1', port: 8443, path: '/mqtt' },
    ],
    ['mqtt://127.0.0.1:65535', { protocol: 'mqtt', host: '127.0.0.1', port: 65535, path: '/mqtt' }],
  ];
  for (const [url, expected] of cases) {
    it(url, () => {
      const p = one({ name: 'p', url });
      assert.deepEqual(
        { protocol: p.protocol, host: p.host, port: p.port, path: p.path },
        expected,
      );
    });
  }

  it('ignores a path on mqtt:// (it only means something to WebSockets)', () => {
    assert.equal(one({ name: 'p', url: 'mqtt://h/whatever' }).path, '/mqtt');
  });

  for (const [url, pattern] of [
    ['http://h', /Unknown protocol "http:"/],
    ['tcp://h:1883', /Unknown protocol "tcp:"/],
    ['not a url', /is not a URL/],
    ['mqtt://h:70000', /port 70000 .* must be from 1 to 65535/],
    ['mqtt://h:0', /port 0/],
    ['mqtt://', /has no host/],
    ['mqtt://user:secret@h', /username/],
  ] as const) {
    it(`rejects ${url} at .url`, () => {
      const problem = problemAt(rejected({ name: 'p', url }), `${BASE}[0].url`);
      assert.match(problem.message, pattern);
      assert.equal(problem.profileName, 'p');
    });
  }

  it('does not echo a password given in the URL', () => {
    const problems = rejected({ name: 'p', url: 'mqtt://user:s3cr3t@h' });
    assert.ok(
      problems.every((p) => !p.message.includes('s3cr3t')),
      JSON.stringify(problems),
    );
  });

  it('does not echo a password in a URL that fails to parse', () => {
    const problems = rejected({ name: 'p', url: 'mqtt://admin:123456@broker:99999' });
    assert.ok(
      problems.every((p) => !p.message.includes('123456') && !p.message.includes('admin')),
      JSON.stringify(problems),
    );
    assert.match(problems[0].message, /port 99999/);
  });

  for (const key of ['host', 'port', 'protocol'] as const) {
    it(`rejects "url" together with "${key}"`, () => {
      const entry = {
        name: 'p',
        url: 'mqtt://h',
        [key]: key === 'port' ? 1883 : key === 'protocol' ? 'mqtt' : 'h',
      };
      assert.match(problemAt(rejected(entry), `${BASE}[0].${key}`).message, /either "url" or/);
    });
  }
});

describe('host/port/protocol form', () => {
  it('defaults to mqtt on 1883', () => {
    const p = one({ name: 'p', host: 'broker' });
    assert.deepEqual([p.protocol, p.host, p.port, p.path], ['mqtt', 'broker', 1883, '/mqtt']);
  });

  it('uses the default port of each protocol', () => {
    for (const [protocol, port] of [
      ['mqtt', 1883],
      ['mqtts', 8883],
      ['ws', 80],
      ['wss', 443],
    ] as const) {
      assert.equal(one({ name: 'p', host: 'h', protocol }).port, port, protocol);
    }
  });

  it('takes port, protocol and path', () => {
    const p = one({ name: 'p', host: '::1', port: 9001, protocol: 'ws', path: '/ws' });
    assert.deepEqual([p.protocol, p.host, p.port, p.path], ['ws', '::1', 9001, '/ws']);
  });

  it('rejects a path without a leading slash', () => {
    const problems = rejected({ name: 'p', host: 'h', protocol: 'ws', path: 'mqtt' });
    assert.match(problemAt(problems, `${BASE}[0].path`).message, /start with "\/"/);
  });

  it('rejects a profile with neither url nor host, at the profile', () => {
    const problem = problemAt(rejected({ name: 'p', port: 1883 }), `${BASE}[0]`);
    assert.match(problem.message, /needs "url" or "host"/);
  });

  for (const host of ['', '   ', 42, null]) {
    it(`rejects host ${JSON.stringify(host)}`, () => {
      assert.match(
        problemAt(rejected({ name: 'p', host }), `${BASE}[0].host`).message,
        /non-empty string/,
      );
    });
  }

  for (const port of [0, 70000, -1, '1883', 1.5, null, true]) {
    it(`rejects port ${JSON.stringify(port)}`, () => {
      const problem = problemAt(rejected({ name: 'p', host: 'h', port }), `${BASE}[0].port`);
      assert.match(problem.message, /whole number from 1 to 65535/);
    });
  }

  it('says what the bad port was', () => {
    assert.match(
      problemAt(rejected({ name: 'p', host: 'h', port: '1883' }), `${BASE}[0].port`).message,
      /"1883"/,
    );
  });

  for (const protocol of ['tcp', 'MQTT', 'mqtt://', 1]) {
    it(`rejects protocol ${JSON.stringify(protocol)}`, () => {
      const problem = problemAt(
        rejected({ name: 'p', host: 'h', protocol }),
        `${BASE}[0].protocol`,
      );
      assert.match(problem.message, /Unknown protocol/);
    });
  }
});

describe('defaults', () => {
  it('fills in every default', () => {
    const p = one({ name: 'p', host: 'h' });
    assert.deepEqual(p, {
      name: 'p',
      protocol: 'mqtt',
      host: 'h',
      port: 1883,
      path: '/mqtt',
      clientId: undefined,
      protocolVersion: 5,
      keepalive: 60,
      clean: true,
      sessionExpiryInterval: undefined,
      username: undefined,
      subscriptions: [],
      autoConnect: false,
      connectTimeout: 10,
      tls: undefined,
      will: undefined,
    });
  });

  it('keeps every value given', () => {
    const p = one({
      name: 'full',
      url: 'wss://h:8443/mqtt',
      clientId: 'me',
      protocolVersion: 5,
      keepalive: 0,
      clean: false,
      sessionExpiryInterval: 3600,
      username: 'alice',
      subscriptions: [
        { topic: 'a/#' },
        { topic: 'b/+', qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2 },
      ],
      autoConnect: true,
      connectTimeout: 30,
      tls: {
        ca: 'ca.pem',
        cert: 'c.pem',
        key: 'k.pem',
        rejectUnauthorized: false,
        servername: 'broker',
      },
      will: { topic: 'me/status', payload: 'offline', qos: 1, retain: true },
    });
    assert.equal(p.clientId, 'me');
    assert.equal(p.keepalive, 0);
    assert.equal(p.clean, false);
    assert.equal(p.sessionExpiryInterval, 3600);
    assert.equal(p.username, 'alice');
    assert.equal(p.autoConnect, true);
    assert.equal(p.connectTimeout, 30);
    assert.deepEqual(p.subscriptions, [
      { topic: 'a/#', qos: 0 },
      { topic: 'b/+', qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2 },
    ]);
    assert.deepEqual(p.tls, {
      ca: 'ca.pem',
      cert: 'c.pem',
      key: 'k.pem',
      rejectUnauthorized: false,
      servername: 'broker',
    });
    assert.deepEqual(p.will, { topic: 'me/status', payload: 'offline', qos: 1, retain: true });
  });

  it('accepts protocolVersion 4 and gives tls rejectUnauthorized true by default', () => {
    const p = one({ name: 'p', url: 'mqtts://h', protocolVersion: 4, tls: { ca: 'ca.pem' } });
    assert.equal(p.protocolVersion, 4);
    assert.deepEqual(p.tls, { ca: 'ca.pem', rejectUnauthorized: true });
  });

  it('trims the name, as the duplicate check does', () => {
    assert.equal(one({ name: '  home  ', host: 'h' }).name, 'home');
  });
});

describe('invalid settings name the path and the reason', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['a missing name', { host: 'h' }, 'name', /"name" is required/],
    ['a blank name', { name: ' ', host: 'h' }, 'name', /non-empty string/],
    ['a numeric name', { name: 7, host: 'h' }, 'name', /non-empty string, not number 7/],
    [
      'protocolVersion 3',
      { name: 'p', host: 'h', protocolVersion: 3 },
      'protocolVersion',
      /not supported/,
    ],
    [
      'protocolVersion "5"',
      { name: 'p', host: 'h', protocolVersion: '5' },
      'protocolVersion',
      /5 \(MQTT 5\.0\) or 4/,
    ],
    [
      'keepalive as a string',
      { name: 'p', host: 'h', keepalive: '60' },
      'keepalive',
      /whole number from 0 to 65535/,
    ],
    [
      'keepalive too large',
      { name: 'p', host: 'h', keepalive: 65_536 },
      'keepalive',
      /whole number/,
    ],
    [
      'connectTimeout 0',
      { name: 'p', host: 'h', connectTimeout: 0 },
      'connectTimeout',
      /from 1 to 600/,
    ],
    [
      'clean as a string',
      { name: 'p', host: 'h', clean: 'yes' },
      'clean',
      /true or false, not "yes"/,
    ],
    [
      'autoConnect as a number',
      { name: 'p', host: 'h', autoConnect: 1 },
      'autoConnect',
      /true or false/,
    ],
    ['username as a number', { name: 'p', host: 'h', username: 5 }, 'username', /non-empty string/],
    ['an empty clientId', { name: 'p', host: 'h', clientId: '' }, 'clientId', /non-empty string/],
    ['an unknown property', { name: 'p', host: 'h', hots: 'x' }, 'hots', /Unknown property "hots"/],
    [
      'a password',
      { name: 'p', host: 'h', password: 'hunter2' },
      'password',
      /never read from settings/,
    ],
    [
      'subscriptions not an array',
      { name: 'p', host: 'h', subscriptions: 'a/#' },
      'subscriptions',
      /must be an array/,
    ],
    [
      'QoS 3',
      { name: 'p', host: 'h', subscriptions: [{ topic: 'a', qos: 3 }] },
      'subscriptions[0].qos',
      /QoS must be 0, 1 or 2, not number 3/,
    ],
    [
      'QoS "1"',
      { name: 'p', host: 'h', subscriptions: [{ topic: 'a', qos: '1' }] },
      'subscriptions[0].qos',
      /QoS must be 0, 1 or 2/,
    ],
    [
      'an invalid filter',
      { name: 'p', host: 'h', subscriptions: [{ topic: 'ok/#' }, { topic: 'sport/tennis#' }] },
      'subscriptions[1].topic',
      /"#"/,
    ],
    [
      'a filter with "+" inside a level',
      { name: 'p', host: 'h', subscriptions: [{ topic: 'sport+' }] },
      'subscriptions[0].topic',
      /"\+"/,
    ],
    [
      'a subscription without topic',
      { name: 'p', host: 'h', subscriptions: [{ qos: 1 }] },
      'subscriptions[0].topic',
      /"topic" is required/,
    ],
    [
      'a numeric subscription',
      { name: 'p', host: 'h', subscriptions: [1] },
      'subscriptions[0]',
      /must be an object/,
    ],
    [
      'retainHandling 3',
      { name: 'p', host: 'h', subscriptions: [{ topic: 'a', retainHandling: 3 }] },
      'subscriptions[0].retainHandling',
      /0, 1 or 2/,
    ],
    [
      'an unknown subscription option',
      { name: 'p', host: 'h', subscriptions: [{ topic: 'a', qso: 1 }] },
      'subscriptions[0].qso',
      /Unknown property/,
    ],
    [
      'sessionExpiryInterval with MQTT 3.1.1',
      { name: 'p', host: 'h', protocolVersion: 4, sessionExpiryInterval: 60 },
      'sessionExpiryInterval',
      /MQTT 5 property/,
    ],
    [
      'noLocal with MQTT 3.1.1',
      { name: 'p', host: 'h', protocolVersion: 4, subscriptions: [{ topic: 'a', noLocal: true }] },
      'subscriptions[0]',
      /MQTT 5 options/,
    ],
    [
      'retainHandling with MQTT 3.1.1',
      {
        name: 'p',
        host: 'h',
        protocolVersion: 4,
        subscriptions: [{ topic: 'a', retainHandling: 1 }],
      },
      'subscriptions[0]',
      /MQTT 5 options/,
    ],
    [
      'tls on mqtt://',
      { name: 'p', url: 'mqtt://h', tls: { rejectUnauthorized: false } },
      'tls',
      /mqtts:\/\/ or wss:\/\/.*mqtt:\/\//,
    ],
    [
      'tls on ws',
      { name: 'p', host: 'h', protocol: 'ws', tls: { ca: 'ca.pem' } },
      'tls',
      /need an mqtts:\/\/ or wss:\/\//,
    ],
    [
      'a cert without key',
      { name: 'p', url: 'mqtts://h', tls: { cert: 'c.pem' } },
      'tls',
      /both "cert" and "key"/,
    ],
    [
      'a key without cert',
      { name: 'p', url: 'mqtts://h', tls: { key: 'k.pem' } },
      'tls',
      /both "cert" and "key"/,
    ],
    ['tls not an object', { name: 'p', url: 'mqtts://h', tls: true }, 'tls', /must be an object/],
    [
      'a numeric tls.ca',
      { name: 'p', url: 'mqtts://h', tls: { ca: 1 } },
      'tls.ca',
      /file path string/,
    ],
    [
      'tls.rejectUnauthorized as a string',
      { name: 'p', url: 'mqtts://h', tls: { rejectUnauthorized: 'false' } },
      'tls.rejectUnauthorized',
      /true or false/,
    ],
    [
      'an unknown tls option',
      { name: 'p', url: 'mqtts://h', tls: { verify: false } },
      'tls.verify',
      /Unknown property/,
    ],
    [
      'a will without topic',
      { name: 'p', host: 'h', will: { payload: 'x' } },
      'will.topic',
      /"topic" is required/,
    ],
    [
      'a will topic with a wildcard',
      { name: 'p', host: 'h', will: { topic: 'a/#' } },
      'will.topic',
      /wildcards/,
    ],
    [
      'a will QoS 3',
      { name: 'p', host: 'h', will: { topic: 'a', qos: 3 } },
      'will.qos',
      /QoS must be 0, 1 or 2/,
    ],
    [
      'a will not an object',
      { name: 'p', host: 'h', will: 'offline' },
      'will',
      /must be an object/,
    ],
  ];
  for (const [label, entry, key, pattern] of cases) {
    it(`${label} → ${BASE}[0].${key}`, () => {
      const problem = problemAt(rejected(entry), `${BASE}[0].${key}`);
      assert.match(problem.message, pattern);
    });
  }

  it('refuses a password without repeating it', () => {
    const problems = rejected({ name: 'p', host: 'h', password: 'hunter2' });
    assert.equal(problems.length, 1);
    assert.ok(!problems[0].message.includes('hunter2'));
    assert.equal(problems[0].profileName, 'p');
  });

  it('reports every mistake of one profile, even when the name is missing', () => {
    const problems = rejected({ host: 'h', port: 0, clean: 'x', autoConnect: 'y', username: 3 });
    assert.deepEqual(
      problems.map((p) => p.path).sort(),
      ['autoConnect', 'clean', 'name', 'port', 'username'].map((k) => `${BASE}[0].${k}`),
    );
  });

  it('uses the index of the entry and a custom setting path', () => {
    const { problems } = validateProfiles(
      [
        { name: 'a', host: 'h' },
        { name: 'b', host: 'h', port: 0 },
      ],
      'x.y',
    );
    assert.deepEqual(
      problems.map((p) => [p.path, p.profileName]),
      [['x.y[1].port', 'b']],
    );
  });
});

describe('several profiles', () => {
  it('rejects a duplicate name: the second goes, the first stays', () => {
    const { profiles, problems } = validateProfiles([
      { name: 'home', host: 'first' },
      { name: 'other', host: 'h' },
      { name: ' home ', host: 'second' },
    ]);
    assert.deepEqual(
      profiles.map((p) => [p.name, p.host]),
      [
        ['home', 'first'],
        ['other', 'h'],
      ],
    );
    const problem = problemAt(problems, `${BASE}[2].name`);
    assert.match(problem.message, /"home" is already used by mqttScope\.connections\[0\]/);
    assert.equal(problem.profileName, 'home');
    assert.equal(problems.length, 1);
  });

  it('returns the valid profiles beside invalid ones, in order', () => {
    const result: ValidationResult = validateProfiles([
      { name: 'a', url: 'mqtt://a' },
      { name: 'bad-port', host: 'h', port: 70000 },
      'not an object',
      null,
      { name: 'b', url: 'ws://b:9001/mqtt' },
      { name: 'bad-qos', host: 'h', subscriptions: [{ topic: 'x', qos: 3 }] },
      { name: 'c', host: 'c', protocol: 'mqtts' },
    ]);
    assert.deepEqual(
      result.profiles.map((p) => p.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      result.problems.map((p) => p.path),
      [`${BASE}[1].port`, `${BASE}[2]`, `${BASE}[3]`, `${BASE}[5].subscriptions[0].qos`],
    );
    assert.match(result.problems[1].message, /must be an object, not "not an object"/);
    assert.match(result.problems[2].message, /must be an object, not null/);
  });

  it('keeps a profile whose only subscription is fine while rejecting its invalid sibling profile', () => {
    const { profiles } = validateProfiles([
      { name: 'ok', host: 'h', subscriptions: [{ topic: '$share/g/a/b' }] },
      { name: 'bad', host: 'h', subscriptions: [{ topic: '$share/g+/a' }] },
    ]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['ok'],
    );
  });
});

describe('the setting as a whole', () => {
  it('treats undefined and null as no profiles', () => {
    assert.deepEqual(validateProfiles(undefined), { profiles: [], problems: [] });
    assert.deepEqual(validateProfiles(null), { profiles: [], problems: [] });
    assert.deepEqual(validateProfiles([]), { profiles: [], problems: [] });
  });

  for (const raw of [{ name: 'p', host: 'h' }, 'mqtt://h', 42, true]) {
    it(`rejects ${JSON.stringify(raw)} as not an array`, () => {
      const { profiles, problems } = validateProfiles(raw);
      assert.deepEqual(profiles, []);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].path, BASE);
      assert.match(problems[0].message, /must be an array/i);
    });
  }

  it('never throws on odd input', () => {
    for (const raw of [
      [[]],
      [{}],
      [{ name: {} }],
      [{ url: 1 }],
      [{ name: 'x', subscriptions: [null] }],
      [Object.create(null)],
    ]) {
      assert.doesNotThrow(() => validateProfiles(raw));
      assert.equal(validateProfiles(raw).profiles.length, 0);
    }
  });
});
