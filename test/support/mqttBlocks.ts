/**
 * Parsed `.mqtt` blocks built in code, for runner tests that need a shape the text would spell
 * out at length (each block on its own line range, indexes set by `mqttFile`).
 */
import type {
  CloseBlock,
  ConnectBlock,
  ExpectBlock,
  JsonCondition,
  MessageSpec,
  MqttBlock,
  MqttFile,
  PayloadSpec,
  PublishBlock,
  RequestBlock,
  SourceRange,
  Template,
  WaitBlock,
} from '../../src/core/mqttFile/mqttFileAst';

const range = (line = 0): SourceRange => ({ line, column: 0, endLine: line, endColumn: 1 });
export const t = (raw: string, line = 0): Template => ({ raw, range: range(line) });
export const text = (body: string, encoding: 'text' | 'hex' | 'base64' = 'text'): PayloadSpec => ({
  kind: 'text',
  text: t(body),
  encoding,
});

type Base = 'index' | 'range' | 'requestRange' | 'invalid' | 'title';
type Built<B> = Omit<B, Base> & Partial<Pick<MqttBlock, Base>>;

/** A file of these blocks, block i on lines 10·i to 10·i + 9. */
export function mqttFile(
  blocks: Built<MqttBlock>[],
  variables: Record<string, string> = {},
): MqttFile {
  return {
    variables: Object.entries(variables).map(([name, value]) => ({
      name,
      value: t(value),
      range: range(),
    })),
    blocks: blocks.map((b, index) => ({
      title: `block ${index}`,
      invalid: false,
      ...b,
      index,
      range: { line: index * 10, column: 0, endLine: index * 10 + 9, endColumn: 0 },
      requestRange: range(index * 10 + 1),
    })) as MqttBlock[],
    problems: [],
  };
}

export function message(topic: string, body: string, o: Partial<MessageSpec> = {}): MessageSpec {
  return {
    topic: t(topic),
    qos: 0,
    retain: false,
    properties: { userProperties: [] },
    payload: body === '' ? { kind: 'empty' } : text(body),
    ...o,
  };
}

export function publish(
  topic: string,
  body: string,
  o: Partial<Built<PublishBlock>> & Partial<MessageSpec> = {},
): Built<PublishBlock> {
  const { qos, retain, properties, payload, repeat, client } = o;
  const spec = message(topic, body);
  if (qos !== undefined) spec.qos = qos;
  if (retain !== undefined) spec.retain = retain;
  if (properties) spec.properties = properties;
  if (payload) spec.payload = payload;
  const block: Built<PublishBlock> = { kind: 'publish', message: spec };
  if (repeat) block.repeat = repeat;
  if (client) block.client = client;
  return block;
}

export function expect(
  filter: string,
  withinMs: number,
  o: Partial<Built<ExpectBlock>> = {},
): Built<ExpectBlock> {
  return {
    kind: 'expect',
    filter: t(filter),
    nothing: false,
    withinMs,
    qos: 2,
    qosRequired: false,
    count: { kind: 'atLeast', n: 1 },
    matchers: { json: [] },
    ...o,
  };
}

export function json(
  pathText: string,
  path: (string | number)[],
  op: JsonCondition['op'],
  value?: string,
): JsonCondition {
  const c: JsonCondition = { path, pathText, op, range: range(3) };
  if (value !== undefined) c.value = t(value);
  return c;
}

export function request(
  topic: string,
  body: string,
  withinMs: number,
  o: Partial<Built<RequestBlock>> = {},
): Built<RequestBlock> {
  return { kind: 'request', message: message(topic, body), withinMs, reply: { json: [] }, ...o };
}

export function wait(ms?: number): Built<WaitBlock> {
  return ms === undefined ? { kind: 'wait' } : { kind: 'wait', ms };
}

export function connect(name: string, o: Partial<Built<ConnectBlock>> = {}): Built<ConnectBlock> {
  return { kind: 'connect', name, ...o };
}

export function close(kind: 'disconnect' | 'drop', name: string): Built<CloseBlock> {
  return { kind, name };
}
