/**
 * The `.mqtt` parser's mistakes as a table: each with its message and exact place (1-based
 * line:column), and its severity.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMqttFile } from '../../src/core/mqttFile/parser';

/** [file text, message fragment, "line:column" 1-based, severity (default error)] */
const ERRORS: [string, string, string, ('error' | 'warning')?][] = [
  [
    '###\nPUBLISH a\nqso: 1',
    'unknown header `qso` in a PUBLISH block; expected one of client, qos, retain',
    '3:1',
  ],
  ['###\nPUBLISH a\nQoS: 1', 'header names are lower case: qos', '3:1'],
  [
    '###\nEXPECT a WITHIN 1s\nretain: true',
    'header `retain` is not used in an EXPECT block',
    '3:1',
  ],
  ['###\nPUBLISH a\nqos: 3', '`qos` must be 0, 1 or 2', '3:6'],
  ['###\nPUBLISH a\nqos: 1\nqos: 2', 'header `qos` is given twice (first at line 3)', '4:1'],
  ['###\nPUBLISH a\nretain: yes', '`retain` must be true or false', '3:9'],
  [
    '###\nPUBLISH a\nmessage-expiry: -1',
    '`message-expiry` must be a whole number from 0 to 4294967295 seconds',
    '3:17',
  ],
  ['###\nPUBLISH a\nencoding: utf16', '`encoding` must be text or hex or base64', '3:11'],
  ['###\nPUBLISH a\nuser-property: novalue', '`user-property` must be key=value', '3:16'],
  ['###\nPUBLISH a EVERY 1s', 'EVERY needs REPEAT n', '2:11'],
  ['###\nPUBLISH a REPEAT 0 EVERY 1s', 'REPEAT needs a whole number from 1 to 100000', '2:18'],
  ['###\nPUBLISH a REPEAT 100001', 'REPEAT needs a whole number', '2:18'],
  ['###\nPUBLISH a REPEAT 2 EVERY 1s extra', 'unexpected `extra`', '2:29'],
  ['###\nWAIT 2x', 'duration `2x`: use 250ms, 2s or 1m', '2:6'],
  ['###\nWAIT 11m', 'longer than 10 minutes', '2:6'],
  ['###\nEXPECT a WITHIN 0ms', 'must be at least 1ms', '2:17'],
  ['###\nEXPECT a/b', 'WITHIN <duration> is missing: EXPECT <filter> WITHIN 2s', '2:1'],
  ['###\nREQUEST a', 'WITHIN <duration> is missing: REQUEST <topic> WITHIN 2s', '2:1'],
  [
    '###\nEXPECT a/#/b WITHIN 1s',
    'invalid topic filter `a/#/b`: "#" must be the last level',
    '2:8',
  ],
  ['###\nPUBLISH a/+', 'invalid topic `a/+`: A topic name must not contain the wildcards', '2:9'],
  ['###\nCONNECT d\nwill-topic: a/#', 'invalid topic `a/#`', '3:13'],
  ['###\nPUBLISH', 'the request line needs a topic', '2:1'],
  ['###\nPUBLISH ""', 'the quoted topic is empty', '2:9'],
  ['###\nPUBLISH "a', 'the quoted topic is not a JSON string', '2:9'],
  [
    '###\npublish a',
    'unknown keyword `publish` (keywords are upper case: PUBLISH); expected one of PUBLISH, EXPECT',
    '2:1',
  ],
  ['###\nSEND a', 'unknown keyword `SEND`', '2:1'],
  ['PUBLISH a', 'a block starts with a ### line: add one above PUBLISH', '1:1'],
  ['hello', 'only @name = value variables and comments may come before the first ### block', '1:1'],
  ['###\n@x = 1\nPUBLISH a', 'file variables must come before the first ### block', '2:1'],
  ['###\nPUBLISH a\n@x = 1', 'file variables must come before the first ### block', '3:1'],
  ['@x 1', 'a file variable is written @name = value', '1:1'],
  ['@1x = 1', 'variable name `1x`', '1:1'],
  ['@x = 1\n@x = 2', 'variable `x` is defined twice (first at line 1)', '2:1'],
  ['@lastReply = 1', 'lastReply is a capture', '1:1'],
  ['@a = {{b}}\n@b = {{a}}', 'variables refer to each other in a cycle: a → b → a', '2:1'],
  ['@a = x{{a}}', 'cycle: a → a', '1:1'],
  [
    '###\nPUBLISH a\nfoo bar',
    'expected a header name: value, or a blank line before the body',
    '3:1',
  ],
  ['###\nPUBLISH a\n\n{"a": x}', 'bad JSON body at line 4 column 7', '4:7'],
  ['###\nPUBLISH a\n\n[1,\n 2,]', 'bad JSON body at line 5 column 4', '5:4'],
  ['###\nPUBLISH a\n\n[{{x}} {{y}}]', 'bad JSON body at line 4 column 8', '4:8'],
  [
    '###\nPUBLISH a\ncontent-type: application/json\n\nnot json',
    'bad JSON body at line 5 column 1',
    '5:1',
  ],
  ['###\nPUBLISH a\n\n{"id": "{{x}}", "n": {{n}} }', 'unknown variable `{{x}}`', '4:9', 'warning'],
  [
    '###\nEXPECT a WITHIN 1s\n\n{not json',
    'bad JSON body at line 4 column 2 (compared as text)',
    '4:2',
    'warning',
  ],
  ['###\nPUBLISH a\nencoding: hex\n\n0a1', 'the body is not hex', '5:1'],
  ['###\nPUBLISH a\nencoding: base64\n\n@@', 'the body is not base64', '5:1'],
  [
    '###\nPUBLISH a\ncorrelation-data: hex:zz',
    '`correlation-data` after hex: must be pairs of hex digits',
    '3:19',
  ],
  [
    '###\nEXPECT a WITHIN 1s\nmatch: /a(/',
    '`match`: the regular expression is not valid RE2 syntax',
    '3:8',
  ],
  [
    '###\nEXPECT a WITHIN 1s\nmatch: /(a)\\1/',
    '`match`: the regular expression is not valid RE2 syntax (no backreferences or lookaround): invalid escape sequence',
    '3:8',
  ],
  [
    '###\nEXPECT a WITHIN 1s\nmatch: /a(?=b)/',
    '`match`: the regular expression is not valid RE2 syntax (no backreferences or lookaround): invalid or unsupported Perl syntax',
    '3:8',
  ],
  [
    '###\nEXPECT a WITHIN 1s\nmatch: abc',
    '`match` is a regular expression written /…/flags',
    '3:8',
  ],
  [
    '###\nEXPECT a WITHIN 1s\nmatch: /a/g',
    '`match`: the flag "g" is not supported (use i, m, s)',
    '3:8',
  ],
  [
    '###\nEXPECT a WITHIN 1s\nmatch: /a/u',
    '`match`: the flag "u" is not supported (use i, m, s)',
    '3:8',
  ],
  ['###\nEXPECT a WITHIN 1s\njson: $.a ~ 1', '`json` is <path> <op> <value>', '3:7'],
  ['###\nEXPECT a WITHIN 1s\njson: $.a == on', '`json` value `on` is not a JSON literal', '3:14'],
  ['###\nEXPECT a WITHIN 1s\njson: $.a < "x"', '`<` compares numbers', '3:13'],
  ['###\nEXPECT a WITHIN 1s\njson: $..a exists', 'invalid JSON path `$..a` at character 3', '3:7'],
  ['###\nEXPECT a WITHIN 1s\ncount: >= 0', '`count` must be a number', '3:8'],
  ['###\nEXPECT a WITHIN 1s\npayload: x\n\ny', 'the expected payload is given twice', '3:1'],
  ['###\nPUBLISH a\nclient: dev', 'client `dev` is not opened by a CONNECT dev block above', '3:9'],
  [
    '###\nCONNECT dev\n###\nDROP dev\n###\nPUBLISH a\nclient: dev',
    'client `dev` was closed at line 4',
    '7:9',
  ],
  ['###\nDROP dev', 'DROP of unknown client `dev`: no CONNECT dev above', '2:1'],
  ['###\nDISCONNECT dev', 'DISCONNECT of unknown client `dev`', '2:1'],
  ['###\nCONNECT dev\n###\nCONNECT dev', 'client `dev` is already open (CONNECT at line 2)', '4:1'],
  ['###\nCONNECT d e', 'unexpected `e`: the line is CONNECT <client>', '2:11'],
  ['###\nCONNECT d!', 'client name `d!`', '2:9'],
  [
    '###\nCONNECT d\npassword: hunter2',
    'a password must be {{$env NAME}} or {{$secret NAME}}, not written in the file',
    '3:11',
  ],
  ['###\nCONNECT d\nbroker: http://x', '`broker` must be a URL such as mqtt://host:1883', '3:9'],
  ['###\nCONNECT d\nprotocol: 4.0', '`protocol` must be 5 or 3.1.1', '3:11'],
  ['###\nCONNECT d\nwill-payload: x', '`will-payload` needs `will-topic`', '3:1'],
  ['###\nCONNECT d\n\nbody', 'a CONNECT block has no body', '4:1'],
  ['###\nWAIT\nqos: 1', 'a WAIT block takes no headers', '3:1'],
  ['###\nPUBLISH {{nope}}', 'unknown variable `{{nope}}`: define @nope = …', '2:9', 'warning'],
  ['###\nPUBLISH a/{{x', '`{{` without `}}` on its line', '2:11'],
  ['###\nPUBLISH a/{{}}', 'empty `{{}}`', '2:11'],
  ['###\nPUBLISH a/{{$rand}}', 'unknown dynamic value `$rand`; expected one of $timestamp', '2:11'],
  ['###\nPUBLISH a/{{$randomInt 5 1}}', 'min must be less than max', '2:11'],
  ['###\nPUBLISH a/{{$randomInt x}}', '`$randomInt` needs two integers', '2:11'],
  ['###\nPUBLISH a/{{$env}}', '`$env` needs one name', '2:11'],
  ['###\nPUBLISH a/{{$uuid 1}}', '`$uuid` takes no arguments', '2:11'],
  ['###\nPUBLISH a/{{$index}}', '`{{$index}}` is only set in a PUBLISH … REPEAT block', '2:11'],
  [
    '###\nPUBLISH a/{{lastReply.body}}',
    'expected lastReply.payload, lastReply.topic or lastReply.json.<path>',
    '2:11',
  ],
  ['###\nPUBLISH a/{{a b}}', 'is not a variable name', '2:11'],
  ['###\n\n###\nWAIT', 'empty block, left out', '1:1', 'warning'],
  [
    '###\nPUBLISH a\n\n{{lastReply.json.id}}',
    '`{{lastReply.json.id}}`: no REQUEST block above',
    '4:1',
    'warning',
  ],
  ['###\nPUBLISH {{lastMessage.topic}}', 'no EXPECT block above', '2:9', 'warning'],
];

