/**
 * Line diff between the selected message and the previous one on the same topic, with jsdiff
 * (npm `diff`) doing the diff. Inputs are capped, and so is the time jsdiff may take.
 */
import { diffLines } from 'diff';

/** Characters of each side that are diffed. */
export const DIFF_MAX_CHARS = 64 * 1024;
const DIFF_TIMEOUT_MS = 1500;

export type DiffLineKind = 'add' | 'del' | 'same';
export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export interface DiffResult {
  /** undefined when jsdiff gave up (too many differences in the time allowed). */
  lines: DiffLine[] | undefined;
  added: number;
  removed: number;
  /** Either side was longer than DIFF_MAX_CHARS and was cut. */
  cut: boolean;
}

export function lineDiff(before: string, after: string): DiffResult {
  const cut = before.length > DIFF_MAX_CHARS || after.length > DIFF_MAX_CHARS;
  const a = withNewline(before.slice(0, DIFF_MAX_CHARS));
  const b = withNewline(after.slice(0, DIFF_MAX_CHARS));
  const changes = diffLines(a, b, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return { lines: undefined, added: 0, removed: 0, cut };
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    const kind: DiffLineKind = change.added ? 'add' : change.removed ? 'del' : 'same';
    const parts = change.value.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const text of parts) lines.push({ kind, text });
    if (kind === 'add') added += parts.length;
    if (kind === 'del') removed += parts.length;
  }
  return { lines, added, removed, cut };
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

export type DiffHunkItem = DiffLine | { kind: 'skip'; count: number };

/** Keeps `context` unchanged lines around each change and folds the rest into "skip" items. */
export function withContext(lines: DiffLine[], context = 3): DiffHunkItem[] {
  const keep = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].kind === 'same') continue;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++)
      keep[j] = 1;
  }
  const out: DiffHunkItem[] = [];
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    if (keep[i]) {
      if (skipped) out.push({ kind: 'skip', count: skipped });
      skipped = 0;
      out.push(lines[i]);
    } else skipped++;
  }
  if (skipped) out.push({ kind: 'skip', count: skipped });
  return out;
}
