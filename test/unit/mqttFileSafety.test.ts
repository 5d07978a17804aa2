/**
 * Hostile input to the `.mqtt` runner: a catastrophic `match:` regular expression, JSON nested
 * 200,000 deep, ordering conditions on strings, secrets in failure texts, a variable that doubles
 * thirty times. Each ends quickly with a clear result.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRig, statuses } from '../support/runRig';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { expandTemplate, ExpansionError } from '../../src/core/mqttFile/expand';

const rig = runRig;
const parsed = (text: string) => {
  const file = parseMqttFile(text);
  const errors = file.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, [], 'the file parses');
  return file;
};

describe('runMqttFile: hostile input', () => {
  it('match: /^(a+)+$/ on 64 KiB of a and ! ends in milliseconds (RE2, linear time)', async () => {
    const { run } = rig();
    const payload = `${'a'.repeat(40_000)}!`;
    const file = parsed(
      [
        '### catastrophic',
        'EXPECT re/x WITHIN 1s',
        'match: /^(a+)+$/',
        '',
        '### the payload',
        'PUBLISH re/x',
        '',
        payload,
        '',
        '### case-insensitive, multi-line, dot-all',
        'EXPECT re/y WITHIN 1s',
        'match: /^B.C$/ims',
        '',
        '###',
        'PUBLISH re/y',
        '',
        'a',
        'b\nc',
        '',
      ].join('\n'),
    );
    const started = Date.now();
    const r = await run(file);
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(statuses(r), ['failed', 'passed', 'passed', 'passed']);
    assert.match(r.results[0]!.expected!, /^match: \/\^\(a\+\)\+\$\/$/);
  });

  it('JSON nested 200,000 deep is compared and shown as text, cut, without a crash', async () => {
    const { run } = rig();
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const file = parsed(
      [
        '### deep',
        'EXPECT deep/x WITHIN 1s',
        'payload: [[1]]',
        '',
        '### deep json',
        'EXPECT deep/x WITHIN 1s',
        'json: $[0] exists',
        '',
        '### deep same',
        'EXPECT deep/x WITHIN 1s',
        `payload: ${deep}`,
        '',
        '###',
        'PUBLISH deep/x',
        '',
        deep,
        '',
      ].join('\n'),
    );
    const r = await run(file);
    assert.deepEqual(statuses(r), ['failed', 'failed', 'passed', 'passed']);
    assert.ok(r.results[0]!.actual!.endsWith('…'), 'the text is cut');
    assert.ok(r.results[0]!.actual!.length <= 64 * 1024 + 1);
  });

  it('<, <=, >, >= compare numbers only: a string fails and says it is not a number', async () => {
    const { run } = rig();
    const file = parsed(
      [
        '### ordered',
        'EXPECT ord/x WITHIN 1s',
        'json: $.v > 1',
        '',
        '###',
        'PUBLISH ord/x',
        '',
        '{"v": "9"}',
        '',
      ].join('\n'),
    );
    const r = await run(file);
    assert.deepEqual(statuses(r), ['failed', 'passed']);
    assert.match(r.results[0]!.actual!, /^json: \$\.v = "9" \(not a number\)/);
  });
});

describe('PUBLISH without an acknowledgement', () => {
  it('fails the block after 30 s, and the repeat says how many went out', async () => {
    const { run, clients } = rig();
    clients.default.holdPublishAt = 2;
    const file = parsed(
      [
        '### three, the third never acknowledged',
        'PUBLISH ack/x REPEAT 3 EVERY 1s',
        'qos: 1',
        '',
        'm{{$index}}',
        '',
        '### goes on',
        'PUBLISH ack/y',
        '',
        'after',
        '',
      ].join('\n'),
    );
    const r = await run(file);
    assert.deepEqual(statuses(r), ['failed', 'passed']);
    assert.equal(
      r.results[0]!.message,
      'The QoS 1 publish on "ack/x" was not acknowledged (PUBACK) within 30 s. (2 of 3 sent)',
    );
    assert.equal(r.results[0]!.durationMs, 2_000 + 30_000);
  });
});

describe('expansion bombs', () => {
  const doubling = (first: string) => {
    const vars: Record<string, string> = { v0: first };
    for (let i = 1; i <= 30; i++) vars[`v${i}`] = `{{v${i - 1}}}{{v${i - 1}}}`;
    return vars;
  };
  const template = (raw: string) => ({
    raw,
    range: { line: 4, column: 8, endLine: 4, endColumn: 8 + raw.length },
  });
  const scope = (variables: Record<string, string>) => ({
    variables,
    env: () => undefined,
    secret: () => undefined,
    captures: {},
  });

  it('a variable that doubles 30 times from "" is empty, at once', () => {
    const started = Date.now();
    assert.equal(expandTemplate(template('{{v30}}'), scope(doubling(''))), '');
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  });

  for (const first of ['x', '{{$index}}']) {
    it(`a variable that doubles 30 times from "${first}" fails in milliseconds`, () => {
      const started = Date.now();
      assert.throws(
        () => expandTemplate(template('{{v30}}'), { ...scope(doubling(first)), index: 7 }),
        (e: unknown) =>
          e instanceof ExpansionError &&
          /longer than 16 MiB|more than 100,000/.test(e.message) &&
          e.range.line === 4,
      );
      assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    });
  }

  it('a capture from JSON nested 200,000 deep is an error, not a stack overflow', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const captures = {
      lastMessage: { topic: 't', payload: new TextEncoder().encode(deep) },
    };
    assert.throws(
      () => expandTemplate(template('{{lastMessage.json[0]}}'), { ...scope({}), captures }),
      /nests more than 1000 deep/,
    );
  });

  it('a value without dynamic values is expanded once; each $uuid is still new', () => {
    const out = expandTemplate(
      template('{{v3}}|{{u}} {{u}}'),
      scope({ ...doubling('ab'), u: '{{$uuid}}' }),
    );
    const [bytes, uuids] = out.split('|');
    assert.equal(bytes, 'ab'.repeat(8));
    const [a, b] = uuids!.split(' ');
    assert.notEqual(a, b);
  });

  it('the parser names a variable that surely expands to more than 16 MiB', () => {
    const lines = ['@v0 = x'];
    for (let i = 1; i <= 30; i++) lines.push(`@v${i} = {{v${i - 1}}}{{v${i - 1}}}`);
    const file = parseMqttFile([...lines, '', '###', 'PUBLISH t', '', '{{v30}}', ''].join('\n'));
    const errors = file.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    assert.ok(errors.includes('@v25 expands to more than 16 MiB'), errors.join('\n'));
    assert.ok(!errors.includes('@v24 expands to more than 16 MiB'));
  });
});
