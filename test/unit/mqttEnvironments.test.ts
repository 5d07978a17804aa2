import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ENV_FILE_NAME,
  findEnvironmentFile,
  parseEnvironments,
} from '../../src/core/mqttFile/environments';

const file = (environments: unknown) => JSON.stringify({ environments });

describe('parseEnvironments', () => {
  it('reads the documented example', () => {
    const { environments, problems } = parseEnvironments(
      file({
        local: { connection: 'Local broker', variables: { device: 'dev-42' } },
        ci: {
          broker: 'mqtt://localhost:1883',
          protocol: 5,
          username: 'ci',
          password: '{{$env MQTT_PASSWORD}}',
          variables: { device: 'dev-ci' },
        },
      }),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(environments.local, {
      connection: 'Local broker',
      variables: { device: 'dev-42' },
    });
    assert.deepEqual(environments.ci, {
      broker: 'mqtt://localhost:1883',
      protocol: 5,
      username: 'ci',
      password: '{{$env MQTT_PASSWORD}}',
      variables: { device: 'dev-ci' },
    });
  });

  it('accepts every broker scheme and a $secret password', () => {
    for (const scheme of ['mqtt', 'mqtts', 'ws', 'wss']) {
      const { problems } = parseEnvironments(
        file({ e: { broker: `${scheme}://b.example:1`, password: '{{ $secret PW }}' } }),
      );
      assert.deepEqual(problems, [], scheme);
    }
  });

  const rows: [label: string, text: string, path: string, words: RegExp][] = [
    ['JSON syntax', '{"environments": {', '', /not valid JSON/],
    ['not an object', '[]', '', /must be an object/],
    ['unknown top-level key', '{"environments": {}, "env": 1}', 'env', /unknown key "env"/],
    ['environments missing', '{}', 'environments', /named environments/],
    ['an environment that is a string', file({ ci: 'x' }), 'environments.ci', /an object/],
    ['an unknown key', file({ ci: { brokr: 'x' } }), 'environments.ci.brokr', /unknown key/],
    [
      'a literal password',
      file({ ci: { password: 'hunter2' } }),
      'environments.ci.password',
      /never written in the file.*\{\{\$env NAME\}\}/,
    ],
    [
      'an http broker',
      file({ ci: { broker: 'http://b:80' } }),
      'environments.ci.broker',
      /mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/ \(not http:\/\/\)/,
    ],
    ['not a URL', file({ ci: { broker: 'localhost' } }), 'environments.ci.broker', /a URL/],
    [
      'a password in the URL',
      file({ ci: { broker: 'mqtt://u:p@b' } }),
      'environments.ci.broker',
      /never written in the URL/,
    ],
    ['protocol 3', file({ ci: { protocol: 3 } }), 'environments.ci.protocol', /5 or 4/],
    [
      'an empty connection',
      file({ ci: { connection: ' ' } }),
      'environments.ci.connection',
      /non-empty/,
    ],
    [
      'a numeric variable',
      file({ ci: { variables: { n: 1 } } }),
      'environments.ci.variables.n',
      /a string/,
    ],
    [
      'a bad variable name',
      file({ ci: { variables: { 'a b': 'x' } } }),
      'environments.ci.variables.a b',
      /variable name/,
    ],
  ];
  for (const [label, text, at, words] of rows) {
    it(`names the path of ${label}`, () => {
      const { problems } = parseEnvironments(text);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0].path, at);
      assert.match(problems[0].message, words);
    });
  }

  it('never echoes a literal password in a problem', () => {
    const { problems } = parseEnvironments(file({ ci: { password: 'hunter2' } }));
    assert.ok(!JSON.stringify(problems).includes('hunter2'));
  });

  it('keeps the environments without mistakes', () => {
    const { environments, problems } = parseEnvironments(
      file({ good: { broker: 'mqtt://a' }, bad: { broker: 'ftp://a' } }),
    );
    assert.deepEqual(Object.keys(environments), ['good']);
    assert.equal(problems.length, 1);
  });
});

describe('findEnvironmentFile', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-env-'));
  const deep = path.join(root, 'a', 'b', 'c');
  fs.mkdirSync(deep, { recursive: true });

  it('finds the file in a folder above', async () => {
    fs.writeFileSync(path.join(root, 'a', ENV_FILE_NAME), '{}');
    assert.equal(await findEnvironmentFile(deep), path.join(root, 'a', ENV_FILE_NAME));
  });

  it('prefers the nearest file', async () => {
    fs.writeFileSync(path.join(root, 'a', 'b', ENV_FILE_NAME), '{}');
    assert.equal(await findEnvironmentFile(deep), path.join(root, 'a', 'b', ENV_FILE_NAME));
    fs.rmSync(path.join(root, 'a', 'b', ENV_FILE_NAME));
  });

  it('stops at stopDir', async () => {
    assert.equal(await findEnvironmentFile(deep, path.join(root, 'a', 'b')), undefined);
    assert.equal(
      await findEnvironmentFile(deep, path.join(root, 'a')),
      path.join(root, 'a', ENV_FILE_NAME),
    );
  });

  it('ignores a folder of that name', async () => {
    fs.mkdirSync(path.join(deep, ENV_FILE_NAME));
    assert.equal(await findEnvironmentFile(deep), path.join(root, 'a', ENV_FILE_NAME));
  });
});
