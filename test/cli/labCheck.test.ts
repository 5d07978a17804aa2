/**
 * The seed example (examples/lab-check.mqtt) passes through the built `mqtt-scope` against a
 * real Mosquitto and the embedded aedes broker, and an environment's `{{$env …}}` values are read
 * from the process environment.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { envFile, printed, ROOT, runCli, tempFiles } from './cliProcess';

const LAB = path.join(ROOT, 'examples', 'lab-check.mqtt');
const PASSING_LINES = [
  /^ {2}✓ QoS 0 arrives \(\d+ ms\)$/m,
  /^ {2}✓ QoS 1 arrives \(\d+ ms\)$/m,
  /^ {2}✓ QoS 2 arrives \(\d+ ms\)$/m,
  /^ {2}✓ publish at QoS 2 \[step\]/m,
  /^ {2}✓ a late subscriber sees the retained message \(\d+ ms\)$/m,
  /^ {2}✓ clean up: an empty retained message clears it \[step\]/m,
  /^ {2}✓ the Last Will arrives when the device dies \(\d+ ms\)$/m,
  /^OK {2}tests: 5 passed, 0 failed, 0 skipped; steps: \d+ passed, 0 failed; 1 file in /m,
];

describe('mqtt-scope runs the lab check', () => {
  let mosquitto: MosquittoBroker;
  let aedes: AedesBroker;
  before(async () => {
    mosquitto = await startMosquitto();
    aedes = await startAedes();
  });
  after(async () => {
    await mosquitto?.stop();
    await aedes?.stop();
  });

  it('passes on Mosquitto (MQTT 5) with exit 0', async () => {
    const o = await runCli([
      'run',
      'examples/lab-check.mqtt',
      '--broker',
      `mqtt://127.0.0.1:${mosquitto.port}`,
    ]);
    assert.equal(o.code, 0, printed(o));
    for (const line of PASSING_LINES) assert.match(o.stdout, line, printed(o));
    assert.match(o.stdout, /^examples\/lab-check\.mqtt$/m);
    assert.ok(!o.stdout.includes('\x1b['), 'no colour when not a terminal');
  });

  it('passes on aedes (MQTT 3.1.1) chosen by --env ci --env-file, from another folder', async () => {
    const files = tempFiles({ 'env.json': envFile(aedes.port, { protocol: 4 }) });
    try {
      const o = await runCli(
        ['run', LAB, '--env', 'ci', '--env-file', path.join(files.dir, 'env.json')],
        { cwd: files.dir },
      );
      assert.equal(o.code, 0, printed(o));
      for (const line of PASSING_LINES) assert.match(o.stdout, line, printed(o));
      assert.match(o.stdout, new RegExp(`mqtt://127\\.0\\.0\\.1:${aedes.port}, environment ci`));
    } finally {
      files.remove();
    }
  });

  it('stretches every WITHIN window by --timeout-scale', async () => {
    const files = tempFiles({ 'quiet.mqtt': '### quiet\nEXPECT NOTHING cli/scale WITHIN 200ms\n' });
    try {
      const args = ['run', 'quiet.mqtt', '--broker', `mqtt://127.0.0.1:${mosquitto.port}`];
      const o = await runCli([...args, '--timeout-scale', '5'], { cwd: files.dir });
      assert.equal(o.code, 0, printed(o));
      const shown = /✓ quiet \((\d+(?:\.\d+)?) (ms|s)\)/.exec(o.stdout);
      assert.ok(shown, printed(o));
      const ms = Number(shown[1]) * (shown[2] === 's' ? 1000 : 1);
      assert.ok(ms >= 1000 && ms < 3000, `the window lasted ${ms} ms, not 5 × 200 ms`);
    } finally {
      files.remove();
    }
  });

  it('expands a quoted glob itself and finds mqtt-scope.env.json above the file', async () => {
    const files = tempFiles({
      'mqtt-scope.env.json': envFile(mosquitto.port),
      'tests/one.mqtt':
        '### one arrives\nEXPECT cli/glob/1 WITHIN 2s\n\n1\n\n###\nPUBLISH cli/glob/1\n\n1\n',
      'tests/two.mqtt':
        '### two arrives\nEXPECT cli/glob/2 WITHIN 2s\n\n2\n\n###\nPUBLISH cli/glob/2\n\n2\n',
      'tests/notes.txt': 'not a test',
    });
    try {
      const o = await runCli(['run', 'tests/*.mqtt', '--env', 'ci'], { cwd: files.dir });
      assert.equal(o.code, 0, printed(o));
      assert.match(o.stdout, /^tests\/one\.mqtt\n {2}✓ one arrives/m);
      assert.match(o.stdout, /^tests\/two\.mqtt\n {2}✓ two arrives/m);
      assert.match(
        o.stdout,
        /tests: 2 passed, 0 failed, 0 skipped; steps: 2 passed, 0 failed; 2 files/,
      );
    } finally {
      files.remove();
    }
  });
});

describe('mqtt-scope reads {{$env …}} from the process environment', () => {
  let mosquitto: MosquittoBroker;
  before(async () => {
    mosquitto = await startMosquitto({ allowAnonymous: false, passwords: { ci: 'pw-8c1e' } });
  });
  after(async () => mosquitto?.stop());

  const files = tempFiles({
    'mqtt-scope.env.json': '',
    'check.mqtt': [
      '@topic = cli/{{device}}/{{$env RUN_ID}}',
      '### the device reading arrives',
      'EXPECT {{topic}} WITHIN 2s',
      'json: $.run == "{{$env RUN_ID}}"',
      '',
      '### publish it',
      'PUBLISH {{topic}}',
      'qos: 1',
      '',
      '{"run": "{{$env RUN_ID}}"}',
      '',
    ].join('\n'),
  });
  after(() => files.remove());
  const writeEnv = () =>
    fs.writeFileSync(
      path.join(files.dir, 'mqtt-scope.env.json'),
      envFile(mosquitto.port, {
        username: 'ci',
        password: '{{$env MQTT_PASSWORD}}',
        variables: { device: 'dev-ci' },
      }),
    );

  it('connects with the password from MQTT_PASSWORD and expands the variables', async () => {
    writeEnv();
    const o = await runCli(
      ['run', 'check.mqtt', '--env', 'ci', '--env-file', 'mqtt-scope.env.json'],
      {
        cwd: files.dir,
        env: { MQTT_PASSWORD: 'pw-8c1e', RUN_ID: 'r42' },
      },
    );
    assert.equal(o.code, 0, printed(o));
    assert.match(o.stdout, /✓ the device reading arrives/);
    assert.ok(
      !o.stdout.includes('pw-8c1e') && !o.stderr.includes('pw-8c1e'),
      'never prints a secret',
    );
  });

  it('exits 2 naming the variable when MQTT_PASSWORD is not set', async () => {
    writeEnv();
    const o = await runCli(['run', 'check.mqtt', '--env', 'ci'], {
      cwd: files.dir,
      env: { RUN_ID: 'r42', MQTT_PASSWORD: undefined },
    });
    assert.equal(o.code, 2, printed(o));
    assert.match(o.stderr, /password reads the variable MQTT_PASSWORD, which is not set/);
  });

  it('exits 2 for an environment the file does not have', async () => {
    writeEnv();
    const o = await runCli(['run', 'check.mqtt', '--env', 'staging'], { cwd: files.dir });
    assert.equal(o.code, 2, printed(o));
    assert.match(o.stderr, /mqtt-scope\.env\.json has no environment "staging" \(it has ci\)/);
  });
});
