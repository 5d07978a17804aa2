/**
 * What a PUBLISH or REQUEST sends (topic, QoS, properties, payload) and what a received message
 * must be like (EXPECT, a REQUEST's reply): built from the request line, headers and body.
 */
import { compileMatchRegex } from './matchRegex';
import type {
  JsonCondition,
  JsonOperator,
  MessageMatchers,
  MessageSpec,
  PayloadSpec,
  PropertySpec,
  Template,
} from './mqttFileAst';
import { parseJsonPath } from './jsonPath';
import { type ParseContext, error, quote, range } from './parseContext';
import type { HeaderSet } from './parseHeaders';
import {
  type TemplateCheckOptions,
  checkEncodedBody,
  checkJsonBody,
  checkTemplate,
  checkTopic,
} from './templateChecks';
import { hasExpansion, literalText } from './templateText';

/** An expected payload that is not JSON is compared as text: a JSON mistake is a warning. */
const EXPECTED_JSON = { severity: 'warning', always: false } as const;

export type Encoding = 'text' | 'hex' | 'base64';
const ENCODINGS = ['text', 'hex', 'base64'] as const;

export function messageSpec(
  ctx: ParseContext,
  topic: Template,
  headers: HeaderSet,
  body: Template | undefined,
  options: TemplateCheckOptions,
): MessageSpec {
  checkTopic(ctx, topic, 'name', options);
  const encoding = headers.oneOf('encoding', ENCODINGS) ?? 'text';
  const properties = propertySpec(ctx, headers, options);
  const contentType = properties.contentType?.raw ?? '';
  return {
    topic,
    qos: headers.qos('qos') ?? 0,
    retain: headers.boolean('retain') ?? false,
    properties,
    payload: payloadSpec(
      ctx,
      body,
      encoding,
      { severity: 'error', always: /json/i.test(contentType) },
      options,
    ),
  };
}

function propertySpec(
  ctx: ParseContext,
  headers: HeaderSet,
  options: TemplateCheckOptions,
): PropertySpec {
  const templateOf = (name: string): Template | undefined => {
    const h = headers.get(name);
    if (h) checkTemplate(ctx, h.value, options);
    return h?.value;
  };
  const responseTopic = headers.get('response-topic')?.value;
  if (responseTopic) checkTopic(ctx, responseTopic, 'name', options);
  const correlationData = templateOf('correlation-data');
  if (correlationData?.raw.startsWith('hex:') && !hasExpansion(correlationData.raw)) {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(correlationData.raw.slice(4))) {
      error(
        ctx,
        '`correlation-data` after hex: must be pairs of hex digits',
        correlationData.range,
      );
    }
  }
  const spec: PropertySpec = {
    userProperties: headers.all('user-property').flatMap((h) => {
      const { raw, range: at } = h.value;
      const eq = raw.indexOf('=');
      if (eq <= 0) {
        error(ctx, '`user-property` must be key=value', at);
        return [];
      }
      const keyText = raw.slice(0, eq).trimEnd();
      const key = { raw: keyText, range: range(at.line, at.column, at.column + keyText.length) };
      const valueText = raw.slice(eq + 1);
      const lead = valueText.length - valueText.trimStart().length;
      const valueColumn = at.column + eq + 1 + lead;
      const value = { raw: valueText.trim(), range: range(at.line, valueColumn, at.endColumn) };
      checkTemplate(ctx, key, options);
      checkTemplate(ctx, value, options);
      return [{ key, value }];
    }),
  };
  const contentType = templateOf('content-type');
  if (contentType) spec.contentType = contentType;
  if (responseTopic) spec.responseTopic = responseTopic;
  const messageExpiry = headers.integer('message-expiry', 0, 4_294_967_295, ' seconds');
  if (messageExpiry !== undefined) spec.messageExpiry = messageExpiry;
  const payloadFormat = headers.oneOf('payload-format', ['utf8', 'bytes'] as const);
  if (payloadFormat) spec.payloadFormat = payloadFormat;
  if (correlationData) spec.correlationData = correlationData;
  return spec;
}

