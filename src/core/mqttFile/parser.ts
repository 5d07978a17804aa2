/**
 * Reads a `.mqtt` file (docs/mqtt-files.md) into an `MqttFile`: file variables, blocks and every
 * problem with its place. Never throws; one pass over the lines, no backtracking on a line.
 */
import { buildBlock } from './buildBlock';
import { VARIABLE_NAME } from './expansionSyntax';
import type { MqttBlock, MqttFile, Template, VariableDefinition } from './mqttFileAst';
import {
  type ParseContext,
  error,
  errorCount,
  lineRange,
  quote,
  range,
  warning,
} from './parseContext';
import { type Header, readHeaderLine } from './parseHeaders';
import { KEYWORDS, parseRequestLine } from './requestLine';
import { checkTemplate } from './templateChecks';
import { findVariableCycles } from './variableCycles';
import { findOverlongVariables } from './variableLengths';

export interface ParseOptions {
  /** Variables the host knows (the environment's): an unknown `{{name}}` is then an error. */
  knownVariables?: Iterable<string>;
}

const RESERVED = new Set(['lastReply', 'lastMessage']);

export function parseMqttFile(text: string, options: ParseOptions = {}): MqttFile {
  try {
    return parse(text, options);
  } catch (e) {
    const message = `the file could not be read: ${e instanceof Error ? e.message : String(e)}`;
    return {
      variables: [],
      blocks: [],
      problems: [{ message, range: range(0, 0, 0), severity: 'error' }],
    };
  }
}

