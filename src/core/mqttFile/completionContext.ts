/**
 * What may be typed at a place in a `.mqtt` file: a keyword at the start of a block's request
 * line, a header name or value after it, a variable inside `{{…}}`, a topic as the first argument
 * of PUBLISH / EXPECT / REQUEST. Reads only the lines of the cursor's block (at most
 * MAX_SCAN_LINES of them), so it costs the same in a file of any size.
 */
import {
  HEADERS_BY_KEYWORD,
  REQUEST_MODIFIERS,
  isBlockKeyword,
  type BlockKeyword,
} from './mqttFileVocabulary';

/** Lines read above and below the cursor at most; past them the place is not recognised. */
export const MAX_SCAN_LINES = 1000;

export type TopicKeyword = 'PUBLISH' | 'EXPECT' | 'REQUEST';

/** `start` and `end` are the columns of the text a completion replaces on the cursor's line. */
export type CompletionContext =
  | { kind: 'keyword'; prefix: string; start: number; end: number }
  | {
      kind: 'headerName';
      keyword: BlockKeyword;
      prefix: string;
      start: number;
      end: number;
      /** Header names already written in the block (other lines). */
      present: string[];
    }
  | {
      kind: 'headerValue';
      keyword: BlockKeyword;
      header: string;
      prefix: string;
      start: number;
      end: number;
    }
  | { kind: 'variable'; prefix: string; start: number; end: number }
  | {
      kind: 'topic';
      keyword: TopicKeyword;
      prefix: string;
      start: number;
      end: number;
      /** EXPECT's first argument may also be NOTHING. */
      allowNothing: boolean;
    }
  | {
      kind: 'modifier';
      keyword: BlockKeyword;
      options: readonly string[];
      prefix: string;
      start: number;
      end: number;
    }
  | { kind: 'none' };