/** The body as a payload: empty, `< path` or text read with its encoding. */
export function payloadSpec(
  ctx: ParseContext,
  body: Template | undefined,
  encoding: Encoding,
  json: { severity: 'error' | 'warning'; always: boolean },
  options: TemplateCheckOptions = {},
): PayloadSpec {
  if (!body || body.raw === '') return { kind: 'empty' };
  if (body.raw.startsWith('< ') && !body.raw.includes('\n')) {
    const rest = body.raw.slice(2);
    const lead = rest.length - rest.trimStart().length;
    const path = {
      raw: rest.trim(),
      range: range(body.range.line, 2 + lead, 2 + lead + rest.trim().length),
    };
    if (path.raw === '') error(ctx, 'a `<` body names a file: < path/to/file.bin', body.range);
    checkTemplate(ctx, path, options);
    return { kind: 'file', path };
  }
  if (!checkTemplate(ctx, body, options)) return { kind: 'text', text: body, encoding };
  if (encoding !== 'text') checkEncodedBody(ctx, body, encoding);
  else {
    // `{{…}}` at the start is an expansion, not a JSON object.
    const start = body.raw.trimStart();
    const looksJson = start.startsWith('[') || (start.startsWith('{') && !start.startsWith('{{'));
    if (json.always || looksJson) checkJsonBody(ctx, body, json.severity);
  }
  return { kind: 'text', text: body, encoding };
}

/** `payload:`, `match:` and `json:` headers; `bodyPayload` is an EXPECT's body. */
export function messageMatchers(
  ctx: ParseContext,
  headers: HeaderSet,
  bodyPayload: { body: Template; encoding: Encoding } | undefined,
): MessageMatchers {
  const matchers: MessageMatchers = { json: [] };
  const payloadHeader = headers.get('payload');
  if (payloadHeader && bodyPayload) {
    error(
      ctx,
      'the expected payload is given twice: use a `payload:` header or the body, not both',
      payloadHeader.nameRange,
    );
  }
  if (bodyPayload) {
    matchers.payload = payloadSpec(ctx, bodyPayload.body, bodyPayload.encoding, EXPECTED_JSON);
  } else if (payloadHeader) {
    matchers.payload = payloadSpec(ctx, payloadHeader.value, 'text', EXPECTED_JSON);
  }
  const match = headers.get('match');
  if (match) {
    const raw = match.value.raw;
    const last = raw.lastIndexOf('/');
    const flags = raw.slice(last + 1);
    if (!raw.startsWith('/') || last <= 0) {
      error(ctx, '`match` is a regular expression written /…/flags', match.value.range);
    } else {
      const source = raw.slice(1, last);
      try {
        compileMatchRegex(source, flags);
        matchers.regex = { source, flags, range: match.value.range };
      } catch (e) {
        error(ctx, `\`match\`: ${(e as Error).message}`, match.value.range);
      }
    }
  }
  for (const h of headers.all('json')) {
    const condition = jsonCondition(ctx, h.value);
    if (condition) matchers.json.push(condition);
  }
  return matchers;
}

const OPERATORS: JsonOperator[] = ['==', '!=', '<=', '>=', '<', '>'];

function jsonCondition(ctx: ParseContext, t: Template): JsonCondition | undefined {
  const raw = t.raw;
  let i = 0;
  while (i < raw.length && !/\s/.test(raw[i])) {
    if (raw[i] === '[') {
      const close = raw.indexOf(']', i);
      i = close < 0 ? raw.length : close + 1;
    } else i++;
  }
  const pathText = raw.slice(0, i);
  const rest = raw.slice(i).trim();
  const usage = '`json` is <path> <op> <value> (op ==, !=, <, <=, >, >=) or <path> exists';
  const parsed = parseJsonPath(pathText);
  if (pathText === '' || 'error' in parsed) {
    error(ctx, pathText === '' || !('error' in parsed) ? usage : parsed.error, t.range);
    return undefined;
  }
  if (rest === 'exists') return { path: parsed.path, pathText, op: 'exists', range: t.range };
  const op = OPERATORS.find((o) => rest.startsWith(o));
  const valueText = op ? rest.slice(op.length).trim() : '';
  if (!op || valueText === '') {
    error(ctx, usage, t.range);
    return undefined;
  }
  const valueColumn = t.range.column + raw.lastIndexOf(valueText);
  const value = {
    raw: valueText,
    range: range(t.range.line, valueColumn, valueColumn + valueText.length),
  };
  if (!checkTemplate(ctx, value)) return undefined;
  if (!hasExpansion(valueText)) {
    let literal: unknown;
    try {
      literal = JSON.parse(literalText(valueText));
    } catch {
      error(
        ctx,
        `\`json\` value ${quote(valueText)} is not a JSON literal (write text in quotes: "on")`,
        value.range,
      );
      return undefined;
    }
    if (op !== '==' && op !== '!=' && typeof literal !== 'number') {
      error(ctx, `\`${op}\` compares numbers; ${quote(valueText)} is not a number`, value.range);
      return undefined;
    }
  }
  return { path: parsed.path, pathText, op, value, range: t.range };
}