describe('mqtt file parser: every mistake with its message and place', () => {
  for (const [text, fragment, where, severity = 'error'] of ERRORS) {
    it(`${fragment} (${JSON.stringify(text).slice(0, 50)})`, () => {
      const file = parseMqttFile(text);
      const found = file.problems.find((p) => p.message.includes(fragment));
      assert.ok(
        found,
        `no problem with "${fragment}"; got ${JSON.stringify(file.problems.map((p) => p.message))}`,
      );
      assert.equal(`${found.range.line + 1}:${found.range.column + 1}`, where, found.message);
      assert.equal(found.severity, severity);
      if (severity === 'error') {
        const hasBlock = file.blocks.length > 0;
        if (hasBlock && found.range.line > 0)
          assert.ok(
            file.blocks.some((b) => b.invalid),
            'the block is invalid',
          );
      }
    });
  }

  it('an unknown variable is an error when the known variables are given', () => {
    const file = parseMqttFile('###\nPUBLISH {{a}}/{{b}}', { knownVariables: ['a'] });
    assert.deepEqual(
      file.problems.map((p) => [p.severity, p.message.slice(0, 27)]),
      [['error', 'unknown variable `{{b}}`: d']],
    );
    assert.equal(file.blocks[0].invalid, true);
  });

  it('a capture after its REQUEST or EXPECT, or in a file variable, is no problem', () => {
    const file = parseMqttFile(
      '@id = {{lastReply.json.id}}\n###\nREQUEST a WITHIN 1s\n###\nEXPECT b WITHIN 1s\n###\nPUBLISH c\n\n{{lastReply.payload}} {{lastMessage.topic}} {{id}}',
    );
    assert.deepEqual(file.problems, []);
  });

  it('a valid block next to an invalid one stays valid', () => {
    const file = parseMqttFile('###\nPUBLISH a\nqos: 7\n###\nPUBLISH b');
    assert.deepEqual(
      file.blocks.map((b) => b.invalid),
      [true, false],
    );
  });

  it('never throws on hostile input', () => {
    for (const text of [
      '{{',
      '###\n{{',
      '###\nPUBLISH "\\',
      '\u0000###',
      '###\nEXPECT NOTHING',
      '@=',
      '@a=\n###\nPUBLISH {{a}}{{',
    ]) {
      assert.doesNotThrow(() => parseMqttFile(text));
    }
  });
});
