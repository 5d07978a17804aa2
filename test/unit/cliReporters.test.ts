/**
 * The command line's console and JUnit reports on results built by hand: labels, marks,
 * latency, the expected/received diff, colour rules, and JUnit read back by an XML parser.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import type {
  ExpectBlock,
  MqttBlock,
  PublishBlock,
  SourceRange,
} from '../../src/core/mqttFile/mqttFileAst';
import type { BlockResult } from '../../src/core/mqttFile/runTypes';
import {
  blockLines,
  COLOUR,
  ConsoleReporter,
  PLAIN,
  styleFor,
  summaryLine,
} from '../../src/cli/consoleReporter';
import { blockLabel, type FileReport } from '../../src/cli/fileReport';
import { junitXml, xmlAttribute, xmlText } from '../../src/cli/junitReporter';

const range = (line: number): SourceRange => ({ line, column: 0, endLine: line, endColumn: 9 });
const t = (raw: string) => ({ raw, range: range(0) });

function expectBlock(index: number, title: string, line: number): ExpectBlock {
  return {
    kind: 'expect',
    index,
    title,
    range: range(line),
    requestRange: range(line + 1),
    invalid: false,
    filter: t('lab/#'),
    nothing: false,
    withinMs: 2000,
    qos: 2,
    qosRequired: false,
    count: { kind: 'atLeast', n: 1 },
    matchers: { json: [] },
  };
}

function publishBlock(index: number, line: number): PublishBlock {
  return {
    kind: 'publish',
    index,
    title: '',
    range: range(line),
    requestRange: range(line + 1),
    invalid: false,
    message: {
      topic: t('lab/x'),
      qos: 1,
      retain: false,
      properties: { userProperties: [] },
      payload: { kind: 'empty' },
    },
  };
}

const source = [
  '### arrives',
  'EXPECT lab/# WITHIN 2s',
  '###',
  'PUBLISH lab/x',
  '### wrong payload',
  'EXPECT lab/# WITHIN 2s',
  '### later',
  'EXPECT lab/y WITHIN 1s',
];
const blocks: MqttBlock[] = [
  expectBlock(0, 'arrives', 0),
  publishBlock(1, 2),
  expectBlock(2, 'wrong payload', 4),
  expectBlock(3, 'later', 6),
];
const labels = blocks.map((b) => blockLabel(b, source));
const results: BlockResult[] = [
  { block: blocks[0], status: 'passed', latencyMs: 12, durationMs: 15, messages: 1 },
  { block: blocks[1], status: 'failed', message: 'not authorized (0x87)', durationMs: 3 },
  {
    block: blocks[2],
    status: 'failed',
    message: 'the payload differs',
    expected: '{"t": 21}',
    actual: '{"t": 22}\u001b[2J\u0000',
    durationMs: 40,
  },
  { block: blocks[3], status: 'skipped', message: 'the run was interrupted', durationMs: 0 },
];
const report: FileReport = {
  path: 'tests/lab & <check>.mqtt',
  errors: [],
  result: { results, passed: false, durationMs: 60 },
  durationMs: 61,
};
const broken: FileReport = {
  path: 'tests/broken.mqtt',
  errors: [{ line: 3, column: 7, message: 'unknown keyword "PUBLSH"' }],
  durationMs: 1,
};

describe('console report', () => {
  it('labels a block by its title, else by its request line', () => {
    assert.deepEqual(labels, ['arrives', 'PUBLISH lab/x', 'wrong payload', 'later']);
  });

  it('prints ✓ with the latency, ✗ with the reason, - for skipped', () => {
    assert.equal(blockLines(results[0], labels[0], PLAIN)[0], '  ✓ arrives (12 ms)');
    const step = blockLines(results[1], labels[1], PLAIN);
    assert.equal(step[0], '  ✗ PUBLISH lab/x [step] (3 ms)');
    assert.equal(step[1], '      not authorized (0x87)');
    assert.equal(
      blockLines(results[3], labels[3], PLAIN)[0],
      '  - later — the run was interrupted',
    );
  });

  it('shows expected and received as a diff, device controls as markers', () => {
    const lines = blockLines(results[2], labels[2], PLAIN);
    assert.deepEqual(lines.slice(1), [
      '      the payload differs',
      '      - expected  + received',
      '      - {"t": 21}',
      '      + {"t": 22}⟨ESC⟩[2J⟨NUL⟩',
    ]);
    assert.ok(!lines.join('\n').includes('\u001b'), 'no raw escape from a device');
  });

  it('writes blocks in file order though an EXPECT ends after the PUBLISH it waits for', () => {
    let out = '';
    const reporter = new ConsoleReporter((text) => (out += text), PLAIN);
    reporter.fileStarted('a.mqtt');
    reporter.blockEnded(results[1], labels[1]);
    assert.equal(out, 'a.mqtt\n', 'the PUBLISH waits for the EXPECT before it');
    reporter.blockEnded(results[0], labels[0]);
    reporter.blockEnded(results[3], labels[3]);
    reporter.fileEnded({ ...report, result: { ...report.result!, results } });
    const marks = out.split('\n').filter((l) => /^ {2}[✓✗-] /.test(l));
    assert.deepEqual(
      marks.map((l) => l.slice(4).split(' ')[0]),
      ['arrives', 'PUBLISH', 'later'],
    );
  });

  it('colours only a terminal without NO_COLOR', () => {
    assert.equal(styleFor({ isTTY: true }, {}), COLOUR);
    assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '1' }), PLAIN);
    assert.equal(styleFor({ isTTY: false }, {}), PLAIN);
    assert.match(blockLines(results[0], labels[0], COLOUR)[0], /\x1b\[32m✓/);
  });

  it('sums up tests, steps and files', () => {
    assert.equal(
      summaryLine([report, broken], 1500, PLAIN),
      'FAILED (2 of 2 files)  tests: 1 passed, 1 failed, 1 skipped; steps: 0 passed, 1 failed; 2 files in 1.50 s',
    );
    const ok: FileReport = {
      path: 'a.mqtt',
      errors: [],
      result: { results: [results[0]], passed: true, durationMs: 5 },
      durationMs: 5,
    };
    assert.match(summaryLine([ok], 20, PLAIN), /^OK {2}tests: 1 passed, 0 failed, 0 skipped/);
  });
});

describe('JUnit report', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  const xml = junitXml(
    [
      { report, labels },
      { report: broken, labels: [] },
    ],
    1500,
  );
  type Case = {
    name: string;
    classname: string;
    time: string;
    failure?: { message: string; type: string; '#text'?: string };
    skipped?: { message: string };
  };
  const doc = parser.parse(xml) as {
    testsuites: {
      tests: string;
      failures: string;
      skipped: string;
      testsuite: { name: string; tests: string; failures: string; testcase: Case[] | Case }[];
    };
  };

  it('counts tests, failures and skips', () => {
    assert.equal(doc.testsuites.tests, '5');
    assert.equal(doc.testsuites.failures, '3');
    assert.equal(doc.testsuites.skipped, '1');
    assert.equal(doc.testsuites.testsuite[0].name, 'tests/lab & <check>.mqtt');
  });

  it('has a testcase per test and per failed step', () => {
    const cases = doc.testsuites.testsuite[0].testcase as Case[];
    assert.deepEqual(
      cases.map((c) => c.name),
      ['arrives', 'PUBLISH lab/x [step]', 'wrong payload', 'later'],
    );
    assert.equal(cases[0].classname, 'tests/lab & <check>.mqtt');
    assert.equal(cases[0].time, '0.015');
    assert.equal(cases[1].failure?.type, 'step');
    assert.equal(cases[2].failure?.message, 'the payload differs');
    assert.equal(cases[2].failure?.type, 'mismatch');
    assert.match(cases[2].failure?.['#text'] ?? '', /Expected:\n\{"t": 21\}/);
    assert.match(cases[2].failure?.['#text'] ?? '', /Received:\n\{"t": 22\}⟨ESC⟩\[2J⟨NUL⟩/);
    assert.equal(cases[3].skipped?.message, 'the run was interrupted');
  });

  it('reports a file error as a failing testcase with file:line:col', () => {
    const c = doc.testsuites.testsuite[1].testcase as Case;
    assert.equal(c.name, 'tests/broken.mqtt:3:7');
    assert.equal(c.failure?.type, 'error');
    assert.equal(c.failure?.['#text'], 'tests/broken.mqtt:3:7: unknown keyword "PUBLSH"');
  });

  it('escapes markup and replaces characters XML 1.0 forbids', () => {
    assert.equal(xmlText('a<b>&c\u0001\uD800\uFFFE'), 'a&lt;b&gt;&amp;c\uFFFD\uFFFD\uFFFD');
    assert.equal(xmlAttribute('"x"\n'), '&quot;x&quot;&#10;');
    assert.equal(xmlText('😀\t'), '😀\t');
    const hostile = junitXml(
      [
        {
          report: {
            ...report,
            result: {
              ...report.result!,
              results: [{ ...results[2], message: '</failure><x>\u0000]]>', actual: '\uDC00' }],
            },
          },
          labels: ['', '', '<script>'],
        },
      ],
      1,
    );
    const parsed = parser.parse(hostile) as typeof doc;
    const c = parsed.testsuites.testsuite as unknown as { testcase: Case };
    assert.equal(c.testcase.name, '<script>');
    assert.equal(c.testcase.failure?.message, '</failure><x>⟨NUL⟩]]>');
  });
});
