/**
 * The readable report: a line per block as it ends (✓ passed, ✗ failed, - skipped, with its
 * latency), under a failure its reason and the diff of expected and received, and one summary
 * line. Colour only on a terminal without NO_COLOR. Device text is shown through the shared
 * visible-text rule, so a payload cannot move the cursor or recolour the terminal.
 */
import { diffLines } from 'diff';
import { isTestBlock } from '../core/mqttFile/mqttFileAst';
import type { BlockResult } from '../core/mqttFile/runTypes';
import { cutText, visibleLine, visibleLines } from '../shared/visibleText';
import { countResults, errorLine, resultMessage, type FileReport } from './fileReport';

/** At most this much of an expected or received value is shown. */
export const MAX_DIFF_CHARS = 4_000;

export interface Style {
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
export const COLOUR: Style = { green: ansi(32), red: ansi(31), dim: ansi(2), bold: ansi(1) };
export const PLAIN: Style = { green: (t) => t, red: (t) => t, dim: (t) => t, bold: (t) => t };

/** Colour when writing to a terminal and NO_COLOR is not set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  return stream.isTTY && !env.NO_COLOR ? COLOUR : PLAIN;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function fileHeader(path: string, style: Style): string {
  return style.bold(visibleLine(path));
}

/** The lines of one ended block: its status line, then for a failure the reason and diff. */
export function blockLines(result: BlockResult, label: string, style: Style): string[] {
  const mark =
    result.status === 'passed'
      ? style.green('✓')
      : result.status === 'failed'
        ? style.red('✗')
        : style.dim('-');
  const timing =
    result.latencyMs !== undefined
      ? ` (${formatDuration(result.latencyMs)})`
      : result.status === 'skipped'
        ? ''
        : style.dim(` (${formatDuration(result.durationMs)})`);
  const step = isTestBlock(result.block) ? '' : style.dim(' [step]');
  const lines = [`  ${mark} ${label}${step}${timing}`];
  const message = resultMessage(result);
  if (result.status === 'skipped') {
    if (message) lines[0] += style.dim(` — ${visibleLine(message, 300)}`);
    return lines;
  }
  if (result.status !== 'failed') return lines;
  for (const line of visibleLines(cutText(message, MAX_DIFF_CHARS)).split('\n')) {
    lines.push(`      ${style.red(line)}`);
  }
  if (result.expected !== undefined || result.actual !== undefined) {
    lines.push(...diffBlock(result.expected ?? '', result.actual ?? '', style));
  }
  return lines;
}

/** Expected and received as a line diff: `- expected`, `+ received`, unchanged lines indented. */
export function diffBlock(expected: string, actual: string, style: Style): string[] {
  const shown = (text: string) => {
    const cut = cutText(text, MAX_DIFF_CHARS);
    const visible = visibleLines(cut) + (cut.length < text.length ? '…' : '');
    return visible.endsWith('\n') ? visible : `${visible}\n`;
  };
  const lines = [`      ${style.red('- expected')}  ${style.green('+ received')}`];
  for (const change of diffLines(shown(expected), shown(actual))) {
    const prefix = change.added ? '+ ' : change.removed ? '- ' : '  ';
    const paint = change.added ? style.green : change.removed ? style.red : (t: string) => t;
    for (const line of change.value.replace(/\n$/, '').split('\n')) {
      lines.push(`      ${paint(prefix + line)}`);
    }
  }
  return lines;
}

/** The lines of a file that could not run: `file:line:col: message` per error. */
export function errorLines(report: FileReport, style: Style): string[] {
  return report.errors.map(
    (error) => `  ${style.red('✗')} ${visibleLine(errorLine(report.path, error), 2_000)}`,
  );
}

export function summaryLine(
  reports: readonly FileReport[],
  durationMs: number,
  style: Style,
): string {
  const c = countResults(reports);
  const tests = `tests: ${c.testsPassed} passed, ${c.testsFailed} failed, ${c.testsSkipped} skipped`;
  const steps = `steps: ${c.stepsPassed} passed, ${c.stepsFailed} failed`;
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  const failed = c.filesFailed > 0;
  const verdict = failed ? style.red(`FAILED (${c.filesFailed} of ${files})`) : style.green('OK');
  return `${verdict}  ${tests}; ${steps}; ${files} in ${formatDuration(durationMs)}`;
}

/**
 * Writes the console report as the run goes, blocks in file order: an EXPECT ends after the
 * PUBLISH it waits for, so a block's line waits until every block before it has ended.
 */
export class ConsoleReporter {
  private pending = new Map<number, string>();
  private next = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly style: Style,
  ) {}

  fileStarted(path: string): void {
    this.pending.clear();
    this.next = 0;
    this.write(`${fileHeader(path, this.style)}\n`);
  }

  blockEnded(result: BlockResult, label: string): void {
    this.pending.set(result.block.index, blockLines(result, label, this.style).join('\n'));
    for (let text = this.pending.get(this.next); text !== undefined;) {
      this.pending.delete(this.next);
      this.write(`${text}\n`);
      text = this.pending.get(++this.next);
    }
  }

  fileEnded(report: FileReport): void {
    for (const index of [...this.pending.keys()].sort((a, b) => a - b)) {
      this.write(`${this.pending.get(index)}\n`);
    }
    this.pending.clear();
    const lines = errorLines(report, this.style);
    if (report.result?.cancelled) lines.push(`  ${this.style.red('interrupted')}`);
    if (lines.length) this.write(`${lines.join('\n')}\n`);
  }

  summary(reports: readonly FileReport[], durationMs: number): void {
    this.write(`\n${summaryLine(reports, durationMs, this.style)}\n`);
  }
}
