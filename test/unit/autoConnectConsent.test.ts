/**
 * AutoConnectConsent: a workspace profile connects by itself only after the user said Connect
 * for its host, asked once per workspace and host; user profiles are never asked about.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AutoConnectConsent, type ConsentAnswer } from '../../src/core/session/autoConnectConsent';
import { silentLogger, type KeyValueStore } from '../../src/core/ports';
import { validateProfiles, type ConnectionProfile } from '../../src/core/profile/profile';

function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: <T>(key: string) => map.get(key) as T | undefined,
    update: async (key, value) => void map.set(key, value),
  };
}

function profile(name: string, url: string, autoConnect = true): ConnectionProfile {
  const { profiles, problems } = validateProfiles([{ name, url, autoConnect }]);
  assert.deepEqual(problems, []);
  return profiles[0];
}

function setup() {
  const asked: string[] = [];
  const answers: ((a: ConsentAnswer | undefined) => void)[] = [];
  let applied = 0;
  const consent = new AutoConnectConsent({
    store: memoryStore(),
    logger: silentLogger,
    ask: (p) => {
      asked.push(p.name);
      return new Promise((resolve) => answers.push(resolve));
    },
    onAnswered: () => applied++,
  });
  const settle = () => new Promise((r) => setImmediate(r));
  return { consent, asked, answers, applied: () => applied, settle };
}

describe('AutoConnectConsent', () => {
  const plant = profile('plant', 'mqtt://broker.example.com:1883');

  it("never asks about the user's own profiles", () => {
    const { consent, asked } = setup();
    const [p] = consent.filter([plant], () => 'user');
    assert.equal(p.autoConnect, true);
    assert.deepEqual(asked, []);
  });

  it('holds a workspace profile back and asks once, however often the profiles apply', () => {
    const { consent, asked } = setup();
    assert.equal(consent.filter([plant], () => 'workspace')[0].autoConnect, false);
    consent.filter([plant], () => 'workspace');
    assert.deepEqual(asked, ['plant']);
  });

  it('lets it connect once the user said Connect, remembered for the host', async () => {
    const { consent, asked, answers, applied, settle } = setup();
    consent.filter([plant], () => 'workspace');
    answers[0]('connect');
    await settle();
    assert.equal(applied(), 1);
    assert.equal(consent.filter([plant], () => 'workspace')[0].autoConnect, true);
    const sameHost = profile('plant-2', 'mqtt://BROKER.example.com:1883');
    assert.equal(consent.filter([sameHost], () => 'workspace')[0].autoConnect, true);
    assert.deepEqual(asked, ['plant']);
  });

  it('after Not now, does not connect by itself and does not ask again', async () => {
    const { consent, asked, answers, settle } = setup();
    consent.filter([plant], () => 'workspace');
    answers[0]('notNow');
    await settle();
    assert.equal(consent.filter([plant], () => 'workspace')[0].autoConnect, false);
    assert.deepEqual(asked, ['plant']);
  });

  it('asks about another host, and again after a dismissed question', async () => {
    const { consent, asked, answers, settle } = setup();
    consent.filter([plant], () => 'workspace');
    answers[0](undefined);
    await settle();
    consent.filter([plant, profile('other', 'mqtt://other:1883')], () => 'workspace');
    assert.deepEqual(asked, ['plant', 'plant', 'other']);
  });

  it('leaves profiles without autoConnect alone', () => {
    const { consent, asked } = setup();
    consent.filter([profile('manual', 'mqtt://h', false)], () => 'workspace');
    assert.deepEqual(asked, []);
  });
});

describe('reserved names', () => {
  for (const name of ['Local broker', ' local BROKER ']) {
    it(`reports a settings profile named ${JSON.stringify(name)} at its name`, () => {
      const { profiles, problems } = validateProfiles(
        [{ name, url: 'mqtt://evil.example' }],
        'mqttScope.connections',
        { reservedNames: ['Local broker'] },
      );
      assert.deepEqual(profiles, []);
      assert.equal(problems[0].path, 'mqttScope.connections[0].name');
      assert.match(problems[0].message, /reserved/);
    });
  }
});
