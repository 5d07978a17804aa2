/**
 * A block's request line: the keyword and its arguments. A topic is the text up to the first
 * keyword of the line's tail (`REPEAT`, `EVERY`, `WITHIN`), or a JSON string in double quotes
 * when it starts with `"`, has spaces at either end or holds such a word.
 */
import type { SourceRange, Template } from './mqttFileAst';
import { type ParseContext, error, quote, range } from './parseContext';
import { MAX_REPEAT, parseDuration, parseInteger } from './parseDurations';

export const KEYWORDS = [
  'PUBLISH',
  'EXPECT',
  'REQUEST',
  'WAIT',
  'CONNECT',
  'DISCONNECT',
  'DROP',
] as const;
export type Keyword = (typeof KEYWORDS)[number];

export type RequestLine =
  | { keyword: 'PUBLISH'; topic?: Template; repeat?: { count: number; everyMs: number } }
  | { keyword: 'EXPECT'; nothing: boolean; filter?: Template; withinMs: number }
  | { keyword: 'REQUEST'; topic?: Template; withinMs: number }
  | { keyword: 'WAIT'; ms?: number }
  | { keyword: 'CONNECT' | 'DISCONNECT' | 'DROP'; name: string };

interface Token {
  text: string;
  column: number;
}

export const CLIENT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_WITHIN_MS = 5000;

/** undefined: no keyword this parser knows (reported; the block is left out). */
export function parseRequestLine(ctx: ParseContext, line: number): RequestLine | undefined {
  const text = ctx.lines[line];
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  let end = start;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  const word = text.slice(start, end);
  const at = range(line, start, end);
  if (!(KEYWORDS as readonly string[]).includes(word)) {
    const upper = word.toUpperCase();
    const hint = (KEYWORDS as readonly string[]).includes(upper)
      ? ` (keywords are upper case: ${upper})`
      : '';
    error(ctx, `unknown keyword ${quote(word)}${hint}; expected one of ${KEYWORDS.join(', ')}`, at);
    return undefined;
  }
  const keyword = word as Keyword;
  let argColumn = end;
  while (argColumn < text.length && isSpace(text.charCodeAt(argColumn))) argColumn++;
  const args = { line, column: argColumn, text: text.slice(argColumn).trimEnd() };
  switch (keyword) {
    case 'PUBLISH': {
      const { topic, tail } = splitTopic(ctx, args, ['REPEAT', 'EVERY'], 'topic', at);
      return { keyword, topic, repeat: repeatOf(ctx, tail, line) };
    }
    case 'EXPECT': {
      const first = /^\S+/.exec(args.text)?.[0];
      const nothing = first === 'NOTHING' && args.text.length > first.length;
      const rest = nothing ? shift(args, first.length) : args;
      const { topic, tail } = splitTopic(ctx, rest, ['WITHIN'], 'topic filter', at);
      return {
        keyword,
        nothing,
        filter: topic,
        withinMs: withinOf(ctx, tail, 'EXPECT <filter>', at),
      };
    }
    case 'REQUEST': {
      const { topic, tail } = splitTopic(ctx, args, ['WITHIN'], 'topic', at);
      return { keyword, topic, withinMs: withinOf(ctx, tail, 'REQUEST <topic>', at) };
    }
    case 'WAIT': {
      const tokens = tokenize(args);
      if (tokens.length === 0) return { keyword };
      const d = parseDuration(tokens[0].text);
      if ('error' in d) error(ctx, d.error, tokenRange(line, tokens[0]));
      extra(ctx, tokens.slice(1), line, 'WAIT <duration>');
      return { keyword, ms: 'ms' in d ? d.ms : undefined };
    }
    default: {
      const tokens = tokenize(args);
      const name = tokens[0]?.text ?? '';
      if (!name) error(ctx, `${keyword} needs a client name: ${keyword} <client>`, at);
      else if (!CLIENT_NAME.test(name)) {
        error(
          ctx,
          `client name ${quote(name)}: use letters, digits, - and _ (at most 64)`,
          tokenRange(line, tokens[0]),
        );
      }
      extra(ctx, tokens.slice(1), line, `${keyword} <client>`);
      return { keyword, name };
    }
  }
}

interface Args {
  line: number;
  column: number;
  text: string;
}

function shift(args: Args, by: number): Args {
  const rest = args.text.slice(by);
  const skip = by + (rest.length - rest.trimStart().length);
  return { line: args.line, column: args.column + skip, text: args.text.slice(skip) };
}

