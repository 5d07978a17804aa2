/**
 * JSON for the detail pane, without recursion: a scanner over the text (so numbers, key order
 * and duplicate keys show as they were sent; rendered by treeRenderer.ts) and an iterative
 * pretty-printer (for the diff).
 */

export type JsonTokenKind =
  | 'open'
  | 'close'
  | 'colon'
  | 'comma'
  | 'string'
  | 'number'
  | 'literal'
  | 'invalid'
  /** Only from a decoded tree: bytes (`size` set) and a cut (the text says why). */
  | 'bytes'
  | 'cut';

export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
  /** Bytes: how many the value holds (`text` shows the first ones as hex). */
  size?: number;
}

/** Splits JSON text into tokens. Lenient: it does not validate, JSON.parse does that. */
export class JsonScanner {
  private pos = 0;
  private peeked: JsonToken | undefined | null = null;

  constructor(private readonly text: string) {}

  peek(): JsonToken | undefined {
    if (this.peeked === null) this.peeked = this.scan();
    return this.peeked;
  }

  next(): JsonToken | undefined {
    if (this.peeked !== null) {
      const t = this.peeked;
      this.peeked = null;
      return t;
    }
    return this.scan();
  }

  private scan(): JsonToken | undefined {
    const s = this.text;
    const len = s.length;
    let i = this.pos;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    if (i >= len) {
      this.pos = i;
      return undefined;
    }
    const c = s[i];
    let kind: JsonTokenKind;
    let end = i + 1;
    if (c === '{' || c === '[') kind = 'open';
    else if (c === '}' || c === ']') kind = 'close';
    else if (c === ':') kind = 'colon';
    else if (c === ',') kind = 'comma';
    else if (c === '"') {
      kind = 'string';
      while (end < len) {
        const d = s.charCodeAt(end);
        if (d === 0x5c) end += 2;
        else if (d === 0x22) {
          end++;
          break;
        } else end++;
      }
      end = Math.min(end, len);
    } else {
      while (end < len && !/[\s{}[\]:,"]/.test(s[end])) end++;
      kind = /[-0-9]/.test(c) ? 'number' : /[a-z]/.test(c) ? 'literal' : 'invalid';
    }
    this.pos = end;
    return { kind, text: s.slice(i, end) };
  }
}

/** Whether the text is a JSON object or array (what the detail pane shows as JSON by itself). */
export function isJsonContainer(text: string): boolean {
  const first = /^[\s]*(.)/.exec(text.length > 64 ? text.slice(0, 64) : text)?.[1];
  if (first !== '{' && first !== '[') return false;
  return parsesAsJson(text);
}

export function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // SyntaxError, or RangeError when nested deeper than the engine allows.
    return false;
  }
}

/** Deepest indentation the pretty-printer writes; deeper levels stay at this indent. */
const PRETTY_MAX_INDENT = 64;

/**
 * JSON pretty-printed with two-space indents, without recursion, stopping after `maxChars`
 * (the result then ends with "\n…"). Used for the diff.
 */
export function prettyJson(text: string, maxChars: number): { text: string; cut: boolean } {
  const scanner = new JsonScanner(text);
  const out: string[] = [];
  let size = 0;
  let depth = 0;
  const push = (s: string) => {
    out.push(s);
    size += s.length;
  };
  const newline = () => push(`\n${'  '.repeat(Math.min(depth, PRETTY_MAX_INDENT))}`);
  for (let t = scanner.next(); t !== undefined; t = scanner.next()) {
    if (size > maxChars) return { text: `${out.join('').slice(0, maxChars)}\n…`, cut: true };
    switch (t.kind) {
      case 'open': {
        const after = scanner.peek();
        if (after?.kind === 'close') {
          scanner.next();
          push(t.text + after.text);
        } else {
          push(t.text);
          depth++;
          newline();
        }
        break;
      }
      case 'close':
        depth = Math.max(0, depth - 1);
        newline();
        push(t.text);
        break;
      case 'colon':
        push(': ');
        break;
      case 'comma':
        push(',');
        newline();
        break;
      default:
        push(t.text);
    }
  }
  const result = out.join('');
  return result.length > maxChars
    ? { text: `${result.slice(0, maxChars)}\n…`, cut: true }
    : { text: result, cut: false };
}
