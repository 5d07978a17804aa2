/**
 * The one place the editor runs a `.mqtt` file (CodeLens, commands and the Testing view all call
 * `run`): it parses the document, takes the chosen environment, builds the run's clients and
 * values, runs the file with the core's runner, writes a line per block to the output channel
 * (secrets hidden), links the rows the run logged to their blocks, and announces the result.
 * One run per document at a time; a second is refused with a message offering to stop the first.
 */
import * as vscode from 'vscode';
import { parseMqttFile } from '../../core/mqttFile/parser';
import { runMqttFile } from '../../core/mqttFile/runner';
import type { BlockResult, FileResult, RunReporter } from '../../core/mqttFile/runTypes';
import { realScheduler, type Logger } from '../../core/ports';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { showError, showWarning } from '../notify';
import { BlockOrigins } from './blockOrigins';
import { editorRunClients } from './editorRunClients';
import type { MqttEnvironments } from './mqttEnvironments';
import { RunSecrets, readBesideFile } from './runValues';
import { describeResult } from './runLogLines';

export interface MqttFileRunOptions {
  /** Run only these test blocks (by index), and every step. */
  only?: number[];
  token?: vscode.CancellationToken;
  reporter?: RunReporter;
  /** Run only these blocks (by index) of the file, e.g. one PUBLISH block. */
  blocks?: number[];
}

/** A block of a run ended. */
export interface BlockEnded {
  uri: vscode.Uri;
  result: BlockResult;
  options: MqttFileRunOptions;
}

export interface MqttFileRunDeps {
  sessions: SessionManager;
  environments: MqttEnvironments;
  secrets: vscode.SecretStorage;
  logger: Logger;
  active(): MqttSession | undefined;
  connect(session: MqttSession): Promise<boolean>;
  /** Runs Stop for a document (the button of the "already running" message). */
  stop(uri: vscode.Uri): void;
}

export class MqttFileRuns implements vscode.Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly didRun = new vscode.EventEmitter<{ uri: vscode.Uri; result: FileResult }>();
  private readonly didChangeRunning = new vscode.EventEmitter<vscode.Uri>();
  private readonly didEndBlock = new vscode.EventEmitter<BlockEnded>();
  private readonly didStart = new vscode.EventEmitter<{
    uri: vscode.Uri;
    options: MqttFileRunOptions;
  }>();
  /** A run starts, with its options. */
  readonly onDidStart = this.didStart.event;
  /** Each block's result as it ends, with the options of its run. */
  readonly onDidEndBlock: vscode.Event<BlockEnded> = this.didEndBlock.event;
  /** Which block each logged row came from (bounded). */
  readonly origins = new BlockOrigins();
  readonly onDidRun: vscode.Event<{ uri: vscode.Uri; result: FileResult }> = this.didRun.event;
  /** A run of this document started or ended. */
  readonly onDidChangeRunning: vscode.Event<vscode.Uri> = this.didChangeRunning.event;

  constructor(private readonly deps: MqttFileRunDeps) {}

  isRunning(uri: vscode.Uri): boolean {
    return this.running.has(uri.toString());
  }

  /** Stops the run of `uri` (every run when absent); whether one was running. */
  stop(uri?: vscode.Uri): boolean {
    const runs = uri ? [this.running.get(uri.toString())] : [...this.running.values()];
    let stopped = false;
    for (const run of runs) {
      if (!run || run.signal.aborted) continue;
      run.abort();
      stopped = true;
    }
    return stopped;
  }

  async run(
    document: vscode.TextDocument,
    options: MqttFileRunOptions = {},
  ): Promise<FileResult | undefined> {
    const key = document.uri.toString();
    const name = fileName(document.uri);
    if (!vscode.workspace.isTrusted) {
      void showError(
        vscode.l10n.t('MQTT: .mqtt files run only in a trusted workspace ({0} not run).', name),
      );
      return undefined;
    }
    if (this.running.has(key)) {
      const stop = vscode.l10n.t('Stop');
      void showWarning(
        vscode.l10n.t('MQTT: {0} is already running; stop that run first.', name),
        stop,
      ).then((choice) => {
        if (choice === stop) this.deps.stop(document.uri);
      });
      return undefined;
    }
    const abort = new AbortController();
    this.running.set(key, abort);
    this.didStart.fire({ uri: document.uri, options });
    this.didChangeRunning.fire(document.uri);
    const cancelled = options.token?.onCancellationRequested(() => abort.abort());
    if (options.token?.isCancellationRequested) abort.abort();
    const secrets = new RunSecrets(this.deps.secrets);
    let clients: ReturnType<typeof editorRunClients> | undefined;
    try {
      const parsed = parseMqttFile(document.getText());
      const { blocks } = options;
      const file = blocks
        ? { ...parsed, blocks: parsed.blocks.filter((b) => blocks.includes(b.index)) }
        : parsed;
      const chosen = await this.deps.environments.forDocument(document.uri);
      clients = editorRunClients(
        {
          sessions: this.deps.sessions,
          active: () => this.deps.active(),
          connect: (s) => this.deps.connect(s),
          password: (reference) => expandPasswordReference(reference, secrets),
        },
        chosen,
      );
      const where = chosen ? `environment "${chosen.name}"` : 'the active connection';
      this.deps.logger.info(`[${name}] run started on ${where}`);
      const result = await runMqttFile(file, {
        clients,
        scheduler: realScheduler,
        variables: chosen?.environment.variables ?? {},
        env: (n) => {
          // An environment variable may hold a password: hidden from log lines too.
          const value = process.env[n];
          secrets.remember(value);
          return value;
        },
        secret: (n) => secrets.get(n),
        readFile: (p) => readBesideFile(document.uri, p),
        only: options.only,
        signal: abort.signal,
        reporter: {
          blockStarted: (block) => options.reporter?.blockStarted?.(block),
          blockEnded: (r) => {
            this.deps.logger.info(secrets.redact(`[${name}] ${describeResult(r)}`));
            this.didEndBlock.fire({ uri: document.uri, result: r, options });
            options.reporter?.blockEnded?.(r);
          },
        },
      });
      this.deps.logger.info(
        `[${name}] run ${result.cancelled ? 'stopped' : result.passed ? 'passed' : 'failed'} in ${Math.round(result.durationMs)} ms`,
      );
      this.origins.addResults(key, result.results);
      this.didRun.fire({ uri: document.uri, result });
      return result;
    } catch (error) {
      const message = secrets.redact((error as Error).message);
      this.deps.logger.error(`[${name}] run failed: ${message}`);
      void showError(vscode.l10n.t('MQTT: {0} did not run. {1}', name, message));
      return undefined;
    } finally {
      cancelled?.dispose();
      await clients?.closeAll().catch(() => undefined);
      this.running.delete(key);
      this.didChangeRunning.fire(document.uri);
    }
  }

  dispose(): void {
    this.stop();
    this.didRun.dispose();
    this.didEndBlock.dispose();
    this.didStart.dispose();
    this.didChangeRunning.dispose();
  }
}

/** `{{$env NAME}}` or `{{$secret NAME}}`, as an environment's password is written. */
async function expandPasswordReference(
  reference: string,
  secrets: RunSecrets,
): Promise<string | undefined> {
  const match = /^\{\{\s*\$(env|secret)\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$/.exec(reference);
  if (!match) return undefined;
  const value = match[1] === 'env' ? process.env[match[2]] : await secrets.get(match[2]);
  secrets.remember(value);
  return value;
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
