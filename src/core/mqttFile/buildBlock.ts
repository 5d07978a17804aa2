/**
 * One block from its parts: the request line, the headers and the body, checked against what
 * the block kind allows and the clients opened so far.
 */
import type {
  BlockBase,
  ConnectBlock,
  ExpectBlock,
  MqttBlock,
  PublishBlock,
  Template,
  WaitBlock,
} from './mqttFileAst';
import { type ParseContext, error, quote } from './parseContext';
import { type BlockKind, type Header, HeaderSet } from './parseHeaders';
import { messageMatchers, messageSpec } from './parseMessage';
import type { RequestLine } from './requestLine';
import { checkTemplate, checkTopic } from './templateChecks';
import { hasExpansion, literalText } from './templateText';

export interface BlockParts {
  base: Omit<BlockBase, 'invalid' | 'client'>;
  request: RequestLine;
  headers: Header[];
  body?: Template;
}

const KIND: Record<RequestLine['keyword'], BlockKind> = {
  PUBLISH: 'publish',
  EXPECT: 'expect',
  REQUEST: 'request',
  WAIT: 'wait',
  CONNECT: 'connect',
  DISCONNECT: 'disconnect',
  DROP: 'drop',
};

/** The block (invalid when it is wrong), or undefined when the request line names no topic. */
export function buildBlock(ctx: ParseContext, parts: BlockParts): MqttBlock | undefined {
  const { request, body } = parts;
  const kind = KIND[request.keyword];
  const headers = new HeaderSet(ctx, kind, request.keyword, parts.headers);
  const base: BlockBase = {
    index: parts.base.index,
    title: parts.base.title,
    range: parts.base.range,
    requestRange: parts.base.requestRange,
    invalid: false,
  };
  const client = clientOf(ctx, headers);
  if (client !== undefined) base.client = client;
  if (body && (kind === 'wait' || kind === 'connect' || kind === 'disconnect' || kind === 'drop')) {
    error(ctx, `a ${request.keyword} block has no body`, body.range);
  }
  switch (request.keyword) {
    case 'PUBLISH': {
      const topic = request.topic ?? missing(base.requestRange);
      const inRepeat = request.repeat !== undefined;
      const message = messageSpec(ctx, topic, headers, body, { inRepeat });
      const block: PublishBlock = Object.assign(base, { kind: 'publish' as const, message });
      if (request.repeat) block.repeat = request.repeat;
      return block;
    }
    case 'REQUEST': {
      const topic = request.topic ?? missing(base.requestRange);
      const message = messageSpec(ctx, topic, headers, body, {});
      const reply = messageMatchers(ctx, headers, undefined);
      return Object.assign(base, {
        kind: 'request' as const,
        message,
        withinMs: request.withinMs,
        reply,
      });
    }
    case 'EXPECT': {
      const filter = request.filter ?? missing(base.requestRange);
      checkTopic(ctx, filter, 'filter');
      const qos = headers.qos('qos');
      const count = countOf(ctx, headers);
      const retained = headers.boolean('retained');
      const encoding = headers.oneOf('encoding', ENCODINGS) ?? 'text';
      const matchers = messageMatchers(ctx, headers, body ? { body, encoding } : undefined);
      const block: ExpectBlock = Object.assign(base, {
        kind: 'expect' as const,
        filter,
        nothing: request.nothing,
        withinMs: request.withinMs,
        qos: qos ?? 2,
        qosRequired: qos !== undefined,
        count,
        matchers,
      });
      if (retained !== undefined) block.retained = retained;
      return block;
    }
    case 'WAIT': {
      const block: WaitBlock = Object.assign(base, { kind: 'wait' as const });
      if (request.ms !== undefined) block.ms = request.ms;
      return block;
    }
    case 'CONNECT':
      return connectBlock(
        ctx,
        Object.assign(base, { kind: 'connect' as const, name: request.name }),
        headers,
      );
    case 'DISCONNECT':
    case 'DROP': {
      closeClient(ctx, request.name, request.keyword, base.requestRange.line);
      const closeKind = request.keyword === 'DROP' ? ('drop' as const) : ('disconnect' as const);
      return Object.assign(base, { kind: closeKind, name: request.name });
    }
  }
}

const ENCODINGS = ['text', 'hex', 'base64'] as const;

function missing(at: BlockBase['requestRange']): Template {
  return { raw: '', range: at };
}

