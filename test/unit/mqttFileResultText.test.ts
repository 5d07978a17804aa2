/**
 * How a `.mqtt` block's result reads in the editor (the text after its line, the hover's
 * Markdown), which log rows link back to which block (bounded), the output channel's line, and
 * the arguments the `.mqtt` commands accept.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MqttBlock, SourceRange } from '../../src/core/mqttFile/mqttFileAst';
import type { BlockResult } from '../../src/core/mqttFile/runTypes';
import { untranslated } from '../../src/host/webviewChannel';
import {
  diffText,
  escapeMarkdown,
  fenced,
  inlineResultText,
  resultHoverMarkdown,
} from '../../src/extension/mqttFile/resultText';
import { BlockOrigins, originLabel } from '../../src/extension/mqttFile/blockOrigins';
import { describeResult } from '../../src/extension/mqttFile/runLogLines';
import { mqttFileArgParsers } from '../../src/extension/mqttFile/mqttFileArgs';
import { CommandArgumentError } from '../../src/extension/commands/argChecks';

const range = (line: number, endLine = line + 3): SourceRange => ({
  line,
  column: 0,
  endLine,
  endColumn: 0,
});
const template = (raw: string) => ({ raw, range: range(0, 0) });

function expectBlock(index = 1, title = 'QoS 1 arrives'): MqttBlock {
  return {
    kind: 'expect',
    index,
    title,
    range: range(10, 14),
    requestRange: range(11, 11),
    invalid: false,
    filter: template('iot/lab/#'),
    nothing: false,
    withinMs: 2000,
    qos: 2,
    qosRequired: false,
    count: { kind: 'exactly', n: 3 },
    matchers: { json: [] },
  };
}

function publishBlock(qos: 0 | 1 | 2 = 2): MqttBlock {
  return {
    kind: 'publish',
    index: 0,
    title: '',
    range: range(2, 6),
    requestRange: range(3, 3),
    invalid: false,
    message: {
      topic: template('iot/lab/x'),
      qos,
      retain: false,
      properties: { userProperties: [] },
      payload: { kind: 'empty' },
    },
  };
}

const t = untranslated;

describe('inline result text', () => {
  it('words each status', () => {
    assert.equal(
      inlineResultText(
        { block: expectBlock(), status: 'passed', latencyMs: 12.4, durationMs: 40 },
        t,
      ),
      '✓ passed · 12 ms',
    );
    assert.equal(
      inlineResultText(
        {
          block: expectBlock(),
          status: 'failed',
          message: 'expected 3 messages, got 1\nmore detail',
          durationMs: 2000,
        },
        t,
      ),
      '✗ failed: expected 3 messages, got 1',
    );
    assert.equal(
      inlineResultText({ block: expectBlock(), status: 'skipped', durationMs: 0 }, t),
      '– skipped',
    );
    assert.equal(
      inlineResultText(
        { block: publishBlock(2), status: 'passed', latencyMs: 4, durationMs: 5 },
        t,
      ),
      '✓ published · QoS 2 · 4 ms',
    );
  });

  it('marks invisible characters of a reason and cuts a long one', () => {
    const text = inlineResultText(
      {
        block: expectBlock(),
        status: 'failed',
        message: `got \u202e${'x'.repeat(500)}`,
        durationMs: 1,
      },
      t,
    );
    assert.ok(text.includes('⟨U+202E⟩'), text);
    assert.ok(text.length < 160, `cut: ${text.length}`);
    assert.ok(text.endsWith('…'));
  });
});

describe('result hover', () => {
  const failed: BlockResult = {
    block: expectBlock(),
    status: 'failed',
    message: 'payload differs [click](command:evil)',
    expected: '{"a":1}',
    actual: '```\n[x](command:mqttScope.forgetAllPasswords)\n<img src=x>',
    durationMs: 10,
  };

  it('shows expected and received as a diff in a fence the payload cannot close', () => {
    const md = resultHoverMarkdown(failed, t);
    assert.ok(md.includes('- {"a":1}'), md);
    assert.ok(md.includes('+ ```'), md);
    const fence = /^(`{4,})diff$/m.exec(md);
    assert.ok(fence, 'a fence longer than the payload backticks');
    assert.ok(md.includes('payload differs \\[click\\]\\(command:evil\\)'), 'reason escaped');
  });

  it('fences and escapes', () => {
    assert.equal(fenced('a ````` b'), '``````\na ````` b\n``````');
    assert.equal(escapeMarkdown('*a* <b>'), '\\*a\\* \\<b\\>');
    assert.equal(diffText('x\ny', undefined), '- x\n- y');
  });
});

describe('block origins of log rows', () => {
  it('links each seq of a result to its block and forgets the oldest past the cap', () => {
    const origins = new BlockOrigins(3);
    origins.addResults('file:///w/lab%20check.mqtt', [
      { block: expectBlock(), status: 'passed', durationMs: 1, seqs: [1, 2] },
      { block: publishBlock(), status: 'passed', durationMs: 1, seqs: [3, 4] },
    ]);
    assert.equal(origins.size, 3);
    assert.equal(origins.get(1), undefined, 'the oldest link went');
    const origin = origins.get(2);
    assert.ok(origin);
    assert.equal(originLabel(origin), 'lab check.mqtt:12 · QoS 1 arrives');
    assert.equal(originLabel({ uri: 'file:///w/a.mqtt', line: 3, title: '' }), 'a.mqtt:4');
  });
});

describe('output channel lines', () => {
  it('names the line, kind and title, and only the first line of a reason', () => {
    assert.equal(
      describeResult({ block: expectBlock(), status: 'passed', latencyMs: 7, durationMs: 9 }),
      'line 12 EXPECT "QoS 1 arrives": passed in 7 ms',
    );
    assert.equal(
      describeResult({
        block: publishBlock(),
        status: 'failed',
        message: 'refused\nsecond',
        durationMs: 9,
        expected: 'SECRET',
      }),
      'line 4 PUBLISH: failed: refused',
    );
  });
});

describe('.mqtt command arguments', () => {
  it('accepts a CodeLens object, a Uri, a string or nothing', () => {
    const run = mqttFileArgParsers['mqttScope.runMqttBlock'];
    assert.deepEqual(run([{ uri: 'file:///a.mqtt', block: 2 }]), {
      uri: 'file:///a.mqtt',
      block: 2,
    });
    assert.deepEqual(run([]), {});
    assert.deepEqual(run(['file:///a.mqtt']), { uri: 'file:///a.mqtt' });
    const uri = { scheme: 'file', path: '/a.mqtt', toString: () => 'file:///a.mqtt' };
    assert.deepEqual(run([uri]), { uri: 'file:///a.mqtt' });
  });

  it('refuses a bad block and unknown fields, naming them', () => {
    const run = mqttFileArgParsers['mqttScope.runMqttBlock'];
    assert.throws(() => run([{ block: -1 }]), CommandArgumentError);
    assert.throws(() => run([{ blok: 1 }]), /argument\.blok/);
  });

  it('takes an environment by name, or none', () => {
    const select = mqttFileArgParsers['mqttScope.selectEnvironment'];
    assert.deepEqual(select(['local']), { environment: 'local' });
    assert.deepEqual(select([{ environment: '' }]), { environment: '' });
    assert.deepEqual(select([]), {});
    assert.throws(() => select([{ environment: 3 }]), /environment/);
  });
});
