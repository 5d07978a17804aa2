/**
 * The string literal around a column of one line of source code, in any language: text between
 * ' " or ` quotes, with backslash escapes, and JavaScript template literals whose `${…}`
 * expressions may hold strings of their own. Only the line is read, and only when it is at most
 * MAX_LINE_CHARS long, so a hover over a minified file costs nothing.
 */

export const MAX_LINE_CHARS = 4096;

export type Quote = '"' | "'" | '`';

export interface StringLiteral {
  quote: Quote;
  /** Offset of the opening quote (UTF-16, as VS Code's columns are). */
  start: number;
  /** Offset just past the closing quote. */
  end: number;
  /**
   * The content with escapes resolved, split at each `${…}` of a template literal: one part
   * more than there are interpolations (a literal without them is one part).
   */
  parts: string[];
}

interface Open {
  quote: Quote;
  start: number;
  parts: string[];
  current: string;
  /** How many `${…}` were being read when it opened. */
  depth: number;
  /** Where each of its `${…}` begins and ends: code, not its text. */
  holes: [number, number][];
}

/**
 * The innermost string literal of `line` that contains `column` (its quotes included);
 * undefined when the column is outside any string, the string does not close on this line, or
 * the line is longer than `maxChars`.
 */
export function literalAt(
  line: string,
  column: number,
  maxChars = MAX_LINE_CHARS,
): StringLiteral | undefined {
  if (line.length > maxChars || column < 0 || column >= line.length) return undefined;
  // Open strings, innermost last; a template's `${` pushes code (an entry with depth).
  const stack: Open[] = [];
  const code: number[] = []; // brace depth of each `${…}` being read, innermost last
  let i = 0;
  while (i < line.length) {
    // Past the column outside any string: no literal can contain it any more.
    if (stack.length === 0 && i > column) return undefined;
    const ch = line[i];
    const top = stack[stack.length - 1];
    if (top && !inCodeOf(stack, code)) {
      // Inside a string.
      if (ch === '\\' && i + 1 < line.length) {
        const [text, next] = unescape(line, i);
        top.current += text;
        i = next;
        continue;
      }
      if (ch === top.quote) {
        top.parts.push(top.current);
        const literal: StringLiteral = {
          quote: top.quote,
          start: top.start,
          end: i + 1,
          parts: top.parts,
        };
        stack.pop();
        const inHole = top.holes.some(([a, b]) => column >= a && column < b);
        if (column >= literal.start && column < literal.end && !inHole) return literal;
        i++;
        continue;
      }
      if (top.quote === '`' && ch === '$' && line[i + 1] === '{') {
        top.parts.push(top.current);
        top.current = '';
        top.holes.push([i, line.length]);
        code.push(0);
        i += 2;
        continue;
      }
      top.current += ch;
      i++;
      continue;
    }
    // In code: at the top level, or inside a template's `${…}`.
    if (code.length > 0 && ch === '{') code[code.length - 1]++;
    else if (code.length > 0 && ch === '}') {
      if (code[code.length - 1] === 0) {
        code.pop();
        const hole = top.holes[top.holes.length - 1];
        hole[1] = i + 1;
      } else code[code.length - 1]--;
    } else if (ch === '"' || ch === '`' || (ch === "'" && !isApostrophe(line, i))) {
      stack.push({ quote: ch, start: i, parts: [], current: '', depth: code.length, holes: [] });
    }
    i++;
  }
  return undefined;
}

/** Whether the innermost open string is a template reading a `${…}` (code, not text). */
function inCodeOf(stack: Open[], code: number[]): boolean {
  const top = stack[stack.length - 1];
  // Each `${` of a template pushed one entry on `code`; strings opened inside it recorded how
  // many were open then. The top string is text unless a later `${` opened after it.
  return code.length > top.depth;
}

/** A ' between two letters or digits is an apostrophe in prose ("don't"), not a quote. */
function isApostrophe(line: string, i: number): boolean {
  return /[\p{L}\p{N}]/u.test(line[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(line[i + 1] ?? '');
}

/** The character a backslash escape at `i` stands for, and where the text continues. */
function unescape(line: string, i: number): [string, number] {
  const c = line[i + 1];
  switch (c) {
    case 'n':
      return ['\n', i + 2];
    case 't':
      return ['\t', i + 2];
    case 'r':
      return ['\r', i + 2];
    case '0':
      return ['\0', i + 2];
    case 'x': {
      const hex = /^[0-9a-fA-F]{2}/.exec(line.slice(i + 2, i + 4));
      return hex ? [String.fromCharCode(parseInt(hex[0], 16)), i + 4] : ['x', i + 2];
    }
    case 'u': {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(line.slice(i + 2, i + 10));
      if (braced) {
        const cp = parseInt(braced[1], 16);
        if (cp <= 0x10ffff) return [String.fromCodePoint(cp), i + 2 + braced[0].length];
      }
      const hex = /^[0-9a-fA-F]{4}/.exec(line.slice(i + 2, i + 6));
      return hex ? [String.fromCharCode(parseInt(hex[0], 16)), i + 6] : ['u', i + 2];
    }
    default:
      return [c, i + 2];
  }
}

/**
 * The topic or filter a literal names: its text, with each `${…}` that fills a whole level
 * read as `+` (`devices/${id}/state` is `devices/+/state`); undefined when an interpolation
 * fills only part of a level, or the literal is empty or longer than `maxChars`.
 */
export function topicOfLiteral(literal: StringLiteral, maxChars = 1024): string | undefined {
  const { parts } = literal;
  const last = parts.length - 1;
  for (let k = 0; k < last; k++) {
    const left = k === 0 ? parts[0] === '' || parts[0].endsWith('/') : parts[k].endsWith('/');
    const right =
      k + 1 === last
        ? parts[last] === '' || parts[last].startsWith('/')
        : parts[k + 1].startsWith('/');
    if (!left || !right) return undefined;
  }
  const topic = parts.join('+');
  return topic.length === 0 || topic.length > maxChars ? undefined : topic;
}