function clientOf(ctx: ParseContext, headers: HeaderSet): string | undefined {
  const h = headers.get('client');
  if (!h) return undefined;
  const name = h.value.raw;
  if (!ctx.openClients.has(name)) {
    const closed = ctx.closedClients.get(name);
    error(
      ctx,
      closed !== undefined
        ? `client ${quote(name)} was closed at line ${closed + 1}`
        : `client ${quote(name)} is not opened by a CONNECT ${name} block above`,
      h.value.range,
    );
  }
  return name;
}

function closeClient(ctx: ParseContext, name: string, keyword: string, line: number): void {
  if (!name) return;
  const at = { line, column: 0, endLine: line, endColumn: ctx.lines[line].length };
  if (ctx.openClients.has(name)) {
    ctx.openClients.delete(name);
    ctx.closedClients.set(name, line);
  } else if (ctx.closedClients.has(name)) {
    error(
      ctx,
      `${keyword} ${name}: the client was already closed at line ${(ctx.closedClients.get(name) ?? 0) + 1}`,
      at,
    );
  } else error(ctx, `${keyword} of unknown client ${quote(name)}: no CONNECT ${name} above`, at);
}

function countOf(
  ctx: ParseContext,
  headers: HeaderSet,
): { kind: 'exactly' | 'atLeast'; n: number } {
  const h = headers.get('count');
  if (!h) return { kind: 'atLeast', n: 1 };
  const m = /^(>=)?\s*(\d{1,7})$/.exec(h.value.raw);
  if (!m || (m[1] && Number(m[2]) < 1)) {
    error(
      ctx,
      '`count` must be a number (exactly that many) or >= n (at least n, n ≥ 1), up to 1000000',
      h.value.range,
    );
    return { kind: 'atLeast', n: 1 };
  }
  return { kind: m[1] ? 'atLeast' : 'exactly', n: Number(m[2]) };
}

const PASSWORD = /^\{\{\s*\$(?:env|secret)\s+[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}$/;
const BROKER_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'];

function connectBlock(ctx: ParseContext, block: ConnectBlock, headers: HeaderSet): ConnectBlock {
  const line = block.requestRange.line;
  if (block.name) {
    const open = ctx.openClients.get(block.name);
    if (open !== undefined) {
      error(
        ctx,
        `client ${quote(block.name)} is already open (CONNECT at line ${open + 1}); DISCONNECT or DROP it first`,
        block.requestRange,
      );
    }
    ctx.openClients.set(block.name, line);
    ctx.closedClients.delete(block.name);
  }
  const templateOf = (name: string): Template | undefined => {
    const h = headers.get(name);
    if (h) checkTemplate(ctx, h.value);
    return h?.value;
  };
  const set = <K extends keyof ConnectBlock>(key: K, value: ConnectBlock[K] | undefined) => {
    if (value !== undefined) block[key] = value;
  };
  set('clientId', templateOf('client-id'));
  const broker = templateOf('broker');
  if (broker && !hasExpansion(broker.raw) && !brokerUrlOk(literalText(broker.raw))) {
    error(
      ctx,
      '`broker` must be a URL such as mqtt://host:1883 (mqtt, mqtts, ws or wss)',
      broker.range,
    );
  }
  set('broker', broker);
  const protocol = headers.oneOf('protocol', ['5', '3.1.1'] as const);
  set('protocolVersion', protocol === '5' ? 5 : protocol === '3.1.1' ? 4 : undefined);
  set('username', templateOf('username'));
  const password = headers.get('password');
  if (password && !PASSWORD.test(password.value.raw)) {
    error(
      ctx,
      'a password must be {{$env NAME}} or {{$secret NAME}}, not written in the file',
      password.value.range,
    );
  } else set('password', password?.value);
  set('keepaliveSeconds', headers.integer('keepalive', 0, 65_535, ' seconds'));
  set('clean', headers.boolean('clean'));
  const willTopic = headers.get('will-topic');
  const willQos = headers.qos('will-qos');
  const willRetain = headers.boolean('will-retain');
  const willPayload = templateOf('will-payload');
  if (willTopic) {
    checkTopic(ctx, willTopic.value, 'name');
    block.will = {
      topic: willTopic.value,
      payload: willPayload ?? { raw: '', range: willTopic.value.range },
      qos: willQos ?? 0,
      retain: willRetain ?? false,
    };
  } else {
    for (const name of ['will-payload', 'will-qos', 'will-retain']) {
      const h = headers.get(name);
      if (h) error(ctx, `\`${name}\` needs \`will-topic\``, h.nameRange);
    }
  }
  return block;
}

function brokerUrlOk(text: string): boolean {
  try {
    const url = new URL(text);
    return BROKER_SCHEMES.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}
