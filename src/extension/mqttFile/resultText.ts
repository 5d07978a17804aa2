/**
 * How a block's result reads in the editor: the one-line text after its request line
 * ("✓ passed · 12 ms") and the Markdown of the hover over it (the reason, then expected vs
 * received as a diff). Device text is shown as text: invisible characters marked, and in the
 * Markdown only inside code fences longer than any run of backticks it holds. Pure, so unit
 * tests read it without VS Code; the words come through a `Translator` (vscode.l10n).
 */
import type { BlockResult } from '../../core/mqttFile/runTypes';
import type { Translator } from '../../host/webviewChannel';
import { visibleLine, visibleLines } from '../../shared/visibleText';

/** The longest reason shown after a line; the hover shows all of it. */
const MAX_INLINE_REASON = 120;
/** The most of expected or received text a hover shows. */
const MAX_HOVER_TEXT = 4_000;

export function inlineResultText(result: BlockResult, l10n: Translator): string {
  const ms = Math.round(result.latencyMs ?? result.durationMs);
  if (result.status === 'skipped') return l10n.t('– skipped');
  if (result.status === 'failed') {
    const reason = firstLine(result.message ?? l10n.t('failed'));
    return l10n.t('✗ failed: {0}', visibleLine(reason, MAX_INLINE_REASON));
  }
  const { block } = result;
  if (block.kind === 'publish') {
    const count = result.messages ?? 1;
    return count > 1
      ? l10n.t('✓ published {0} · QoS {1} · {2} ms', count, block.message.qos, ms)
      : l10n.t('✓ published · QoS {0} · {1} ms', block.message.qos, ms);
  }
  if (block.kind === 'expect' || block.kind === 'request') return l10n.t('✓ passed · {0} ms', ms);
  return l10n.t('✓ done · {0} ms', ms);
}

/**
 * The hover's Markdown: the outcome, the reason as text, and the expected and received values
 * as a diff (`-` expected, `+` received). Meant for a MarkdownString that is neither trusted nor
 * allowed HTML.
 */
export function resultHoverMarkdown(result: BlockResult, l10n: Translator): string {
  // A reason is shown whole below a short heading, rather than cut in the heading.
  const reason = result.status !== 'passed' ? result.message : undefined;
  const heading =
    reason === undefined
      ? inlineResultText(result, l10n)
      : result.status === 'failed'
        ? l10n.t('✗ failed')
        : l10n.t('– skipped');
  const parts = [`**${escapeMarkdown(heading)}**`];
  if (reason) parts.push(escapeMarkdown(visibleLines(cap(reason))));
  if (result.expected !== undefined || result.actual !== undefined) {
    parts.push(escapeMarkdown(l10n.t('Expected (-) and received (+):')));
    parts.push(fenced(diffText(result.expected, result.actual), 'diff'));
  }
  if (result.seqs?.length)
    parts.push(escapeMarkdown(l10n.t('{0} message(s) in the Message Log', result.seqs.length)));
  return parts.join('\n\n');
}

/** `-` lines for the expected text, `+` lines for the received one. */
export function diffText(expected: string | undefined, actual: string | undefined): string {
  const lines = (text: string | undefined, mark: string) =>
    text === undefined
      ? []
      : visibleLines(cap(text))
          .split('\n')
          .map((l) => `${mark} ${l}`);
  return [...lines(expected, '-'), ...lines(actual, '+')].join('\n');
}

/** A code fence that the text cannot close: one backtick longer than its longest run. */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Markdown's special characters escaped, so text shows as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

function cap(text: string): string {
  return text.length > MAX_HOVER_TEXT ? `${text.slice(0, MAX_HOVER_TEXT)}…` : text;
}
