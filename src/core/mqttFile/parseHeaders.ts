/**
 * Header lines (`name: value`): which blocks take which header, collecting them with their
 * places, and reading the plain values (QoS, booleans, numbers).
 */
import type { QoSLevel, SourceRange, Template } from './mqttFileAst';
import { type ParseContext, error, quote, range } from './parseContext';
import { parseInteger } from './parseDurations';

export type BlockKind =
  'publish' | 'expect' | 'request' | 'wait' | 'connect' | 'disconnect' | 'drop';

const MESSAGE = [
  'qos',
  'content-type',
  'response-topic',
  'message-expiry',
  'payload-format',
  'correlation-data',
  'user-property',
  'encoding',
];
const MATCHERS = ['payload', 'match', 'json'];

/** The headers each block takes, in the order error messages list them. */
export const HEADERS: Record<BlockKind, string[]> = {
  publish: ['client', 'qos', 'retain', ...MESSAGE.slice(1)],
  expect: ['client', 'qos', 'encoding', 'count', 'retained', ...MATCHERS],
  request: ['client', ...MESSAGE, ...MATCHERS],
  connect: [
    'client-id',
    'broker',
    'protocol',
    'username',
    'password',
    'keepalive',
    'clean',
    'will-topic',
    'will-payload',
    'will-qos',
    'will-retain',
  ],
  wait: [],
  disconnect: [],
  drop: [],
};

const REPEATABLE = new Set(['user-property', 'json']);
const ALL = new Set(Object.values(HEADERS).flat());

export interface Header {
  name: string;
  value: Template;
  line: number;
  nameRange: SourceRange;
}

const HEADER_LINE = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:/;

/** A header line's parts, or undefined when the line is not `name: value`. */
export function readHeaderLine(text: string, line: number): Header | undefined {
  const lead = text.length - text.trimStart().length;
  const m = HEADER_LINE.exec(text.slice(lead, lead + 200));
  if (!m) return undefined;
  const afterColon = lead + m[0].length;
  const rest = text.slice(afterColon);
  const valueColumn = afterColon + (rest.length - rest.trimStart().length);
  const raw = rest.trim();
  return {
    name: m[1],
    value: { raw, range: range(line, valueColumn, valueColumn + raw.length) },
    line,
    nameRange: range(line, lead, lead + m[1].length),
  };
}

/** The headers of a block by name, after reporting unknown, misplaced and repeated ones. */
export class HeaderSet {
  private readonly byName = new Map<string, Header[]>();

  constructor(
    private readonly ctx: ParseContext,
    kind: BlockKind,
    keyword: string,
    headers: Header[],
  ) {
    const allowed = HEADERS[kind];
    for (const h of headers) {
      if (!allowed.includes(h.name)) {
        const lower = h.name.toLowerCase();
        const hint =
          lower !== h.name && ALL.has(lower) ? ` (header names are lower case: ${lower})` : '';
        const block = `${/^[AEIOU]/.test(keyword) ? 'an' : 'a'} ${keyword} block`;
        const what = ALL.has(h.name)
          ? `header ${quote(h.name)} is not used in ${block}`
          : `unknown header ${quote(h.name)} in ${block}`;
        const expected = allowed.length
          ? `; expected one of ${allowed.join(', ')}`
          : `; ${block} takes no headers`;
        error(ctx, `${what}${hint}${expected}`, h.nameRange);
        continue;
      }
      const list = this.byName.get(h.name) ?? [];
      if (list.length && !REPEATABLE.has(h.name)) {
        error(
          ctx,
          `header ${quote(h.name)} is given twice (first at line ${list[0].line + 1})`,
          h.nameRange,
        );
        continue;
      }
      list.push(h);
      this.byName.set(h.name, list);
    }
  }

  get(name: string): Header | undefined {
    return this.byName.get(name)?.[0];
  }

  all(name: string): Header[] {
    return this.byName.get(name) ?? [];
  }

  qos(name: string): QoSLevel | undefined {
    const h = this.get(name);
    if (!h) return undefined;
    const v = h.value.raw;
    if (v === '0' || v === '1' || v === '2') return Number(v) as QoSLevel;
    error(this.ctx, `\`${name}\` must be 0, 1 or 2`, h.value.range);
    return undefined;
  }

  boolean(name: string): boolean | undefined {
    const h = this.get(name);
    if (!h) return undefined;
    if (h.value.raw === 'true') return true;
    if (h.value.raw === 'false') return false;
    error(this.ctx, `\`${name}\` must be true or false`, h.value.range);
    return undefined;
  }

  integer(name: string, min: number, max: number, unit = ''): number | undefined {
    const h = this.get(name);
    if (!h) return undefined;
    const n = parseInteger(h.value.raw, min, max);
    if (n === undefined) {
      error(
        this.ctx,
        `\`${name}\` must be a whole number from ${min} to ${max}${unit}`,
        h.value.range,
      );
    }
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const h = this.get(name);
    if (!h) return undefined;
    if ((values as readonly string[]).includes(h.value.raw)) return h.value.raw as T;
    error(
      this.ctx,
      `\`${name}\` must be ${values.join(' or ')}, not ${quote(h.value.raw)}`,
      h.value.range,
    );
    return undefined;
  }
}
