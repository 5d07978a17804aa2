/**
 * Tests a regular expression against payloads on a worker thread. A pattern such as `(\w+\s?)+$`
 * can backtrack for seconds on one 26-byte payload, and nothing inside a regex match yields: run
 * on the extension host it would freeze the editor, and chunking cannot help. Here the matching
 * runs in a Worker, one batch at a time; a batch that takes longer than the limit terminates the
 * worker (a fresh one starts for the next batch) and the match fails with FilterStoppedError.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Disposable } from '../event';
import { realScheduler, type Scheduler } from '../ports';
import type { MatchAnswer, MatchBatch } from './payloadMatchWorker';

/** What the worker posts once loaded (see payloadMatchWorker.ts). */
const WORKER_READY = 'ready';
/** A worker that has not loaded after this long has failed (milliseconds). */
const STARTUP_LIMIT_MS = 30_000;

/** The limit on one batch, in milliseconds, unless the matcher is given another. */
export const DEFAULT_FILTER_TIMEOUT_MS = 2000;
/** A batch holds payloads up to this many bytes in all (one larger payload goes alone)… */
const BATCH_BYTES = 1024 * 1024;
/** …and at most this many payloads. */
const BATCH_ROWS = 8192;

/** A batch of payloads took longer than the limit; the matching was stopped. */
export class FilterStoppedError extends Error {
  constructor(readonly limitMs: number) {
    super(`The filter took longer than ${limitMs / 1000} s and was stopped.`);
    this.name = 'FilterStoppedError';
  }
}

/** The caller no longer wants the answer (e.g. the user typed another filter). */
export class FilterCancelledError extends Error {
  constructor() {
    super('The filter was replaced before it finished.');
    this.name = 'FilterCancelledError';
  }
}

export interface PayloadMatcher extends Disposable {
  /** The limit on one batch, in milliseconds. */
  readonly limitMs: number;
  /**
   * One byte per payload: 1 where `regex` matches the payload decoded as UTF-8. Rejects with
   * FilterStoppedError when a batch runs over the limit, FilterCancelledError when `signal`
   * aborts.
   */
  match(regex: RegExp, payloads: readonly Uint8Array[], signal?: AbortSignal): Promise<Uint8Array>;
}

export interface RegexWorkerMatcherOptions {
  limitMs?: number;
  scheduler?: Scheduler;
  /** The worker's script; by default payloadMatchWorker.js next to this bundle (.ts in tests). */
  script?: string;
}

interface Job {
  batch: MatchBatch;
  resolve(matches: Uint8Array): void;
  reject(error: Error): void;
}

export class RegexWorkerMatcher implements PayloadMatcher {
  readonly limitMs: number;
  private readonly scheduler: Scheduler;
  private readonly script: string;
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private running: { job: Job; timer: Disposable | undefined } | undefined;
  /** The worker has loaded: batches sent to it are timed. */
  private workerReady = false;
  private nextId = 1;
  private disposed = false;

  constructor(options: RegexWorkerMatcherOptions = {}) {
    this.limitMs = options.limitMs ?? DEFAULT_FILTER_TIMEOUT_MS;
    this.scheduler = options.scheduler ?? realScheduler;
    this.script = options.script ?? defaultWorkerScript();
  }

  async match(
    regex: RegExp,
    payloads: readonly Uint8Array[],
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const result = new Uint8Array(payloads.length);
    const flags = regex.flags.replace(/[gy]/g, '');
    let from = 0;
    while (from < payloads.length) {
      let to = from;
      let bytes = 0;
      while (to < payloads.length && to - from < BATCH_ROWS) {
        if (to > from && bytes + payloads[to].byteLength > BATCH_BYTES) break;
        bytes += payloads[to].byteLength;
        to++;
      }
      const batch = packBatch(this.nextId++, regex.source, flags, payloads, from, to, bytes);
      result.set(await this.run(batch, signal), from);
      from = to;
    }
    return result;
  }

  dispose(): void {
    this.disposed = true;
    const error = new FilterCancelledError();
    for (const job of this.queue.splice(0)) job.reject(error);
    if (this.running) this.finish(this.running.job, error);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private run(batch: MatchBatch, signal: AbortSignal | undefined): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.disposed || signal?.aborted) return reject(new FilterCancelledError());
      const onAbort = () => this.abort(job);
      const job: Job = {
        batch,
        resolve: (matches) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(matches);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    const worker = this.ensureWorker();
    this.running = { job, timer: undefined };
    if (this.workerReady) this.startTimer();
    else this.running.timer = this.scheduler.setTimeout(() => this.failStartup(), STARTUP_LIMIT_MS);
    const { bytes, ends } = job.batch;
    worker.postMessage(job.batch, [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The bundle is plain JS; the .ts source (tests run from source) is loaded through tsx.
    const worker = this.script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(this.script)});`, { eval: true })
      : new Worker(this.script, { execArgv: [] });
    worker.unref();
    this.workerReady = false;
    worker.on('message', (answer: MatchAnswer | typeof WORKER_READY) => {
      if (answer === WORKER_READY) {
        this.workerReady = true;
        this.startTimer();
        return;
      }
      const running = this.running;
      if (running && running.job.batch.id === answer.id) this.finish(running.job, answer.matches);
    });
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', () => this.lose(worker, new Error('The filter worker stopped.')));
    this.worker = worker;
    return worker;
  }

  /** Times the batch the worker is running, from now. */
  private startTimer(): void {
    const running = this.running;
    if (!running) return;
    running.timer?.dispose();
    running.timer = this.scheduler.setTimeout(() => this.stop(running.job), this.limitMs);
  }

  private failStartup(): void {
    const worker = this.worker;
    if (worker) this.lose(worker, new Error('The filter worker did not start.'));
    void worker?.terminate();
  }

  /** The batch ran over the limit: the only way to stop a regex is to end its thread. */
  private stop(job: Job): void {
    if (this.running?.job !== job) return;
    this.kill();
    this.finish(job, new FilterStoppedError(this.limitMs));
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(new FilterCancelledError());
    } else if (this.running?.job === job) {
      this.kill();
      this.finish(job, new FilterCancelledError());
    }
  }

  private lose(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.running) this.finish(this.running.job, error);
  }

  private kill(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private finish(job: Job, outcome: Uint8Array | Error): void {
    if (this.running?.job !== job) return;
    this.running.timer?.dispose();
    this.running = undefined;
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
    this.startNext();
  }
}

function packBatch(
  id: number,
  source: string,
  flags: string,
  payloads: readonly Uint8Array[],
  from: number,
  to: number,
  total: number,
): MatchBatch {
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(to - from);
  let at = 0;
  for (let i = from; i < to; i++) {
    bytes.set(payloads[i], at);
    at += payloads[i].byteLength;
    ends[i - from] = at;
  }
  return { id, source, flags, bytes, ends };
}

/** payloadMatchWorker.js beside the bundle; in tests run from source, the .ts beside this file. */
export function defaultWorkerScript(): string {
  const bundled = path.join(__dirname, 'payloadMatchWorker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'payloadMatchWorker.ts');
}
