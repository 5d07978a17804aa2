/**
 * The detail pane's diff with the previous message on the same topic: both payloads as
 * formatted JSON, text or hex dumps, a summary of what the comparison covers, and the lines.
 */
import type { LogDetail } from '../../protocol/messageLog';
import { DETAIL_PREVIEW_BYTES } from '../../protocol/messageLog';
import { DIFF_MAX_CHARS, lineDiff, withContext } from './diff';
import { el } from './dom';
import { decodeUtf8 } from '../../shared/utf8';
import { hexDumpText } from '../../shared/hex';
import { formatBytes } from '../../shared/byteSize';
import { formatDateTime } from '../../shared/clockTime';
import { parsesAsJson, prettyJson } from './json';
import { l10n } from './l10n';
import { DiffView, type Progressive } from './payloadViews';

/** How a payload is shown in the detail pane. */
export type Shown = 'text' | 'json' | 'hex';

/**
 * Renders the diff of `d` with `d.previous` into `box`; returns the lines still to render, or
 * undefined when the payloads differ too much to compare line by line.
 */
export function renderDiff(
  box: HTMLElement,
  d: LogDetail,
  view: Shown,
  wrap: boolean,
): Progressive | undefined {
  const prev = d.previous!;
  const current = diffSide(d.payload, d.truncated, view);
  const before = diffSide(prev.payload, prev.truncated, view);
  const result = lineDiff(before.text, current.text);
  const notes: string[] = [
    l10n.t('Compared with seq {0} ({1})', prev.seq, formatDateTime(prev.time)),
  ];
  if (current.kind === 'json') notes.push(l10n.t('as formatted JSON'));
  if (current.kind === 'hex') notes.push(l10n.t('as hex dumps'));
  if (result.cut || current.cut || before.cut)
    notes.push(l10n.t('limited to the first {0} of each', formatBytes(DIFF_MAX_CHARS)));
  if (d.truncated || prev.truncated)
    notes.push(l10n.t('payloads cut at {0}', formatBytes(DETAIL_PREVIEW_BYTES)));
  const summary = el('div', 'payload-notice diff-summary');
  summary.textContent = `${notes.join(', ')}. `;
  if (!result.lines) {
    summary.appendChild(
      document.createTextNode(l10n.t('The payloads differ too much to compare line by line.')),
    );
    box.appendChild(summary);
    return undefined;
  }
  const counts = el('span', 'diff-counts');
  counts.append(
    el('span', 'diff-count-add', `+${result.added}`),
    document.createTextNode(' '),
    el('span', 'diff-count-del', `−${result.removed}`),
  );
  summary.appendChild(counts);
  if (result.added === 0 && result.removed === 0)
    summary.appendChild(document.createTextNode(` ${l10n.t('Identical.')}`));
  box.appendChild(summary);
  return new DiffView(withContext(result.lines), box, wrap);
}

/** One side of the diff as text: formatted JSON, the text, or a hex dump. */
function diffSide(
  bytes: Uint8Array,
  truncated: boolean,
  view: Shown,
): { text: string; cut: boolean; kind: Shown } {
  const text = decodeUtf8(bytes, truncated);
  if (view !== 'hex' && text !== undefined) {
    if (view === 'json' && !truncated && parsesAsJson(text)) {
      const pretty = prettyJson(text, DIFF_MAX_CHARS);
      return { text: pretty.text, cut: pretty.cut, kind: 'json' };
    }
    return { text, cut: text.length > DIFF_MAX_CHARS, kind: 'text' };
  }
  const max = Math.floor(DIFF_MAX_CHARS / 76) * 16;
  return { text: hexDumpText(bytes, max), cut: bytes.byteLength > max, kind: 'hex' };
}
