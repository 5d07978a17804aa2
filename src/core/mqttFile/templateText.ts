/**
 * The text of a template: literal runs, `{{…}}` expansions and the one escape, `\{{` for a
 * literal `{{` (any other backslash is itself). Scanning is linear; an expansion ends at the
 * first `}}` on its line.
 */
import type { SourceRange, Template } from './mqttFileAst';

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `inner` is the text between the braces; `start`/`end` are offsets of `{{` and after `}}`. */
  | { kind: 'expansion'; inner: string; start: number; end: number }
  /** A `{{` with no `}}` after it on its line. */
  | { kind: 'unclosed'; start: number; end: number };

export function scanTemplate(raw: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  let close = -1;
  while (i < raw.length) {
    const open = raw.indexOf('{{', i);
    if (open < 0) {
      text += raw.slice(i);
      break;
    }
    if (open > i && raw.charCodeAt(open - 1) === 92 /* \ */) {
      text += raw.slice(i, open - 1) + '{{';
      i = open + 2;
      continue;
    }
    text += raw.slice(i, open);
    close = nextClose(raw, open + 2, close);
    const lineEnd = raw.indexOf('\n', open + 2);
    if (close < 0 || (lineEnd >= 0 && lineEnd < close)) {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      const end = lineEnd < 0 ? raw.length : lineEnd;
      parts.push({ kind: 'unclosed', start: open, end });
      i = end;
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({
      kind: 'expansion',
      inner: raw.slice(open + 2, close),
      start: open,
      end: close + 2,
    });
    i = close + 2;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

const NONE = -2;

/**
 * The first `}}` at or after `from`, or a negative number when there is none. `known` is the
 * answer of an earlier search from before `from` (-1: none made): still the answer when it lies
 * at or after `from` or there was none, so a body of many unclosed `{{` lines is not scanned to
 * its end once per line.
 */
export function nextClose(raw: string, from: number, known: number): number {
  if (known === NONE || known >= from) return known;
  const found = raw.indexOf('}}', from);
  return found < 0 ? NONE : found;
}

/** Whether the template has an expansion (so its value is known only when it runs). */
export function hasExpansion(raw: string): boolean {
  if (!raw.includes('{{')) return false;
  return scanTemplate(raw).some((p) => p.kind !== 'text');
}

/** The literal value of a template without expansions (`\{{` read as `{{`). */
export function literalText(raw: string): string {
  if (!raw.includes('\\{{')) return raw;
  return scanTemplate(raw)
    .map((p) => (p.kind === 'text' ? p.text : ''))
    .join('');
}

/** Writes literal text so that a template reads it back: every `{{` becomes `\{{`. */
export function escapeLiteral(text: string): string {
  return text.replaceAll('{{', '\\{{');
}

/** The range of `raw[start, end)` of a template (lines counted in the raw text). */
export function subRange(template: Template, start: number, end: number): SourceRange {
  const from = position(template, start);
  const to = position(template, end);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

const lineStartsOf = new WeakMap<Template, number[]>();

/** Offsets where the template's lines start, found once per template. */
function lineStarts(template: Template): number[] {
  let starts = lineStartsOf.get(template);
  if (!starts) {
    starts = [0];
    const { raw } = template;
    for (let nl = raw.indexOf('\n'); nl >= 0; nl = raw.indexOf('\n', nl + 1)) starts.push(nl + 1);
    lineStartsOf.set(template, starts);
  }
  return starts;
}

function position(template: Template, offset: number): { line: number; column: number } {
  const { raw, range } = template;
  const clamped = Math.max(0, Math.min(offset, raw.length));
  const starts = lineStarts(template);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= clamped) lo = mid;
    else hi = mid - 1;
  }
  const column = lo === 0 ? range.column + clamped : clamped - starts[lo];
  return { line: range.line + lo, column };
}
