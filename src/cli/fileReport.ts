/**
 * What the reporters are given about one `.mqtt` file: its blocks' results, or the errors that
 * kept it from running, and a label per block (its title, or its request line as written).
 */
import type { MqttBlock } from '../core/mqttFile/mqttFileAst';
import { isTestBlock } from '../core/mqttFile/mqttFileAst';
import type { BlockResult, FileResult } from '../core/mqttFile/runTypes';
import { visibleLine } from '../shared/visibleText';

/** A mistake that kept the file (or part of it) from running; line and column are 1-based. */
export interface FileError {
  line: number;
  column: number;
  message: string;
}

export interface FileReport {
  /** The file as the user named it (relative to the working folder). */
  path: string;
  /** Parse errors, or why the file could not be read. The file fails when there is one. */
  errors: FileError[];
  /** Absent when the file did not run (errors). */
  result?: FileResult;
  durationMs: number;
}

export const MAX_LABEL_CHARS = 200;

/** The block's title, or its request line as written (device-safe, one line, bounded). */
export function blockLabel(block: MqttBlock, sourceLines: readonly string[]): string {
  const text = block.title || sourceLines[block.requestRange.line]?.trim() || block.kind;
  return visibleLine(text, MAX_LABEL_CHARS);
}

/** `file:line:col: message`, the form editors and CI logs link to. */
export function errorLine(path: string, error: FileError): string {
  return `${path}:${error.line}:${error.column}: ${error.message}`;
}

export interface Counts {
  testsPassed: number;
  testsFailed: number;
  testsSkipped: number;
  stepsPassed: number;
  stepsFailed: number;
  filesFailed: number;
}

export function countResults(reports: readonly FileReport[]): Counts {
  const counts: Counts = {
    testsPassed: 0,
    testsFailed: 0,
    testsSkipped: 0,
    stepsPassed: 0,
    stepsFailed: 0,
    filesFailed: 0,
  };
  for (const report of reports) {
    if (!filePassed(report)) counts.filesFailed++;
    for (const r of report.result?.results ?? []) {
      if (isTestBlock(r.block)) {
        if (r.status === 'passed') counts.testsPassed++;
        else if (r.status === 'failed') counts.testsFailed++;
        else counts.testsSkipped++;
      } else if (r.status === 'passed') counts.stepsPassed++;
      else if (r.status === 'failed') counts.stepsFailed++;
    }
  }
  return counts;
}

export function filePassed(report: FileReport): boolean {
  if (report.errors.length > 0 || !report.result) return false;
  return (
    report.result.passed &&
    !report.result.cancelled &&
    report.result.results.every((r) => r.status !== 'failed')
  );
}

/** A result's words for a report: why it failed or was skipped. */
export function resultMessage(result: BlockResult): string {
  return result.message ?? (result.status === 'failed' ? 'failed' : '');
}
