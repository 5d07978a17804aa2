/**
 * JSON for the detail pane, without recursion: a scanner over the text (so numbers, key order
 * and duplicate keys show as they were sent), an iterative pretty-printer (for the diff) and an
 * iterative, resumable DOM renderer with folding, a depth cap and a line budget, so JSON nested
 * 10,000 deep or 10 MB large neither overflows the stack nor freezes the page.
 */
import { el } from './dom';
import { l10n } from './l10n';
import { appendVisible } from './visible';

export type JsonTokenKind =
  'open' | 'close' | 'colon' | 'comma' | 'string' | 'number' | 'literal' | 'invalid';

export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
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

export interface JsonRenderLimits {
  /** Lines created per call of renderMore(). */
  linesPerChunk: number;
  /** Object/array levels shown; deeper values are replaced by a "…" marker. */
  maxDepth: number;
  /** Longest string or number shown in full. */
  maxTokenChars: number;
}

export const DEFAULT_JSON_LIMITS: JsonRenderLimits = {
  linesPerChunk: 2000,
  maxDepth: 32,
  maxTokenChars: 10_000,
};

interface Frame {
  close: string;
  /** The div holding this level's lines. */
  children: HTMLElement;
  block: HTMLElement | undefined;
  summary: HTMLElement | undefined;
  count: number;
  expectKey: boolean;
  /** The line a following comma is appended to. */
  lastLine: HTMLElement | undefined;
  /** The folded summary of the block that just closed: it shows the comma too. */
  lastSummary: HTMLElement | undefined;
}

/**
 * Renders JSON text as foldable, coloured lines into `root`, a chunk at a time. Objects and
 * arrays are nested blocks: a header line with a fold toggle, the children, a closing line.
 */
export class JsonRenderer {
  private readonly scanner: JsonScanner;
  private readonly stack: Frame[] = [];
  private pendingKey: string | undefined;
  private done = false;
  private chipBudget = { left: 2000 };
  /** Lines created so far. */
  lines = 0;

  constructor(
    text: string,
    root: HTMLElement,
    private readonly limits: JsonRenderLimits = DEFAULT_JSON_LIMITS,
  ) {
    this.scanner = new JsonScanner(text);
    root.classList.add('json');
    this.stack.push({
      close: '',
      children: root,
      block: undefined,
      summary: undefined,
      count: 0,
      expectKey: false,
      lastLine: undefined,
      lastSummary: undefined,
    });
    root.addEventListener('click', onToggleClick);
  }

  get finished(): boolean {
    return this.done;
  }

  /** Renders up to linesPerChunk more lines; returns whether anything is left. */
  renderMore(): boolean {
    let budget = this.limits.linesPerChunk;
    while (budget > 0 && !this.done) {
      const t = this.scanner.next();
      if (t === undefined) {
        this.done = true;
        break;
      }
      const frame = this.stack[this.stack.length - 1];
      switch (t.kind) {
        case 'colon':
          break;
        case 'comma':
          frame.lastLine?.appendChild(punct(','));
          frame.lastSummary?.appendChild(document.createTextNode(','));
          frame.lastSummary = undefined;
          if (frame.close === '}') frame.expectKey = true;
          break;
        case 'close': {
          if (this.stack.length === 1) {
            frame.lastLine = this.line(frame, [punct(t.text)]);
            budget--;
            break;
          }
          this.stack.pop();
          const parent = this.stack[this.stack.length - 1];
          const closing = this.line(undefined, [punct(t.text)]);
          frame.block!.appendChild(closing);
          const noun = frame.close === '}' ? 'key' : 'item';
          frame.summary!.textContent = ` … ${frame.count} ${noun}${frame.count === 1 ? '' : 's'} ${t.text}`;
          parent.lastLine = closing;
          parent.lastSummary = frame.summary;
          budget--;
          break;
        }
        case 'string':
          if (frame.expectKey) {
            this.pendingKey = t.text;
            frame.expectKey = false;
            break;
          }
          this.value(frame, t);
          budget--;
          break;
        case 'open': {
          const key = this.takeKey(frame);
          frame.count++;
          const after = this.scanner.peek();
          if (after?.kind === 'close') {
            this.scanner.next();
            frame.lastLine = this.line(frame, [...key, punct(t.text + after.text)]);
          } else if (this.stack.length > this.limits.maxDepth) {
            this.skipNested();
            const marker = el('span', 'json-ellipsis', `${t.text} … ${t.text === '{' ? '}' : ']'}`);
            marker.title = l10n.t(
              'Nested deeper than {0} levels: use the Text view to see it',
              this.limits.maxDepth,
            );
            frame.lastLine = this.line(frame, [...key, marker]);
          } else {
            this.openBlock(frame, key, t.text);
          }
          budget--;
          break;
        }
        default:
          this.value(frame, t);
          budget--;
      }
    }
    return !this.done;
  }