const BLANK = /^\s*$/;
const COMMENT = /^\s*(?:#(?!##)|\/\/)/;
const VARIABLE_LINE = /^\s*@/;
const isBlank = (line: string) => BLANK.test(line);
const isComment = (line: string) => COMMENT.test(line);
const isSeparator = (line: string) => line.startsWith('###');

function parse(text: string, options: ParseOptions): MqttFile {
  const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  const ctx: ParseContext = {
    lines,
    problems: [],
    errors: 0,
    fileVariables: new Set(),
    knownVariables: options.knownVariables ? new Set(options.knownVariables) : undefined,
    captured: new Set(),
    openClients: new Map(),
    closedClients: new Map(),
  };
  let first = lines.findIndex(isSeparator);
  if (first < 0) first = lines.length;
  const variables = readPreamble(ctx, first);
  // A variable may use {{$index}}: it is set when a REPEAT block uses the variable.
  for (const v of variables) checkTemplate(ctx, v.value, { inRepeat: true, inPreamble: true });
  for (const cycle of findVariableCycles(variables)) {
    error(
      ctx,
      `variables refer to each other in a cycle: ${cycle.names.join(' → ')}`,
      cycle.at.range,
    );
  }
  for (const v of findOverlongVariables(variables))
    error(ctx, `@${v.name} expands to more than 16 MiB`, v.range);
  const blocks: MqttBlock[] = [];
  for (let start = first; start < lines.length;) {
    let end = start + 1;
    while (end < lines.length && !isSeparator(lines[end])) end++;
    const block = readBlock(ctx, start, end, blocks.length);
    if (block) blocks.push(block);
    start = end;
  }
  const problems = ctx.problems.sort(
    (a, b) => a.range.line - b.range.line || a.range.column - b.range.column,
  );
  return { variables, blocks, problems };
}

function readPreamble(ctx: ParseContext, end: number): VariableDefinition[] {
  const variables: VariableDefinition[] = [];
  const seen = new Map<string, number>();
  for (let line = 0; line < end; line++) {
    const text = ctx.lines[line];
    if (isBlank(text) || isComment(text)) continue;
    if (!text.trimStart().startsWith('@')) {
      const word = /^\S+/.exec(text.trimStart())?.[0] ?? '';
      const hint = (KEYWORDS as readonly string[]).includes(word)
        ? `a block starts with a ### line: add one above ${word}`
        : 'only @name = value variables and comments may come before the first ### block';
      error(ctx, `unexpected text before the first block: ${hint}`, lineRange(ctx, line));
      continue;
    }
    const v = readVariable(ctx, line);
    if (!v) continue;
    const before = seen.get(v.name);
    if (before !== undefined) {
      error(
        ctx,
        `variable ${quote(v.name)} is defined twice (first at line ${before + 1})`,
        v.range,
      );
      continue;
    }
    seen.set(v.name, line);
    ctx.fileVariables.add(v.name);
    variables.push(v);
  }
  return variables;
}

function readVariable(ctx: ParseContext, line: number): VariableDefinition | undefined {
  const text = ctx.lines[line];
  const at = text.indexOf('@');
  const eq = text.indexOf('=', at);
  const whole = lineRange(ctx, line);
  if (eq < 0) {
    error(ctx, 'a file variable is written @name = value', whole);
    return undefined;
  }
  const name = text.slice(at + 1, eq).trim();
  if (!VARIABLE_NAME.test(name)) {
    error(
      ctx,
      `variable name ${quote(name)}: use letters, digits, _ and -, starting with a letter or _`,
      whole,
    );
    return undefined;
  }
  if (RESERVED.has(name)) {
    error(
      ctx,
      `${name} is a capture (${name}.payload, ${name}.json.<path>); choose another variable name`,
      whole,
    );
    return undefined;
  }
  const after = text.slice(eq + 1);
  const column = eq + 1 + (after.length - after.trimStart().length);
  const raw = after.trim();
  const value: Template = { raw, range: range(line, column, column + raw.length) };
  return { name, value, range: whole };
}

function readBlock(
  ctx: ParseContext,
  start: number,
  end: number,
  index: number,
): MqttBlock | undefined {
  const { lines } = ctx;
  const title = lines[start].slice(3).trim();
  const errorsBefore = errorCount(ctx);
  let i = start + 1;
  for (; i < end && (isBlank(lines[i]) || isComment(lines[i]) || misplacedVariable(ctx, i)); i++);
  let last = end - 1;
  while (last > start && isBlank(lines[last])) last--;
  if (i >= end) {
    warning(
      ctx,
      'empty block, left out: write a request line such as PUBLISH <topic> under ###',
      lineRange(ctx, start),
    );
    return undefined;
  }
  const requestLine = i;
  const request = parseRequestLine(ctx, requestLine);
  if (!request) return undefined;
  const headers: Header[] = [];
  for (i = requestLine + 1; i < end && !isBlank(lines[i]); i++) {
    if (isComment(lines[i]) || misplacedVariable(ctx, i)) continue;
    const h = readHeaderLine(lines[i], i);
    if (h) headers.push(h);
    else
      error(
        ctx,
        'expected a header name: value, or a blank line before the body',
        lineRange(ctx, i),
      );
  }
  const body = bodyOf(ctx, i + 1, last);
  const requestRange = range(requestLine, 0, lines[requestLine].length);
  const block = buildBlock(ctx, {
    base: { index, title, range: range(start, 0, lines[end - 1].length, end - 1), requestRange },
    request,
    headers,
    body,
  });
  if (block && errorCount(ctx) > errorsBefore) block.invalid = true;
  if (block?.kind === 'request') ctx.captured.add('lastReply');
  if (block?.kind === 'expect' && !block.nothing) ctx.captured.add('lastMessage');
  return block;
}

function misplacedVariable(ctx: ParseContext, line: number): boolean {
  if (!VARIABLE_LINE.test(ctx.lines[line])) return false;
  error(ctx, 'file variables must come before the first ### block', lineRange(ctx, line));
  return true;
}

/** Lines [from, to] joined with \n, or undefined when there are none. */
function bodyOf(ctx: ParseContext, from: number, to: number): Template | undefined {
  if (from > to) return undefined;
  const raw = ctx.lines.slice(from, to + 1).join('\n');
  return { raw, range: range(from, 0, ctx.lines[to].length, to) };
}
