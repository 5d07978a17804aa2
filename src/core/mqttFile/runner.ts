/**
 * Runs a parsed `.mqtt` file (docs/mqtt-files.md): blocks in file order; an EXPECT subscribes and
 * goes on in the background; a bare WAIT and the end of the file wait for every started EXPECT.
 * A block that cannot run fails with why and the run goes on. Cancelling (`signal`) stops at once:
 * what did not end is reported skipped. At the end every subscription and client is closed.
 */
import { isTestBlock, type MqttBlock, type MqttFile } from './mqttFileAst';
import { startExpectation, type RunningExpectation } from './expectation';
import { runPublish, sleep } from './repeatStep';
import { runRequest, type StepOutcome } from './requestStep';
import { RunClientPool, messageOf } from './runClientPool';
import { connectRequest } from './connectRequest';
import { at, RunError, RunScope } from './runScope';
import type { BlockResult, FileResult, RunMqttFile, RunOptions } from './runTypes';

const CANCELLED = 'The run was cancelled.';

export const runMqttFile: RunMqttFile = async (file, options) => {
  const run = new FileRun(file, options);
  try {
    return await run.run();
  } finally {
    await run.closeAll();
  }
};

class FileRun {
  private readonly results = new Map<number, BlockResult>();
  private readonly running = new Map<number, RunningExpectation>();
  private readonly scope: RunScope;
  private readonly pool: RunClientPool;
  private readonly startedAt: number;

  constructor(
    private readonly file: MqttFile,
    private readonly options: RunOptions,
  ) {
    this.scope = new RunScope(file, options);
    this.pool = new RunClientPool(options.clients);
    this.startedAt = options.scheduler.now();
  }

  async run(): Promise<FileResult> {
    const signal = this.options.signal;
    const onAbort = () => {
      for (const e of this.running.values()) e.stop(CANCELLED);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const setup = await this.setup();
      for (const block of this.file.blocks) {
        if (signal?.aborted) this.end(block, { status: 'skipped', message: CANCELLED }, this.now());
        else if (
          isTestBlock(block) &&
          this.options.only &&
          !this.options.only.includes(block.index)
        )
          this.end(block, { status: 'skipped', message: 'Not selected in this run.' }, this.now());
        else await this.runBlock(block, setup);
      }
      await this.waitForExpectations();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const results = this.file.blocks.map((b) => this.results.get(b.index)!);
    const cancelled = signal?.aborted === true;
    const result: FileResult = {
      results,
      passed: !cancelled && results.every((r) => r.status !== 'failed'),
      durationMs: this.now() - this.startedAt,
    };
    if (cancelled) result.cancelled = true;
    return result;
  }

  async closeAll(): Promise<void> {
    for (const e of this.running.values()) e.stop(CANCELLED);
    await Promise.all([...this.running.values()].map((e) => e.done));
    await this.pool.closeAll();
  }

  /** Secrets, asked for once; a failure there fails every block with it. */
  private async setup(): Promise<string | undefined> {
    try {
      // A host that asks the user for a secret may take a while: cancelling does not wait.
      await untilAborted(this.scope.resolveSecrets(this.file.blocks), this.options.signal);
      return undefined;
    } catch (error) {
      return messageOf(error);
    }
  }

  private async runBlock(block: MqttBlock, setupError: string | undefined): Promise<void> {
    const started = this.now();
    this.report(() => this.options.reporter?.blockStarted?.(block));
    if (block.invalid)
      return this.end(block, { status: 'failed', message: this.firstProblem(block) }, started);
    if (setupError) return this.end(block, { status: 'failed', message: setupError }, started);
    try {
      const work = block.kind === 'expect' ? this.startExpect(block, started) : this.step(block);
      const outcome = await untilAborted(work, this.options.signal);
      if (outcome === ABORTED) this.end(block, { status: 'skipped', message: CANCELLED }, started);
      else if (outcome) this.end(block, outcome, started);
    } catch (error) {
      this.end(block, { status: 'failed', message: messageOf(error) }, started);
    }
  }

  private async step(block: Exclude<MqttBlock, { kind: 'expect' }>): Promise<StepOutcome> {
    const { scheduler, signal } = this.options;
    switch (block.kind) {
      case 'publish':
        return runPublish(block, this.scope, await this.pool.clientFor(block), scheduler, signal);
      case 'request':
        return runRequest(block, this.scope, await this.pool.clientFor(block), scheduler);
      case 'wait':
        if (block.ms === undefined) await this.waitForExpectations();
        else await sleep(scheduler, block.ms, signal);
        return signal?.aborted ? { status: 'skipped', message: CANCELLED } : { status: 'passed' };
      case 'connect':
        await this.pool.connect(connectRequest(block, this.scope));
        return { status: 'passed' };
      case 'disconnect':
      case 'drop':
        await this.pool.close(block.name, block.kind === 'drop' ? 'DROP' : 'DISCONNECT');
        return { status: 'passed' };
    }
  }

  private async startExpect(
    block: Extract<MqttBlock, { kind: 'expect' }>,
    started: number,
  ): Promise<undefined> {
    const client = await this.pool.clientFor(block);
    const running = await startExpectation(block, this.scope, client, this.options.scheduler);
    if (this.options.signal?.aborted) {
      running.stop(CANCELLED);
      return;
    }
    this.running.set(block.index, running);
    void running.done.then((result) => {
      this.running.delete(block.index);
      this.end(block, { ...result, durationMs: undefined }, started);
    });
  }

  /** Until every started EXPECT has ended (cancelling ends them at once). */
  private async waitForExpectations(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()].map((e) => e.done));
      await Promise.resolve();
    }
  }

  private end(
    block: MqttBlock,
    outcome: StepOutcome & { durationMs?: number },
    started: number,
  ): void {
    const result: BlockResult = { ...outcome, block, durationMs: this.now() - started };
    // Secrets and environment values never reach a report, a hover or a JUnit file.
    for (const key of ['message', 'expected', 'actual'] as const) {
      const text = result[key];
      if (text !== undefined) result[key] = this.scope.mask(text);
    }
    this.results.set(block.index, result);
    this.report(() => this.options.reporter?.blockEnded?.(result));
  }

  private firstProblem(block: MqttBlock): string {
    const inside = (line: number) => line >= block.range.line && line <= block.range.endLine;
    const problem = this.file.problems.find((p) => p.severity === 'error' && inside(p.range.line));
    return problem ? at(problem.range, problem.message) : 'The block is invalid.';
  }

  /** A reporter that throws does not stop the run. */
  private report(call: () => void): void {
    try {
      call();
    } catch {
      // The run's results still carry everything the reporter missed.
    }
  }

  private now(): number {
    return this.options.scheduler.now();
  }
}

const ABORTED = Symbol('aborted');

/** The work's value, or ABORTED as soon as the signal fires (the work's failure is then ignored). */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      resolve(ABORTED);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

export { RunError };
