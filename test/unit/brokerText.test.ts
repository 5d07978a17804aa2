/**
 * Broker strings echoed to the user or the log: credentials redacted up to the last `@`,
 * control characters made visible, even when the string is not a valid URL.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brokerText, redactCredentials } from '../../src/core/profile/brokerText';
import { validateProfiles } from '../../src/core/profile/profile';

describe('redactCredentials', () => {
  const cases: [string, string][] = [
    ['mqtt://user:pa/ss@host:99999', 'mqtt://…@host:99999'],
    ['mqtt://u:p@ss@host', 'mqtt://…@host'],
    ['mqtt://host:1883', 'mqtt://host:1883'],
    ['u:p@host', '…@host'],
    ['mqtt://h/a@b', 'mqtt://…@b'],
  ];
  for (const [input, shown] of cases) {
    it(`shows ${JSON.stringify(input)} as ${JSON.stringify(shown)}`, () => {
      assert.equal(redactCredentials(input), shown);
    });
  }

  it('makes line breaks visible, so a broker string cannot forge a log line', () => {
    assert.equal(brokerText('mqtt://h\n[error] fake'), 'mqtt://h⟨LF⟩[error] fake');
  });
});

describe('invalid URLs with credentials in validation problems', () => {
  for (const url of [
    'mqtt://user:pa/ss@host:99999',
    'mqtt://u:p@ss@host',
    'mqtt://u:p@ss@host:0',
    'mqtt://user:pa/ss@',
    'mqtt://u:se cret@host',
  ]) {
    it(`never echoes the password of ${JSON.stringify(url)}`, () => {
      const { problems } = validateProfiles([{ name: 'p', url }]);
      assert.ok(problems.length > 0);
      for (const p of problems) {
        for (const secret of ['pa/ss', 'p@ss', 'se cret', 'user:', 'u:p']) {
          assert.ok(!p.message.includes(secret), `${p.message} shows ${secret}`);
        }
      }
    });
  }

  it('never echoes a password given in "host"', () => {
    const { problems } = validateProfiles([{ name: 'p', host: 'mqtt://u:p@ss@host' }]);
    assert.ok(problems.length > 0);
    for (const p of problems) assert.ok(!p.message.includes('p@ss'), p.message);
  });

  it('shows a line break in a URL as a marker, not a new line', () => {
    const { problems } = validateProfiles([{ name: 'p', url: 'mqtt://h:99999\n[error] forged' }]);
    assert.ok(problems.length > 0);
    for (const p of problems) assert.ok(!/[\n\r]/.test(p.message), p.message);
  });
});

describe('host', () => {
  for (const host of ['u:p@ss@host', 'h\nx', 'h/x', 'h x']) {
    it(`rejects ${JSON.stringify(host)}, echoing no credentials or line break`, () => {
      const { profiles, problems } = validateProfiles([{ name: 'p', host }]);
      assert.equal(profiles.length, 0);
      assert.equal(problems[0].path, 'mqttScope.connections[0].host');
      assert.ok(!problems[0].message.includes('p@ss'), problems[0].message);
      assert.ok(!/\n/.test(problems[0].message), problems[0].message);
    });
  }
});