function tokenize(args: Args): Token[] {
  const tokens: Token[] = [];
  const { text } = args;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (i > start) tokens.push({ text: text.slice(start, i), column: args.column + start });
  }
  return tokens;
}

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 0x0b ||
    c === 0x0c ||
    c === 0xa0 ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x1680 ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function tokenRange(line: number, t: Token): SourceRange {
  return range(line, t.column, t.column + t.text.length);
}

function splitTopic(
  ctx: ParseContext,
  args: Args,
  tailWords: string[],
  what: string,
  keywordRange: SourceRange,
): { topic?: Template; tail: Token[] } {
  const { line, column, text } = args;
  if (text.startsWith('"')) {
    let i = 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    const quoted = text.slice(0, i + 1);
    let raw: string | undefined;
    try {
      raw = i < text.length ? (JSON.parse(quoted) as string) : undefined;
    } catch {
      raw = undefined;
    }
    if (raw === undefined) {
      error(
        ctx,
        `the quoted ${what} is not a JSON string: close it with " and escape " and \\ with \\`,
        range(line, column, column + quoted.length),
      );
      return { tail: [] };
    }
    if (raw === '') error(ctx, `the quoted ${what} is empty`, range(line, column, column + 2));
    const tail = tokenize(shift(args, quoted.length));
    return { topic: { raw, range: range(line, column, column + quoted.length) }, tail };
  }
  const tokens = tokenize(args);
  const cut = tokens.findIndex((t) => tailWords.includes(t.text));
  const topicTokens = cut < 0 ? tokens : tokens.slice(0, cut);
  if (topicTokens.length === 0) {
    error(ctx, `the request line needs a ${what}`, keywordRange);
    return { tail: cut < 0 ? [] : tokens.slice(cut) };
  }
  const last = topicTokens[topicTokens.length - 1];
  const endColumn = last.column + last.text.length;
  const raw = text.slice(0, endColumn - column);
  return {
    topic: { raw, range: range(line, column, endColumn) },
    tail: cut < 0 ? [] : tokens.slice(cut),
  };
}

function repeatOf(
  ctx: ParseContext,
  tail: Token[],
  line: number,
): { count: number; everyMs: number } | undefined {
  if (tail.length === 0) return undefined;
  if (tail[0].text === 'EVERY') {
    error(
      ctx,
      'EVERY needs REPEAT n: PUBLISH <topic> REPEAT <n> EVERY <duration>',
      tokenRange(line, tail[0]),
    );
    return undefined;
  }
  const countToken = tail[1];
  const count = countToken ? parseInteger(countToken.text, 1, MAX_REPEAT) : undefined;
  if (count === undefined) {
    error(
      ctx,
      'REPEAT needs a whole number from 1 to 100000: REPEAT <n> EVERY <duration>',
      tokenRange(line, countToken ?? tail[0]),
    );
    return undefined;
  }
  let everyMs = 0;
  let rest = tail.slice(2);
  if (rest[0]?.text === 'EVERY') {
    const d = rest[1]
      ? parseDuration(rest[1].text)
      : { error: 'EVERY needs a duration such as 250ms, 2s or 1m' };
    if ('error' in d) error(ctx, d.error, tokenRange(line, rest[1] ?? rest[0]));
    else everyMs = d.ms;
    rest = rest.slice(2);
  }
  extra(ctx, rest, line, 'PUBLISH <topic> REPEAT <n> EVERY <duration>');
  return { count, everyMs };
}

function withinOf(
  ctx: ParseContext,
  tail: Token[],
  usage: string,
  keywordRange: SourceRange,
): number {
  const line = keywordRange.line;
  if (tail.length === 0) {
    error(ctx, `WITHIN <duration> is missing: ${usage} WITHIN 2s`, keywordRange);
    return DEFAULT_WITHIN_MS;
  }
  const d = tail[1]
    ? parseDuration(tail[1].text)
    : { error: 'WITHIN needs a duration such as 250ms, 2s or 1m' };
  if ('error' in d) error(ctx, d.error, tokenRange(line, tail[1] ?? tail[0]));
  extra(ctx, tail.slice(2), line, `${usage} WITHIN <duration>`);
  return 'ms' in d ? d.ms : DEFAULT_WITHIN_MS;
}

function extra(ctx: ParseContext, rest: Token[], line: number, usage: string): void {
  if (rest.length === 0) return;
  const last = rest[rest.length - 1];
  error(
    ctx,
    `unexpected ${quote(rest[0].text)}: the line is ${usage}`,
    range(line, rest[0].column, last.column + last.text.length),
  );
}
