/**
 * The one renderer of structured payloads in the detail pane: tokens (from JSON text as sent, or
 * from a decoded value tree, src/webview/messageLog/decodedTokens.ts) become foldable, coloured
 * lines, without recursion, a chunk at a time, with a depth cap and a line budget, so JSON nested
 * 10,000 deep or 10 MB large neither overflows the stack nor freezes the page.
 */
import { el } from './dom';
import { formatBytes } from '../../shared/byteSize';
import type { JsonToken } from './json';
import { l10n } from './l10n';
import { appendVisible } from './visible';

/** Where tokens come from: a `JsonScanner` over text, or `DecodedTokens` over a value tree. */
export interface TokenSource {
  next(): JsonToken | undefined;
  peek(): JsonToken | undefined;
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
 * Renders tokens as foldable, coloured lines into `root`, a chunk at a time. Objects and
 * arrays are nested blocks: a header line with a fold toggle, the children, a closing line.
 */
export class TreeRenderer {
  private readonly stack: Frame[] = [];
  private pendingKey: string | undefined;
  private done = false;
  private chipBudget = { left: 2000 };
  /** Lines created so far. */
  lines = 0;

  constructor(
    private readonly scanner: TokenSource,
    root: HTMLElement,
    private readonly limits: JsonRenderLimits = DEFAULT_JSON_LIMITS,
  ) {
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
    const span = el('span', valueClass(t));
    if (t.size !== undefined)
      span.appendChild(el('span', 'json-bytes-size', `${formatBytes(t.size)} `));
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

function valueClass(t: JsonToken): string {
  switch (t.kind) {
    case 'string':
      return 'json-string';
    case 'number':
      return 'json-number';
    case 'bytes':
      return 'json-bytes';
    case 'cut':
      return 'json-ellipsis';
    case 'literal':
      if (t.text === 'true' || t.text === 'false') return 'json-boolean';
      return t.text === 'null' ? 'json-null' : 'json-invalid';
    default:
      return 'json-invalid';
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
