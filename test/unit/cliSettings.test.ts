/**
 * What the command line resolves before anything runs: the files its globs name, and the
 * environment, broker and credentials a run connects with.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunArgs } from '../../src/cli/cliArgs';
import { DEFAULT_BROKER, resolveSettings, UsageError } from '../../src/cli/cliEnvironment';
import { displayPath, expandFiles } from '../../src/cli/cliFiles';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-cli-settings-'));
const write = (name: string, text = '') => {
  fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
  fs.writeFileSync(path.join(root, name), text);
  return path.join(root, name);
};
const a = write('tests/a.mqtt');
const b = write('tests/deep/b.mqtt');
write('tests/readme.txt');
write('tests/node_modules/x.mqtt');
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('mqtt-scope files', () => {
  it('expands * and ** itself, skipping node_modules', async () => {
    assert.deepEqual(await expandFiles(['tests/*.mqtt'], root), { files: [a], unmatched: [] });
    assert.deepEqual(await expandFiles(['tests/**/*.mqtt'], root), {
      files: [a, b],
      unmatched: [],
    });
  });

  it('takes a file as named, once, and lists what matched nothing', async () => {
    assert.deepEqual(
      await expandFiles(['tests/a.mqtt', 'tests/*.mqtt', 'none/*.mqtt', 'x.mqtt'], root),
      {
        files: [a],
        unmatched: ['none/*.mqtt', 'x.mqtt'],
      },
    );
  });

  it('names files relative to the working folder with /', () => {
    assert.equal(displayPath(b, root), 'tests/deep/b.mqtt');
    assert.equal(displayPath(b, path.join(root, 'other')), b.split(path.sep).join('/'));
  });
});

describe('mqtt-scope connection settings', () => {
  const args = (o: Partial<RunArgs> = {}): RunArgs => ({
    patterns: [],
    reporter: 'console',
    timeoutScale: 1,
    insecure: false,
    ...o,
  });
  const env = write(
    'mqtt-scope.env.json',
    JSON.stringify({
      environments: {
        ci: {
          broker: 'mqtts://b.example:8883',
          protocol: 4,
          username: 'ci-{{$env RUNNER}}',
          password: '{{$secret MQTT_PASSWORD}}',
          variables: { device: 'dev-ci' },
        },
        local: { connection: 'Local broker' },
        bad: { broker: 'http://x' },
      },
    }),
  );

  it('uses the default broker without an environment', async () => {
    const s = await resolveSettings(args(), a, root, {});
    assert.deepEqual(s.clients, { broker: DEFAULT_BROKER, rejectUnauthorized: true });
    assert.deepEqual(s.variables, {});
  });

  it('finds the environments file above the first file and reads its references', async () => {
    const s = await resolveSettings(args({ env: 'ci', insecure: true }), b, root, {
      RUNNER: '7',
      MQTT_PASSWORD: 'pw',
    });
    assert.equal(s.envFile, env);
    assert.deepEqual(s.clients, {
      broker: 'mqtts://b.example:8883',
      protocolVersion: 4,
      username: 'ci-7',
      password: 'pw',
      rejectUnauthorized: false,
    });
    assert.deepEqual(s.variables, { device: 'dev-ci' });
  });

  it('lets --broker win and reads TLS files', async () => {
    const ca = write('ca.pem', 'CA');
    const s = await resolveSettings(
      args({ env: 'ci', broker: 'mqtt://other:1', ca: 'ca.pem' }),
      a,
      root,
      { RUNNER: '1', MQTT_PASSWORD: 'x' },
    );
    assert.equal(s.clients.broker, 'mqtt://other:1');
    assert.equal(s.clients.ca?.toString(), 'CA');
    assert.ok(ca);
  });

  const refusals: [string, Partial<RunArgs>, NodeJS.ProcessEnv, RegExp][] = [
    [
      'an unset variable',
      { env: 'ci' },
      { RUNNER: '1' },
      /password reads the variable MQTT_PASSWORD/,
    ],
    [
      'an unknown environment',
      { env: 'prod' },
      {},
      /has no environment "prod" \(it has ci, local\)/,
    ],
    ['an environment with a mistake', { env: 'bad' }, {}, /environments\.bad\.broker: the scheme/],
    ['an editor-only environment', { env: 'local' }, {}, /only the editor knows/],
    ['--env-file without --env', { envFile: 'x.json' }, {}, /needs --env/],
    ['a missing env file', { env: 'ci', envFile: 'nope.json' }, {}, /cannot read nope\.json/],
    ['a missing CA', { ca: 'nope.pem' }, {}, /--ca nope\.pem/],
  ];
  for (const [label, o, vars, words] of refusals) {
    it(`refuses ${label} as a usage error`, async () => {
      await assert.rejects(resolveSettings(args(o), a, root, vars), (error: Error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, words);
        return true;
      });
    });
  }
});
