/**
 * A message written as a PUBLISH block reads back to the same message: examples, then a
 * property test over hostile topics, payloads and properties.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { publishBlockText, type BlockMessage } from '../../src/core/mqttFile/publishBlockText';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { expandTemplate } from '../../src/core/mqttFile/expand';
import { bodyBytes } from '../../src/core/mqttFile/payloadEncoding';
import type { Template } from '../../src/core/mqttFile/mqttFileAst';

const enc = (s: string) => new TextEncoder().encode(s);
const scope = { variables: {}, env: () => undefined, secret: () => undefined, captures: {} };
const text = (tpl: Template | undefined) => (tpl ? expandTemplate(tpl, scope) : undefined);

/** Parses the block back into the message it stands for. */
function readBack(blockText: string): BlockMessage & { title: string } {
  const file = parseMqttFile(blockText);
  assert.deepEqual(file.problems, [], blockText);
  assert.equal(file.blocks.length, 1);
  const b = file.blocks[0];
  assert.ok(b.kind === 'publish');
  const m = b.message;
  const payload =
    m.payload.kind === 'empty'
      ? new Uint8Array()
      : m.payload.kind === 'text'
        ? bodyBytes(expandTemplate(m.payload.text, scope), m.payload.encoding)
        : assert.fail('no file bodies');
  const p = m.properties;
  const properties: Record<string, unknown> = {};
  if (p.contentType) properties.contentType = text(p.contentType);
  if (p.responseTopic) properties.responseTopic = text(p.responseTopic);
  if (p.messageExpiry !== undefined) properties.messageExpiryInterval = p.messageExpiry;
  if (p.payloadFormat) properties.payloadFormatIndicator = p.payloadFormat === 'utf8';
  if (p.correlationData) {
    const raw = text(p.correlationData) ?? '';
    properties.correlationData = raw.startsWith('hex:')
      ? new Uint8Array(Buffer.from(raw.slice(4), 'hex'))
      : enc(raw);
  }
  if (p.userProperties.length) {
    const up: Record<string, string[]> = {};
    for (const u of p.userProperties) (up[text(u.key) ?? ''] ??= []).push(text(u.value) ?? '');
    properties.userProperties = up;
  }
  return {
    title: b.title,
    topic: text(m.topic) ?? '',
    payload,
    qos: m.qos,
    retain: m.retain,
    properties,
  };
}

describe('publishBlockText', () => {
  it('writes a JSON message as readable text', () => {
    const block = publishBlockText(
      {
        topic: 'lab/dev 1/{{x}}',
        payload: enc('{"t": 21.5, "s": "{{y}}"}'),
        qos: 1,
        retain: true,
        properties: {
          contentType: 'application/json',
          userProperties: { a: '1', b: ['2', '3'] },
          correlationData: enc('abc'),
        },
      },
      'from the log',
    );
    assert.equal(
      block,
      [
        '### from the log',
        'PUBLISH lab/dev 1/\\{{x}}',
        'qos: 1',
        'retain: true',
        'content-type: application/json',
        'correlation-data: abc',
        'user-property: a=1',
        'user-property: b=2',
        'user-property: b=3',
        '',
        '{"t": 21.5, "s": "\\{{y}}"}',
        '',
      ].join('\n'),
    );
    const back = readBack(block);
    assert.equal(back.topic, 'lab/dev 1/{{x}}');
    assert.deepEqual(Buffer.from(back.payload).toString(), '{"t": 21.5, "s": "{{y}}"}');
  });

  it('writes bytes, a trailing newline, a `###` line and bad JSON as base64', () => {
    for (const payload of [
      new Uint8Array([0, 255, 1]),
      enc('a\n'),
      enc('x\n### y'),
      enc('{oops'),
      enc('< file'),
      enc('a\r\nb'),
    ]) {
      const block = publishBlockText({ topic: 't', payload, qos: 0, retain: false });
      assert.match(block, /\nencoding: base64\n\n/);
      assert.deepEqual(readBack(block).payload, payload);
    }
  });

  it('quotes a topic that would not read back as written', () => {
    for (const topic of [' a', 'a ', '"a"', 'a REPEAT 3', 'x EVERY 1s', 'tab\there']) {
      const block = publishBlockText({ topic, payload: new Uint8Array(), qos: 0, retain: false });
      assert.match(block.split('\n')[1], /^PUBLISH "/);
      assert.equal(readBack(block).topic, topic);
    }
  });

  it('reads back every message (property test)', () => {
    const tricky = fc.constantFrom(
      '{{',
      '}}',
      '\\',
      '\\{{',
      '###',
      '\n',
      ' ',
      '< ',
      '{',
      '[',
      '"',
      'REPEAT',
      'EVERY',
      '\r',
      '\t',
      'é',
      '\u2028',
      '$',
      'a',
      '/',
      '=',
    );
    const trickyString = (min: number) =>
      fc
        .array(fc.oneof(tricky, fc.string({ maxLength: 4 })), { minLength: min, maxLength: 12 })
        .map((a) => a.join(''));
    const topic = trickyString(1).filter(
      (s) => s !== '' && !/[+#\u0000]/.test(s) && !/[\uD800-\uDFFF]/.test(s),
    );
    const headerValue = trickyString(0).map((s) => s.replace(/[\r\n]/g, ' ').trim());
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      trickyString(0).map(enc),
      fc.json().map(enc),
    );
    const properties = fc.record(
      {
        contentType: fc.oneof(headerValue, fc.constant('application/json')),
        responseTopic: topic.map((s) => s.replace(/[\r\n]/g, ' ').trim()).filter((s) => s !== ''),
        messageExpiryInterval: fc.integer({ min: 0, max: 4_294_967_295 }),
        payloadFormatIndicator: fc.boolean(),
        correlationData: fc.oneof(
          fc.uint8Array({ maxLength: 16 }).filter((b) => b.length > 0),
          headerValue.filter((s) => s !== '').map(enc),
        ),
        userProperties: fc.dictionary(
          headerValue.filter((k) => k !== '' && !k.includes('=')),
          headerValue,
          { maxKeys: 3 },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        topic,
        payload,
        fc.constantFrom(0, 1, 2),
        fc.boolean(),
        properties,
        (t, p, qos, retain, props) => {
          if (props.userProperties && Object.keys(props.userProperties).length === 0)
            delete props.userProperties;
          if (props.userProperties?.['__proto__'] !== undefined) return;
          const message: BlockMessage = {
            topic: t,
            payload: p,
            qos: qos as 0 | 1 | 2,
            retain,
            properties: props,
          };
          const back = readBack(publishBlockText(message, 'a\ntitle'));
          assert.equal(back.title, 'a title');
          assert.equal(back.topic, t);
          assert.deepEqual(Buffer.from(back.payload), Buffer.from(p));
          assert.equal(back.qos, qos);
          assert.equal(back.retain, retain);
          const expected: Record<string, unknown> = { ...props };
          if (props.correlationData)
            expected.correlationData = new Uint8Array(props.correlationData);
          if (props.userProperties) {
            expected.userProperties = Object.fromEntries(
              Object.entries(props.userProperties).map(([k, v]) => [k, [v]]),
            );
          }
          const actual = { ...back.properties };
          if (actual.correlationData)
            actual.correlationData = new Uint8Array(actual.correlationData as Uint8Array);
          assert.deepEqual(actual, expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
