/**
 * One file's part of a Testing-view run: runs the file (whole, or only the chosen tests) through
 * the editor's runner and reports each test block's result on its test item: passed with its
 * duration, failed with the message at the request line and the expected/received diff, errored
 * for an invalid block or a file that cannot run, skipped when not run.
 */
import * as vscode from 'vscode';
import type { BlockResult, FileResult, RunReporter } from '../../core/mqttFile/runTypes';
import { toRange } from './mqttFileRanges';
import { visibleLine } from '../../shared/visibleText';

/** At most this much of a result's message goes into the run's output line. */
const MAX_OUTPUT_MESSAGE = 500;

/** The editor's one way to run a `.mqtt` file (`MqttFileRuns`). */
export interface MqttFileRunner {
  run(
    document: vscode.TextDocument,
    options: { only?: number[]; token?: vscode.CancellationToken; reporter?: RunReporter },
  ): Promise<FileResult | undefined>;
}

export type TestState = 'enqueued' | 'started' | 'passed' | 'failed' | 'errored' | 'skipped';

export interface RecordedState {
  state: TestState;
  message?: string;
  durationMs?: number;
  /** A mismatch's expected and received values (the Testing view shows their diff). */
  expected?: string;
  actual?: string;
}

export interface FileRunTarget {
  document: vscode.TextDocument;
  /** The test items to run and report, by block index. */
  tests: Map<number, vscode.TestItem>;
  /** Run every test block of the file (else only those of `tests`). */
  whole: boolean;
}

/** Runs one file and reports on `run`; `record` keeps each item's last state. */
export async function runFileTests(
  runner: MqttFileRunner,
  run: vscode.TestRun,
  target: FileRunTarget,
  token: vscode.CancellationToken,
  record: (item: vscode.TestItem, state: RecordedState) => void,
): Promise<void> {
  const { document, tests } = target;
  const reported = new Set<number>();
  const at = (result: BlockResult) =>
    new vscode.Location(document.uri, toRange(result.block.requestRange));
  for (const item of tests.values()) {
    run.enqueued(item);
    record(item, { state: 'enqueued' });
  }
  const report = (result: BlockResult) => {
    const item = tests.get(result.block.index);
    // A test not asked for was skipped by the runner: nothing to say about it.
    if ((!item && result.status === 'skipped') || reported.has(result.block.index)) return;
    reported.add(result.block.index);
    // No location: the editor already shows each result after its request line.
    run.appendOutput(`${outputLine(result)}\r\n`, undefined, item);
    if (item) reportResult(run, item, result, at(result), record);
  };
  const reporter: RunReporter = {
    blockStarted: (block) => {
      const item = tests.get(block.index);
      if (!item || reported.has(block.index)) return;
      run.started(item);
      record(item, { state: 'started' });
    },
    blockEnded: report,
  };
  const unreported = (state: 'errored' | 'skipped', message?: string) => {
    for (const [index, item] of tests) {
      if (reported.has(index)) continue;
      reported.add(index);
      if (state === 'errored') {
        const text = message ?? '';
        run.errored(item, new vscode.TestMessage(text));
        record(item, { state, message: text });
      } else {
        run.skipped(item);
        record(item, { state });
      }
    }
  };
  try {
    const result = await runner.run(document, {
      only: target.whole ? undefined : [...tests.keys()],
      token,
      reporter,
    });
    if (!result) {
      unreported(
        'errored',
        vscode.l10n.t(
          'The file did not run (no connection, an environment that is missing, or a run of it in progress): the notification and the MQTT Scope output say why.',
        ),
      );
      return;
    }
    for (const r of result.results) report(r);
    unreported('skipped');
  } catch (error) {
    unreported('errored', error instanceof Error ? error.message : String(error));
  }
}

function reportResult(
  run: vscode.TestRun,
  item: vscode.TestItem,
  result: BlockResult,
  location: vscode.Location,
  record: (item: vscode.TestItem, state: RecordedState) => void,
): void {
  const durationMs = result.durationMs;
  if (result.status === 'passed') {
    run.passed(item, durationMs);
    record(item, { state: 'passed', durationMs });
    return;
  }
  if (result.status === 'skipped') {
    run.skipped(item);
    record(item, { state: 'skipped', message: result.message });
    return;
  }
  const text = result.message ?? vscode.l10n.t('The test failed.');
  const message =
    result.expected !== undefined || result.actual !== undefined
      ? vscode.TestMessage.diff(text, result.expected ?? '', result.actual ?? '')
      : new vscode.TestMessage(text);
  message.location = location;
  if (result.block.invalid) {
    run.errored(item, message, durationMs);
    record(item, { state: 'errored', message: text, durationMs });
  } else {
    run.failed(item, message, durationMs);
    const { expected, actual } = result;
    record(item, { state: 'failed', message: text, durationMs, expected, actual });
  }
}

/** One line of the run's output per block; device text (in messages) shown as visible text. */
function outputLine(result: BlockResult): string {
  const { block } = result;
  const label = visibleLine(
    block.title || `${block.kind.toUpperCase()} (${block.requestRange.line + 1})`,
    200,
  );
  const ms = Math.round(result.durationMs);
  const message = visibleLine(result.message ?? '', MAX_OUTPUT_MESSAGE);
  if (result.status === 'passed') return vscode.l10n.t('passed: {0} ({1} ms)', label, ms);
  if (result.status === 'skipped') return vscode.l10n.t('skipped: {0} {1}', label, message);
  return vscode.l10n.t('failed: {0} ({1} ms): {2}', label, ms, message);
}
