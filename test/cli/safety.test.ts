/**
 * The built `mqtt-scope` on hostile files: secrets and environment values never appear in the
 * console or JUnit report; a catastrophic `match:` and JSON nested 200,000 deep end within their
 * window; SIGTERM closes every client and exits 143.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { printed, runCli, startCli, tempFiles } from './cliProcess';

const TOKEN = 'tok-9f8e7d6c5b';
const API_KEY = 'key "quoted" 4711';

const SECRETS = [
  '### the token arrives',
  'EXPECT cli/sec/t WITHIN 2s',
  'payload: {"token": "{{$secret TOKEN}}", "key": "{{$env API_KEY}}"}',
  '',
  '### send another token and the key',
  'PUBLISH cli/sec/t',
  '',
  '{"token": "{{$secret TOKEN}}-old", "key": "{{$env API_KEY}}"}',
  '',
].join('\n');

const HOSTILE = [
  '### catastrophic',
  'EXPECT cli/bad/re WITHIN 1s',
  'match: /^(a+)+$/',
  '',
  '### deep',
  'EXPECT cli/bad/deep WITHIN 1s',
  'json: $[0] exists',
  '',
  '### send the a',
  'PUBLISH cli/bad/re',
  '',
  `${'a'.repeat(40_000)}!`,
  '',
  '### send the brackets',
  'PUBLISH cli/bad/deep',
  '',
  `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
  '',
].join('\n');

describe('mqtt-scope on hostile files', () => {
  let mosquitto: MosquittoBroker;
  const files = tempFiles({
    'secrets.mqtt': SECRETS,
    'hostile.mqtt': HOSTILE,
    'long.mqtt':
      '### never\nEXPECT cli/never WITHIN 60s\n\n### wait\nWAIT\n\n### not reached\nWAIT 10ms\n',
  });
  before(async () => {
    mosquitto = await startMosquitto();
  });
  after(async () => {
    await mosquitto?.stop();
    files.remove();
  });
  const broker = () => ['--broker', `mqtt://127.0.0.1:${mosquitto.port}`];

  it('masks $secret and $env values in the console diff and the JUnit report', async () => {
    const o = await runCli(
      ['run', 'secrets.mqtt', ...broker(), '--reporter', 'junit', '--output', 'report.xml'],
      { cwd: files.dir, env: { TOKEN, API_KEY } },
    );
    assert.equal(o.code, 1, printed(o));
    assert.match(o.stdout, /^ {2}✗ the token arrives/m);
    assert.match(o.stdout, /"token": "•••"/, 'the expected side shows the mask');
    assert.match(o.stdout, /"token": "•••-old"/, 'so does the received side');
    const xml = fs.readFileSync(path.join(files.dir, 'report.xml'), 'utf8');
    assert.match(xml, /•••/);
    for (const [where, text] of [
      ['stdout', o.stdout],
      ['stderr', o.stderr],
      ['JUnit', xml],
    ]) {
      assert.ok(!text!.includes(TOKEN), `the secret is in ${where}`);
      assert.ok(!text!.includes('4711'), `the environment value is in ${where}`);
    }
  });

  it('a catastrophic match: and JSON nested 200,000 deep fail within their window', async () => {
    const started = Date.now();
    const o = await runCli(['run', 'hostile.mqtt', ...broker()], { cwd: files.dir });
    assert.equal(o.code, 1, printed(o));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.match(o.stdout, /^ {2}✗ catastrophic/m);
    assert.match(o.stdout, /^ {2}✗ deep/m);
    assert.match(o.stdout, /^ {2}✓ send the brackets/m);
    assert.doesNotMatch(o.stderr, /RangeError|stack/);
  });

  it('SIGTERM closes the clients and exits 143', async () => {
    const logFrom = mosquitto.log().length;
    const log = () => mosquitto.log().slice(logFrom);
    const cli = startCli(['run', 'long.mqtt', ...broker()], { cwd: files.dir });
    const connected = () => (log().match(/New client connected/g) ?? []).length;
    const before = connected();
    const deadline = Date.now() + 10_000;
    while (connected() === before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(connected() > before, 'the runner connected');
    const terminated = Date.now();
    cli.child.kill('SIGTERM');
    const o = await cli.done;
    assert.equal(o.code, 143, printed(o));
    assert.ok(Date.now() - terminated < 5_000, 'at once, not after the 60 s window');
    assert.match(o.stderr, /terminated, closing the clients/);
    assert.match(o.stdout, /^ {2}- not reached/m, 'the rest is reported skipped');
    const until = Date.now() + 5_000;
    while (!/disconnected|closed its connection/.test(log()) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(log(), /Client \S+ disconnected\./, 'the client sent DISCONNECT');
    assert.doesNotMatch(log(), /closed its connection|exceeded timeout/, 'no abrupt close');
  });
});