  private takeKey(frame: Frame): Node[] {
    if (this.pendingKey === undefined || frame.close !== '}') return [];
    const key = el('span', 'json-key');
    this.appendToken(key, this.pendingKey);
    this.pendingKey = undefined;
    return [key, punct(': ')];
  }

  private value(frame: Frame, t: JsonToken): void {
    const key = this.takeKey(frame);
    frame.count++;
    const cls =
      t.kind === 'string'
        ? 'json-string'
        : t.kind === 'number'
          ? 'json-number'
          : t.text === 'true' || t.text === 'false'
            ? 'json-boolean'
            : t.text === 'null'
              ? 'json-null'
              : 'json-invalid';
    const span = el('span', cls);
    this.appendToken(span, t.text);
    frame.lastLine = this.line(frame, [...key, span]);
  }

  private appendToken(span: HTMLElement, text: string): void {
    const max = this.limits.maxTokenChars;
    appendVisible(span, text.length > max ? text.slice(0, max) : text, {
      chipBudget: this.chipBudget,
    });
    if (text.length > max) {
      const more = el(
        'span',
        'json-ellipsis',
        ` … ${l10n.t('{0} more characters', text.length - max)}`,
      );
      span.appendChild(more);
    }
  }

  private openBlock(frame: Frame, key: Node[], open: string): void {
    const block = el('div', 'json-block');
    const toggle = el('span', 'json-toggle', '▾');
    toggle.setAttribute('role', 'button');
    toggle.setAttribute('aria-expanded', 'true');
    toggle.setAttribute('aria-label', l10n.t('Fold'));
    toggle.title = l10n.t('Fold');
    const summary = el('span', 'json-summary', ' … ');
    const header = this.line(undefined, [toggle, ...key, punct(open), summary]);
    header.classList.add('json-header');
    const children = el('div', 'json-children');
    block.append(header, children);
    frame.children.appendChild(block);
    frame.lastLine = header;
    this.stack.push({
      close: open === '{' ? '}' : ']',
      children,
      block,
      summary,
      count: 0,
      expectKey: open === '{',
      lastLine: undefined,
      lastSummary: undefined,
    });
  }

  /** Skips the tokens of the value just opened, keeping count of nesting (no recursion). */
  private skipNested(): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.scanner.next();
      if (t === undefined) break;
      if (t.kind === 'open') depth++;
      else if (t.kind === 'close') depth--;
    }
  }

  private line(frame: Frame | undefined, parts: Node[]): HTMLElement {
    const line = el('div', 'json-line');
    line.append(...parts);
    if (frame) {
      frame.children.appendChild(line);
      frame.lastSummary = undefined;
    }
    this.lines++;
    return line;
  }
}

function punct(text: string): HTMLSpanElement {
  return el('span', 'json-punct', text);
}

function onToggleClick(event: Event): void {
  const target = event.target as HTMLElement | null;
  if (!target || !target.classList.contains('json-toggle')) return;
  const block = target.closest('.json-block');
  if (!block) return;
  const folded = block.classList.toggle('folded');
  target.textContent = folded ? '▸' : '▾';
  target.setAttribute('aria-expanded', folded ? 'false' : 'true');
  target.setAttribute('aria-label', folded ? l10n.t('Unfold') : l10n.t('Fold'));
  target.title = folded ? l10n.t('Unfold') : l10n.t('Fold');
}
