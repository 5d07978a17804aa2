/**
 * How the built `mqtt-scope` fails: a failing file exits 1 and its JUnit report (read with a
 * real XML parser) names each test and failure; parse errors print `file:line:col`; bad
 * arguments exit 2; an unreachable broker exits 1 with the reason.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { freePort } from '../support/ports';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { printed, runCli, tempFiles } from './cliProcess';

const FAILING = [
  '### the right reading arrives',
  'EXPECT cli/fail/t WITHIN 2s',
  'json: $.t == 21',
  '',
  '### a wrong reading',
  'EXPECT cli/fail/t WITHIN 1s',
  '',
  '{"t": 22}',
  '',
  '### nothing on the alarm topic',
  'EXPECT NOTHING cli/fail/alarm WITHIN 500ms',
  '',
  '### send the reading',
  'PUBLISH cli/fail/t',
  'qos: 1',
  '',
  '{"t": 21}',
  '',
  '### raise the alarm',
  'PUBLISH cli/fail/alarm',
  '',
  'fire',
  '',
  '### a topic the broker refuses',
  'PUBLISH forbidden/x',
  'qos: 1',
  '',
  'x',
  '',
].join('\n');

type Case = {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; '#text'?: string };
};
type Suite = { name: string; tests: string; failures: string; testcase: Case[] | Case };

describe('mqtt-scope reports failures', () => {
  let mosquitto: MosquittoBroker;
  const files = tempFiles({
    'failing.mqtt': FAILING,
    'broken.mqtt':
      '### typo\nPUBLSH cli/x\n\n### bad window\nEXPECT cli/x WITHIN forever\n\n### unknown\nPUBLISH cli/{{nope}}\n',
    'ok.mqtt': '### a step only\nWAIT 10ms\n',
  });
  before(async () => {
    // Anonymous clients may use cli/# only: a PUBLISH elsewhere is refused (MQTT 5: 0x87).
    mosquitto = await startMosquitto({ acl: 'topic readwrite cli/#\n' });
  });
  after(async () => {
    await mosquitto?.stop();
    files.remove();
  });
  const broker = () => ['--broker', `mqtt://127.0.0.1:${mosquitto.port}`];

  it('exits 1 and writes JUnit with each test, failure and failed step', async () => {
    const o = await runCli(
      [
        'run',
        'failing.mqtt',
        'ok.mqtt',
        ...broker(),
        '--reporter',
        'junit',
        '--output',
        'out/report.xml',
      ],
      { cwd: files.dir },
    );
    assert.equal(o.code, 1, printed(o));
    assert.match(o.stdout, /^ {2}✓ the right reading arrives/m);
    assert.match(o.stdout, /^ {2}✗ a wrong reading/m);
    assert.match(o.stdout, /^ {6}- +"t": 22$/m, 'the expected side of the diff');
    assert.match(o.stdout, /^ {6}\+ +"t": 21$/m, 'the received side of the diff');
    assert.match(o.stdout, /^ {2}✗ nothing on the alarm topic/m);
    assert.match(o.stdout, /^ {2}✗ a topic the broker refuses \[step\]/m);
    assert.match(o.stdout, /^FAILED \(1 of 2 files\) {2}tests: 1 passed, 2 failed, 0 skipped/m);
    assert.match(o.stdout, /JUnit report: out\/report\.xml/);

    const xml = fs.readFileSync(path.join(files.dir, 'out', 'report.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: Suite[] };
    };
    assert.equal(doc.testsuites.tests, '4');
    assert.equal(doc.testsuites.failures, '3');
    const [failing, ok] = doc.testsuites.testsuite;
    assert.equal(failing.name, 'failing.mqtt');
    assert.equal(failing.failures, '3');
    const cases = failing.testcase as Case[];
    assert.deepEqual(
      cases.map((c) => c.name),
      [
        'the right reading arrives',
        'a wrong reading',
        'nothing on the alarm topic',
        'a topic the broker refuses [step]',
      ],
    );
    assert.ok(cases.every((c) => c.classname === 'failing.mqtt' && Number(c.time) >= 0));
    assert.equal(cases[0].failure, undefined);
    assert.match(
      cases[1].failure?.['#text'] ?? '',
      /Expected:\n[\s\S]*"t": 22[\s\S]*Received:\n[\s\S]*"t": 21/,
    );
    assert.ok(cases[2].failure?.message, 'EXPECT NOTHING says why it failed');
    assert.equal(cases[3].failure?.type, 'step');
    assert.match(cases[3].failure?.message ?? '', /not authori[sz]ed|0x87|135/i);
    assert.equal(ok.name, 'ok.mqtt');
    assert.equal(ok.tests, '0');
  });

  it('prints parse errors as file:line:col and exits 1 without running', async () => {
    const o = await runCli(['run', 'broken.mqtt', ...broker()], { cwd: files.dir });
    assert.equal(o.code, 1, printed(o));
    assert.match(o.stdout, /^ {2}✗ broken\.mqtt:2:1: .+/m);
    assert.match(o.stdout, /^ {2}✗ broken\.mqtt:5:\d+: .+/m);
    assert.match(o.stdout, /^ {2}✗ broken\.mqtt:8:13: unknown variable `\{\{nope\}\}`/m);
    assert.match(o.stdout, /^FAILED \(1 of 1 file\) {2}tests: 0 passed/m);
  });

  const usage: [string, string[], RegExp][] = [
    ['no files', ['run'], /no .mqtt files given/],
    ['an unknown option', ['run', 'ok.mqtt', '--colour'], /Unknown option '--colour'/],
    ['an unknown reporter', ['run', 'ok.mqtt', '--reporter', 'tap'], /console or junit/],
    [
      'a glob that matches nothing',
      ['run', 'nothing/*.mqtt'],
      /no file matches "nothing\/\*\.mqtt"/,
    ],
    [
      '--env without an environments file',
      ['run', 'ok.mqtt', '--env', 'ci'],
      /no mqtt-scope\.env\.json/,
    ],
  ];
  for (const [label, args, words] of usage) {
    it(`exits 2 for ${label}`, async () => {
      const o = await runCli(args, { cwd: files.dir });
      assert.equal(o.code, 2, printed(o));
      assert.match(o.stderr, words);
    });
  }

  it('prints the usage with --help and exits 0', async () => {
    const o = await runCli(['--help']);
    assert.equal(o.code, 0, printed(o));
    assert.match(o.stdout, /^Usage: mqtt-scope run <files or globs…> \[options\]/);
  });

  it('exits 1 with the reason when the broker cannot be reached', async () => {
    const port = await freePort();
    const o = await runCli(['run', 'failing.mqtt', '--broker', `mqtt://127.0.0.1:${port}`], {
      cwd: files.dir,
      timeoutMs: 30_000,
    });
    assert.equal(o.code, 1, printed(o));
    assert.match(o.stdout, /ECONNREFUSED|refused|cannot (connect|reach)/i, printed(o));
    assert.match(o.stdout, /^FAILED/m);
  });
});