const NONE: CompletionContext = { kind: 'none' };
const COMMENT = /^\s*(#|\/\/)/;
const HEADER = /^([a-z][a-z0-9-]*)\s*:/;

function isSeparator(text: string): boolean {
  return text.startsWith('###');
}

function isComment(text: string): boolean {
  return COMMENT.test(text) && !isSeparator(text);
}

/** The length of the run of characters from `column` that `pattern` (anchored) matches. */
function runAfter(text: string, column: number, pattern: RegExp): number {
  return pattern.exec(text.slice(column))?.[0].length ?? 0;
}

/**
 * The kind of thing being typed at `line`/`column` (0-based, column in UTF-16 units).
 * `lineAt` returns a line's text; `lineCount` bounds it.
 */
export function completionContextAt(
  lineAt: (line: number) => string,
  lineCount: number,
  line: number,
  column: number,
): CompletionContext {
  if (line < 0 || line >= lineCount) return NONE;
  const text = lineAt(line);
  const before = text.slice(0, Math.min(column, text.length));
  if (isSeparator(before) || isComment(text)) return NONE;

  const variable = variableAt(text, before);
  if (variable) return variable;

  const block = blockAbove(lineAt, line);
  if (!block) return NONE;
  if (block.state === 'beforeRequest') return requestLineContext(text, before);
  if (block.state === 'body') return NONE;
  return headerContext(lineAt, lineCount, line, text, before, block.keyword, block.headers);
}

function variableAt(text: string, before: string): CompletionContext | undefined {
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return undefined;
  const typed = before.slice(open + 2);
  const prefix = typed.trimStart();
  // `{{$randomInt 1 ` is an argument, not a name.
  if (/\s/.test(prefix)) return NONE;
  const column = before.length;
  return {
    kind: 'variable',
    prefix,
    start: column - prefix.length,
    end: column + runAfter(text, column, /^[\w.$-]*/),
  };
}

type BlockState =
  | { state: 'beforeRequest' }
  | { state: 'headers' | 'body'; keyword: BlockKeyword; headers: string[] };

/** Where the cursor's line stands in its block; undefined before the first `###` or past the bound. */
function blockAbove(lineAt: (line: number) => string, line: number): BlockState | undefined {
  let start = -1;
  for (let i = line - 1; i >= 0 && i >= line - MAX_SCAN_LINES; i--) {
    if (isSeparator(lineAt(i))) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  let request: string | undefined;
  let body = false;
  const headers: string[] = [];
  for (let i = start + 1; i < line; i++) {
    const text = lineAt(i);
    if (request === undefined) {
      if (text.trim() === '' || isComment(text)) continue;
      request = text;
    } else if (text.trim() === '') {
      body = true;
      break;
    } else {
      const name = HEADER.exec(text)?.[1];
      if (name) headers.push(name);
    }
  }
  if (request === undefined) return { state: 'beforeRequest' };
  const keyword = /^[A-Z]+/.exec(request)?.[0] ?? '';
  if (!isBlockKeyword(keyword)) return { state: 'body', keyword: 'WAIT', headers };
  return { state: body ? 'body' : 'headers', keyword, headers };
}

function requestLineContext(text: string, before: string): CompletionContext {
  const column = before.length;
  if (/^[A-Z]*$/.test(before)) {
    return {
      kind: 'keyword',
      prefix: before,
      start: 0,
      end: column + runAfter(text, column, /^[A-Z]*/),
    };
  }
  const head = /^([A-Z]+) +(NOTHING +)?/.exec(before);
  if (!head || !isBlockKeyword(head[1])) return NONE;
  const keyword = head[1];
  const rest = before.slice(head[0].length);
  const tokens = rest.split(/ +/);
  const current = tokens[tokens.length - 1];
  const start = column - current.length;
  if (tokens.length === 1) {
    if (keyword !== 'PUBLISH' && keyword !== 'EXPECT' && keyword !== 'REQUEST') return NONE;
    return {
      kind: 'topic',
      keyword,
      prefix: current,
      start,
      end: column + runAfter(text, column, /^\S*/),
      allowNothing: keyword === 'EXPECT' && !head[2],
    };
  }
  const options =
    tokens.length === 2
      ? REQUEST_MODIFIERS[keyword]
      : keyword === 'PUBLISH' && tokens.length === 4 && tokens[1] === 'REPEAT'
        ? ['EVERY']
        : undefined;
  if (!options || !/^[A-Z]*$/.test(current)) return NONE;
  return {
    kind: 'modifier',
    keyword,
    options,
    prefix: current,
    start,
    end: column + runAfter(text, column, /^[A-Z]*/),
  };
}

function headerContext(
  lineAt: (line: number) => string,
  lineCount: number,
  line: number,
  text: string,
  before: string,
  keyword: BlockKeyword,
  above: string[],
): CompletionContext {
  const column = before.length;
  const colon = before.indexOf(':');
  if (colon < 0) {
    if (!/^[a-z-]*$/.test(before)) return NONE;
    if (HEADERS_BY_KEYWORD[keyword].length === 0) return NONE;
    return {
      kind: 'headerName',
      keyword,
      prefix: before,
      start: 0,
      end: column + runAfter(text, column, /^[a-z0-9-]*/),
      present: [...above, ...headersBelow(lineAt, lineCount, line)],
    };
  }
  const header = before.slice(0, colon).trim();
  if (!/^[a-z][a-z0-9-]*$/.test(header)) return NONE;
  const prefix = before.slice(colon + 1).trimStart();
  return {
    kind: 'headerValue',
    keyword,
    header,
    prefix,
    start: column - prefix.length,
    end: text.trimEnd().length > column ? text.trimEnd().length : column,
  };
}

function headersBelow(lineAt: (line: number) => string, lineCount: number, line: number): string[] {
  const names: string[] = [];
  for (let i = line + 1; i < lineCount && i <= line + MAX_SCAN_LINES; i++) {
    const text = lineAt(i);
    if (text.trim() === '' || isSeparator(text)) break;
    const name = HEADER.exec(text)?.[1];
    if (name) names.push(name);
  }
  return names;
}
