/**
 * `{{…}}` expansion: variables (nested, cycles), dynamic values, $env / $secret, captures with
 * JSON paths, and the errors with the place of the expansion.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpansionError,
  type ExpansionScope,
  expandTemplate,
  jsonPathGet,
  parseJsonPath,
  scopeVariables,
  templateReferences,
} from '../../src/core/mqttFile/expand';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import type { Template } from '../../src/core/mqttFile/mqttFileAst';

const t = (raw: string, line = 3, column = 8): Template => ({
  raw,
  range: { line, column, endLine: line, endColumn: column + raw.length },
});

const scope = (over: Partial<ExpansionScope> = {}): ExpansionScope => ({
  variables: { dev: 'd-{{n}}', n: '42', a: '{{b}}', b: '{{a}}' },
  env: (name) => (name === 'HOME_DIR' ? '/home/x' : undefined),
  secret: (name) => (name === 'PW' ? 's3cret' : undefined),
  captures: {
    lastReply: {
      topic: 'svc/reply',
      payload: new TextEncoder().encode('{"id": 7, "items": [{"n": "x"}], "o": {"k": true}}'),
    },
    lastMessage: { topic: 't', payload: new TextEncoder().encode('not json') },
  },
  now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  ...over,
});

const fails = (raw: string, fragment: string, s = scope()) => {
  assert.throws(
    () => expandTemplate(t(raw), s),
    (e: unknown) => e instanceof ExpansionError && e.message.includes(fragment),
    `expected "${fragment}"`,
  );
};

describe('expandTemplate', () => {
  it('expands variables that use other variables', () => {
    assert.equal(expandTemplate(t('lab/{{dev}}/{{ n }}'), scope()), 'lab/d-42/42');
  });

  it('reads `\\{{` as a literal `{{`, also in variables', () => {
    assert.equal(
      expandTemplate(t('\\{{dev}} {{x}}'), scope({ variables: { x: '\\{{y}}' } })),
      '{{dev}} {{y}}',
    );
  });

  it('dynamic values', () => {
    const s = scope({ index: 4 });
    assert.equal(
      expandTemplate(t('{{$timestamp}}'), s),
      String(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000),
    );
    assert.equal(expandTemplate(t('{{$isoTimestamp}}'), s), '2026-01-02T03:04:05.678Z');
    assert.match(
      expandTemplate(t('{{$uuid}}'), s),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(expandTemplate(t('#{{$index}}'), s), '#4');
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(expandTemplate(t('{{$randomInt -2 2}}'), s));
    assert.deepEqual([...seen].sort(), ['-1', '-2', '0', '1']);
    assert.equal(expandTemplate(t('{{$randomInt 5 6}}'), s), '5');
  });

  it('$env and $secret', () => {
    assert.equal(expandTemplate(t('{{$env HOME_DIR}}:{{$secret PW}}'), scope()), '/home/x:s3cret');
    fails('{{$env NOPE}}', 'the environment variable NOPE is not set');
    fails('{{$secret NOPE}}', 'no secret named NOPE is stored');
  });

  it('captures: payload, topic and JSON paths', () => {
    const s = scope();
    assert.equal(expandTemplate(t('{{lastReply.topic}}'), s), 'svc/reply');
    assert.equal(expandTemplate(t('{{lastReply.json.id}}'), s), '7');
    assert.equal(expandTemplate(t('{{lastReply.json.items[0].n}}'), s), 'x');
    assert.equal(expandTemplate(t('{{lastReply.json.o}}'), s), '{"k":true}');
    assert.equal(expandTemplate(t('{{lastMessage.payload}}'), s), 'not json');
    fails('{{lastMessage.json.id}}', "the payload of the last EXPECT's message is not JSON");
    fails('{{lastReply.json.missing}}', 'the JSON payload has no $.missing');
    fails('{{lastReply.json.items[3]}}', 'has no $.items[3]');
    fails('{{lastReply.payload}}', 'the last REQUEST has no message yet', scope({ captures: {} }));
  });

  it('errors name the problem and the place of the expansion', () => {
    fails('{{a}}', 'variables refer to each other in a cycle: a → b → a');
    fails('{{nope}}', 'unknown variable `{{nope}}`');
    fails('{{$index}}', 'only set in a PUBLISH … REPEAT block');
    fails('x {{', '`{{` without `}}`');
    fails('{{$randomInt 3 1}}', 'min must be less than max');
    try {
      expandTemplate(t('ab {{nope}}', 5, 10), scope());
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ExpansionError);
      assert.deepEqual(e.range, { line: 5, column: 13, endLine: 5, endColumn: 21 });
    }
  });

  it('places an error in a multi-line body on its own line', () => {
    const file = parseMqttFile('###\nPUBLISH a\n\nline one\n  {{$env NOPE}}');
    const b = file.blocks[0];
    assert.ok(b.kind === 'publish' && b.message.payload.kind === 'text');
    try {
      expandTemplate(b.message.payload.text, scope());
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ExpansionError);
      assert.deepEqual(e.range, { line: 4, column: 2, endLine: 4, endColumn: 15 });
    }
  });

  it('scopeVariables: file variables win over the environment', () => {
    const file = parseMqttFile('@dev = file-dev\n###\nPUBLISH {{dev}}/{{site}}');
    const vars = scopeVariables(file, { dev: 'env-dev', site: 'lab' });
    assert.equal(expandTemplate(t('{{dev}}/{{site}}'), scope({ variables: vars })), 'file-dev/lab');
  });
});

describe('templateReferences', () => {
  it('lists what a template uses, in order', () => {
    assert.deepEqual(
      templateReferences(
        t(
          '{{dev}} {{$uuid}} {{$randomInt 1 2}} {{lastReply.json.a}} {{$env A}} {{$secret B}} \\{{no}} {{bad one}}',
        ),
      ),
      [
        { kind: 'variable', name: 'dev' },
        { kind: 'dynamic', name: '$uuid' },
        { kind: 'dynamic', name: '$randomInt' },
        { kind: 'capture', name: 'lastReply.json.a' },
        { kind: 'env', name: 'A' },
        { kind: 'secret', name: 'B' },
      ],
    );
  });
});

describe('JSON paths', () => {
  it('parses paths and reads values; a missing path is undefined', () => {
    const value = { a: { b: [10, { c: null }] }, 'odd key': 1 };
    const get = (text: string) => {
      const p = parseJsonPath(text);
      assert.ok('path' in p, text);
      return jsonPathGet(value, p.path);
    };
    assert.deepEqual(parseJsonPath('$.a.b[0]'), { path: ['a', 'b', 0] });
    assert.equal(get('$.a.b[0]'), 10);
    assert.equal(get('$.a.b[1].c'), null);
    assert.equal(get('$["odd key"]'), 1);
    assert.equal(get("$['odd key']"), 1);
    assert.equal(get('a.b[0]'), 10);
    assert.deepEqual(get('$'), value);
    assert.equal(get('$.a.b[5]'), undefined);
    assert.equal(get('$.a.x'), undefined);
    assert.equal(get('$.toString'), undefined);
    assert.equal(get('$.a.b.length'), undefined);
    for (const bad of ['$..a', '$.a[', '$.a[x]', '$ a', '$.'])
      assert.ok('error' in parseJsonPath(bad), bad);
  });
});
