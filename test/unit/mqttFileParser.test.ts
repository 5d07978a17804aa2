/**
 * The `.mqtt` parser as a grammar table: each construct with the AST parts it gives (its
 * mistakes: mqttFileParserErrors.test.ts); its time on large input; blockAt.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { blockAt } from '../../src/core/mqttFile/blockAt';
import type { MqttBlock } from '../../src/core/mqttFile/mqttFileAst';

const one = (text: string): MqttBlock => {
  const file = parseMqttFile(text);
  const errors = file.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors, [], `no errors expected in:\n${text}`);
  assert.equal(file.blocks.length, 1);
  return file.blocks[0];
};

/** [name, file text, a part of the block it must contain] */
const CONSTRUCTS: [string, string, Record<string, unknown>][] = [
  ['PUBLISH with defaults', '###\nPUBLISH a/b', { kind: 'publish', invalid: false }],
  ['title', '### the title  \nPUBLISH a/b', { title: 'the title' }],
  [
    'EXPECT defaults',
    '###\nEXPECT a/+ WITHIN 2s',
    {
      kind: 'expect',
      withinMs: 2000,
      qos: 2,
      qosRequired: false,
      nothing: false,
      count: { kind: 'atLeast', n: 1 },
    },
  ],
  ['EXPECT NOTHING', '###\nEXPECT NOTHING a/# WITHIN 1.5s', { nothing: true, withinMs: 1500 }],
  [
    'EXPECT qos required',
    '###\nEXPECT a WITHIN 1m\nqos: 1',
    { qos: 1, qosRequired: true, withinMs: 60000 },
  ],
  [
    'EXPECT count exactly',
    '###\nEXPECT a WITHIN 250ms\ncount: 3',
    { count: { kind: 'exactly', n: 3 }, withinMs: 250 },
  ],
  [
    'EXPECT count at least',
    '###\nEXPECT a WITHIN 2s\ncount: >= 2',
    { count: { kind: 'atLeast', n: 2 } },
  ],
  ['EXPECT retained', '###\nEXPECT a WITHIN 2s\nretained: true', { retained: true }],
  ['WAIT', '###\nWAIT 500ms', { kind: 'wait', ms: 500 }],
  ['bare WAIT', '###\nWAIT', { kind: 'wait' }],
  [
    'CONNECT',
    '###\nCONNECT dev-1\nclient-id: c1\nbroker: mqtt://localhost:1883\nprotocol: 3.1.1\nkeepalive: 30\nclean: false\npassword: {{$env PW}}',
    { kind: 'connect', name: 'dev-1', protocolVersion: 4, keepaliveSeconds: 30, clean: false },
  ],
  [
    'REPEAT n EVERY t',
    '###\nPUBLISH a REPEAT 10 EVERY 100ms\n\n{{$index}}',
    { repeat: { count: 10, everyMs: 100 } },
  ],
  ['REPEAT n alone', '###\nPUBLISH a REPEAT 3', { repeat: { count: 3, everyMs: 0 } }],
  [
    'a variable using $index, used in a REPEAT',
    '@p = {"i": {{$index}}}\n###\nPUBLISH a REPEAT 2 EVERY 1s\n\n{{p}}',
    { repeat: { count: 2, everyMs: 1000 } },
  ],
  [
    'comments before the request line and among headers',
    '###\n# c\n// d\nPUBLISH a\n# e\nqos: 2',
    { message: { qos: 2 } },
  ],
];

describe('mqtt file parser: constructs', () => {
  for (const [name, text, expected] of CONSTRUCTS) {
    it(name, () => {
      const block = one(text) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) {
        if (key === 'message') {
          const message = block.message as Record<string, unknown>;
          for (const [k, v] of Object.entries(value as object)) assert.deepEqual(message[k], v, k);
        } else assert.deepEqual(block[key], value, key);
      }
    });
  }

  it('reads a PUBLISH with every header, its ranges and its body', () => {
    const text = [
      '@dev = d1',
      '### publish it',
      'PUBLISH lab/{{dev}}/cmd',
      'qos: 1',
      'retain: true',
      'content-type: application/json',
      'response-topic: lab/reply',
      'message-expiry: 60',
      'payload-format: utf8',
      'correlation-data: hex:0a1b',
      'user-property: a = 1',
      'user-property: b=x=y',
      '',
      '{"on": true,',
      ' "id": "{{dev}}"}',
      '',
      '',
    ].join('\r\n');
    const file = parseMqttFile(text);
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.variables[0].value, {
      raw: 'd1',
      range: { line: 0, column: 7, endLine: 0, endColumn: 9 },
    });
    const b = file.blocks[0];
    assert.equal(b.kind, 'publish');
    if (b.kind !== 'publish') return;
    assert.deepEqual(b.range, { line: 1, column: 0, endLine: 16, endColumn: 0 });
    assert.deepEqual(b.requestRange, { line: 2, column: 0, endLine: 2, endColumn: 23 });
    assert.deepEqual(b.message.topic, {
      raw: 'lab/{{dev}}/cmd',
      range: { line: 2, column: 8, endLine: 2, endColumn: 23 },
    });
    assert.equal(b.message.qos, 1);
    assert.equal(b.message.retain, true);
    const p = b.message.properties;
    assert.equal(p.contentType?.raw, 'application/json');
    assert.equal(p.responseTopic?.raw, 'lab/reply');
    assert.equal(p.messageExpiry, 60);
    assert.equal(p.payloadFormat, 'utf8');
    assert.equal(p.correlationData?.raw, 'hex:0a1b');
    assert.deepEqual(
      p.userProperties.map((u) => [u.key.raw, u.value.raw]),
      [
        ['a', '1'],
        ['b', 'x=y'],
      ],
    );
    assert.deepEqual(p.userProperties[0].value.range, {
      line: 10,
      column: 19,
      endLine: 10,
      endColumn: 20,
    });
    assert.deepEqual(b.message.payload, {
      kind: 'text',
      encoding: 'text',
      text: {
        raw: '{"on": true,\n "id": "{{dev}}"}',
        range: { line: 13, column: 0, endLine: 14, endColumn: 17 },
      },
    });
  });

  it('reads `< path` bodies, encodings and EXPECT matchers', () => {
    const file = parseMqttFile(
      '###\nPUBLISH a\n\n< fixtures/p.bin\n###\nPUBLISH b\nencoding: hex\n\n0a 1b\n2c\n' +
        '###\nEXPECT x/# WITHIN 2s\nmatch: /^on$/i\njson: $.a.b[0] >= 3\njson: $["k y"] exists\njson: $.s == "{{v}}"\n\n{"a": 1}\n',
      { knownVariables: ['v'] },
    );
    assert.deepEqual(file.problems, []);
    const [f, h, e] = file.blocks;
    assert.ok(f.kind === 'publish' && f.message.payload.kind === 'file');
    assert.deepEqual(f.message.payload.path, {
      raw: 'fixtures/p.bin',
      range: { line: 3, column: 2, endLine: 3, endColumn: 16 },
    });
    assert.ok(
      h.kind === 'publish' &&
        h.message.payload.kind === 'text' &&
        h.message.payload.encoding === 'hex',
    );
    assert.ok(e.kind === 'expect');
    assert.deepEqual(e.matchers.regex, {
      source: '^on$',
      flags: 'i',
      range: { line: 12, column: 7, endLine: 12, endColumn: 14 },
    });
    assert.deepEqual(
      e.matchers.json.map((j) => [j.path, j.op, j.value?.raw]),
      [
        [['a', 'b', 0], '>=', '3'],
        [['k y'], 'exists', undefined],
        [['s'], '==', '"{{v}}"'],
      ],
    );
    assert.equal(e.matchers.payload?.kind === 'text' && e.matchers.payload.text.raw, '{"a": 1}');
  });

  it('reads a REQUEST: the body is sent, payload/match/json check the reply', () => {
    const b = one('###\nREQUEST svc/req WITHIN 3s\nqos: 1\npayload: pong\n\nping');
    assert.ok(b.kind === 'request');
    assert.equal(b.withinMs, 3000);
    assert.equal(b.message.payload.kind === 'text' && b.message.payload.text.raw, 'ping');
    assert.equal(b.reply.payload?.kind === 'text' && b.reply.payload.text.raw, 'pong');
  });

  it('reads named clients: client:, DROP and a CONNECT again after it', () => {
    const file = parseMqttFile(
      '###\nCONNECT dev\nwill-topic: dev/status\nwill-payload: gone\nwill-qos: 1\nwill-retain: true\n###\nPUBLISH a\nclient: dev\n###\nDROP dev\n###\nCONNECT dev\n###\nDISCONNECT dev',
    );
    assert.deepEqual(file.problems, []);
    const [c, p, d, c2, x] = file.blocks;
    assert.ok(c.kind === 'connect' && c.will);
    assert.deepEqual(
      [c.will.topic.raw, c.will.payload.raw, c.will.qos, c.will.retain],
      ['dev/status', 'gone', 1, true],
    );
    assert.equal(p.client, 'dev');
    assert.deepEqual([d.kind, c2.kind, x.kind], ['drop', 'connect', 'disconnect']);
  });

  it('quotes a topic as a JSON string; `\\{{` is a literal `{{`', () => {
    const b = one('###\nPUBLISH " a REPEAT b " REPEAT 2');
    assert.ok(b.kind === 'publish');
    assert.equal(b.message.topic.raw, ' a REPEAT b ');
    assert.deepEqual(b.repeat, { count: 2, everyMs: 0 });
    const file = parseMqttFile('###\nPUBLISH a/\\{{b}}\n\n\\{{x');
    assert.deepEqual(file.problems, []);
  });

  it('a file without blocks, comments only, and an empty block', () => {
    assert.deepEqual(parseMqttFile(''), { variables: [], blocks: [], problems: [] });
    const file = parseMqttFile('# only\n###\n\n###\nWAIT');
    assert.equal(file.blocks.length, 1);
    assert.equal(file.blocks[0].index, 0);
    assert.deepEqual(
      file.problems.map((p) => [p.severity, p.range.line]),
      [['warning', 1]],
    );
  });
});

describe('mqtt file parser: size and time', () => {
  const block =
    '### b\nPUBLISH lab/{{dev}}/x REPEAT 5 EVERY 1s\nqos: 1\ncontent-type: application/json\n\n{"v": {{$index}}, "s": "abc"}\n';
  const fileOf = (bytes: number) => `@dev = d\n${block.repeat(Math.ceil(bytes / block.length))}`;
  /** CPU time (this process), the best of `runs`: steadier than wall time on a shared machine. */
  const timed = (text: string, runs = 2) => {
    let best = Infinity;
    let file = parseMqttFile('');
    for (let i = 0; i < runs; i++) {
      const started = process.cpuUsage();
      file = parseMqttFile(text);
      const used = process.cpuUsage(started);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return { file, ms: best };
  };

  it('parses 1 MB in linear time (2 MB takes about twice as long)', () => {
    const one = fileOf(1_000_000);
    const two = fileOf(2_000_000);
    timed(one); // warm-up
    const a = timed(one);
    const b = timed(two);
    assert.equal(a.file.problems.length, 0);
    assert.ok(a.file.blocks.length > 8_000);
    // Absolute times depend on the machine's load; the bound is for a loaded shared machine.
    assert.ok(a.ms < 1_500, `1 MB took ${a.ms.toFixed(1)} ms`);
    assert.ok(b.ms < 4 * a.ms + 100, `2 MB took ${b.ms.toFixed(1)} ms, 1 MB ${a.ms.toFixed(1)} ms`);
    console.log(
      `# 1 MB (${a.file.blocks.length} blocks): ${a.ms.toFixed(1)} ms; 2 MB: ${b.ms.toFixed(1)} ms`,
    );
  });

  it('reads 1 MB lines without backtracking', () => {
    for (const long of [
      `###\nPUBLISH ${'a '.repeat(500_000)}REPEAT`,
      `###\nEXPECT ${'{'.repeat(500_000)} WITHIN`,
      `###\nPUBLISH a\n\n${'['.repeat(500_000)}`,
      `@v = ${'{{'.repeat(250_000)}`,
      `###\nPUBLISH a\n\n[${'{{x\n'.repeat(200_000)}}}]`,
      `###\nPUBLISH a\n\nx${'{{x\n'.repeat(200_000)}`,
      `###\nEXPECT a WITHIN 1s\njson: $${'.a'.repeat(250_000)} exists`,
    ]) {
      const half = timed(long.slice(0, long.length / 2));
      const whole = timed(long);
      assert.ok(whole.file.problems.length >= 1 || whole.file.blocks.length === 1);
      assert.ok(
        whole.ms < 3 * half.ms + 100,
        `${whole.ms.toFixed(1)} ms vs ${half.ms.toFixed(1)} ms for half`,
      );
    }
  });
});

describe('blockAt', () => {
  it('finds the block of a line, none before the first block or in a block left out', () => {
    const text = '@a = 1\n\n### one\nPUBLISH a\n\nbody\n\n### two\nNOPE\n### three\nWAIT 1s\n\n';
    const file = parseMqttFile(text);
    const titleAt = (line: number) => blockAt(file, line)?.title;
    assert.deepEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12].map(titleAt), [
      undefined,
      undefined,
      'one',
      'one',
      'one',
      'one',
      undefined,
      undefined,
      'three',
      'three',
      'three',
      'three',
    ]);
    assert.equal(blockAt(parseMqttFile(''), 0), undefined);
  });
});
