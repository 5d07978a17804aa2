/**
 * One EXPECT while it runs: subscribed when `start` resolves, then in the background until it
 * passes, fails or its window ends. `count: >= n` passes at the n-th matching message; `count: n`
 * waits the whole window (and fails at once at the (n+1)-th); NOTHING fails at the first matching
 * message and passes at the window's end. The window starts with the block (the SUBACK wait is
 * inside it); latency runs from the subscription's grant. When its client ends (lost, dropped,
 * closed) it fails at once: nothing more can arrive.
 */
import type { Disposable } from '../event';
import type { Scheduler } from '../ports';
import { formatSeconds } from '../request/sendRequest';
import { validateTopicFilter } from '../topics/topics';
import { actualText, checkMessage, expectedText, type CompiledMatchers } from './messageMatch';
import { compileMatchers } from './compileMatchers';
import type { ExpectBlock } from './mqttFileAst';
import { messageOf } from './runClientPool';
import { at, RunError, type RunScope } from './runScope';
import type { BlockResult, RunClient, RunMessage, RunSubscription } from './runTypes';

export interface RunningExpectation {
  /** Resolves with the block's result when it ends; never rejects. */
  readonly done: Promise<BlockResult>;
  /** Ends it now as skipped (the run was cancelled). */
  stop(reason: string): void;
}

/** Subscribes and returns once the subscription is granted; rejects with a RunError before that. */
export async function startExpectation(
  block: ExpectBlock,
  scope: RunScope,
  client: RunClient,
  scheduler: Scheduler,
): Promise<RunningExpectation> {
  const filter = scope.expand(block.filter);
  const filterError = validateTopicFilter(filter);
  if (filterError) throw new RunError(at(block.filter.range, `filter "${filter}": ${filterError}`));
  const matchers = await compileMatchers(block.matchers, scope);
  if (block.qosRequired) matchers.qos = block.qos;
  if (block.retained !== undefined) matchers.retained = block.retained;
  const run = new Expectation(block, filter, matchers, scope, scheduler);
  try {
    // Always at QoS 2: what arrives keeps the sender's QoS (up to the broker's maximum), so
    // `qos: N` checks what was sent.
    const subscribing = client.subscribe(filter, 2, (m) => run.offer(m), {
      onEnd: (reason) => run.clientEnded(reason),
    });
    run.granted(await run.withinWindow(subscribing));
  } catch (error) {
    run.stop('');
    throw new RunError(`Cannot subscribe to "${filter}": ${messageOf(error)}`, { cause: error });
  }
  return run;
}

class Expectation implements RunningExpectation {
  readonly done: Promise<BlockResult>;
  private resolve!: (result: BlockResult) => void;
  private readonly startedAt: number;
  private grantedAt: number | undefined;
  private subscription: RunSubscription | undefined;
  private timer: Disposable | undefined;
  private ended = false;
  private matched = 0;
  private others = 0;
  private firstLatency: number | undefined;
  private closest: { message: RunMessage; misses: number } | undefined;
  private readonly seqs: number[] = [];

  constructor(
    private readonly block: ExpectBlock,
    private readonly filter: string,
    private readonly matchers: CompiledMatchers,
    private readonly scope: RunScope,
    private readonly scheduler: Scheduler,
  ) {
    this.startedAt = scheduler.now();
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  /**
   * The subscription, or a rejection when the broker has not granted it before the window (which
   * starts with the block) ends.
   */
  withinWindow(subscribing: Promise<RunSubscription>): Promise<RunSubscription> {
    const ms = this.block.withinMs;
    return new Promise((resolve, reject) => {
      let late = false;
      const left = Math.max(0, this.startedAt + ms - this.scheduler.now());
      const timer = this.scheduler.setTimeout(() => {
        late = true;
        reject(new Error(`no SUBACK within ${formatSeconds(ms)}`));
      }, left);
      subscribing.then(
        (subscription) => {
          timer.dispose();
          if (late) void subscription.close().catch(() => undefined);
          else resolve(subscription);
        },
        (error: unknown) => {
          timer.dispose();
          reject(error as Error);
        },
      );
    });
  }

  granted(subscription: RunSubscription): void {
    this.subscription = subscription;
    this.grantedAt = this.scheduler.now();
    const left = Math.max(0, this.startedAt + this.block.withinMs - this.grantedAt);
    if (this.ended) void subscription.close().catch(() => undefined);
    else this.timer = this.scheduler.setTimeout(() => this.windowEnded(), left);
  }

  /** Its client ended: nothing more can arrive, so it fails now (NOTHING too: it saw nothing). */
  clientEnded(reason: string): void {
    if (this.ended) return;
    const { kind, n } = this.block.count;
    const want = this.block.nothing
      ? 'nothing to arrive'
      : `${kind === 'exactly' ? 'exactly' : 'at least'} ${n} matching message${n === 1 ? '' : 's'}`;
    this.fail(
      `${reason} Expected ${want} on "${this.filter}" within ${this.window()}; ${this.matched} arrived before that.`,
      this.closest?.message,
    );
  }

  offer(message: RunMessage): void {
    if (this.ended) return;
    const { misses } = checkMessage(message, this.matchers);
    if (misses > 0) {
      this.others++;
      if (!this.closest || misses < this.closest.misses) this.closest = { message, misses };
      return;
    }
    this.matched++;
    if (message.seq !== undefined && this.seqs.length < 1000) this.seqs.push(message.seq);
    if (this.matched === 1) {
      this.firstLatency = Math.max(
        0,
        this.scheduler.now() - (this.grantedAt ?? this.scheduler.now()),
      );
      this.scope.captures.lastMessage = { topic: message.topic, payload: message.payload };
      this.closest = { message, misses: 0 };
    }
    const { kind, n } = this.block.count;
    if (this.block.nothing || (kind === 'exactly' && n === 0))
      this.fail(
        `A message arrived on "${message.topic}" after ${this.firstLatency} ms; nothing was expected.`,
        message,
        '(nothing)',
      );
    else if (kind === 'atLeast' && this.matched >= n) this.finish({ status: 'passed' });
    else if (kind === 'exactly' && this.matched > n)
      this.fail(
        `Expected exactly ${n} on "${this.filter}" within ${this.window()}; a ${ordinal(this.matched)} arrived.`,
        message,
      );
  }

  stop(reason: string): void {
    this.finish({ status: 'skipped', message: reason });
  }

  private windowEnded(): void {
    const { kind, n } = this.block.count;
    if (this.block.nothing) return this.finish({ status: 'passed' });
    if (kind === 'exactly' && this.matched === n) return this.finish({ status: 'passed' });
    const want = kind === 'exactly' ? `exactly ${n}` : `at least ${n}`;
    const others =
      this.others > 0
        ? ` (${this.others} other message${this.others === 1 ? '' : 's'} did not match)`
        : '';
    this.fail(
      `Expected ${want} matching message${n === 1 ? '' : 's'} on "${this.filter}" within ${this.window()}; ${this.matched} arrived${others}.`,
      this.closest?.message,
    );
  }

  private fail(message: string, actual: RunMessage | undefined, expected?: string): void {
    this.finish({
      status: 'failed',
      message,
      expected: expected ?? (expectedText(this.matchers) || `a message on "${this.filter}"`),
      actual: actualText(actual, this.matchers),
    });
  }

  private finish(outcome: Pick<BlockResult, 'status' | 'message' | 'expected' | 'actual'>): void {
    if (this.ended) return;
    this.ended = true;
    this.timer?.dispose();
    void this.subscription?.close().catch(() => undefined);
    const result: BlockResult = {
      block: this.block,
      ...outcome,
      durationMs: this.scheduler.now() - this.startedAt,
      messages: this.matched,
    };
    if (this.firstLatency !== undefined) result.latencyMs = this.firstLatency;
    if (this.seqs.length > 0) result.seqs = this.seqs;
    for (const key of ['message', 'expected', 'actual'] as const)
      if (result[key] === undefined) delete result[key];
    this.resolve(result);
  }

  private window(): string {
    return formatSeconds(this.block.withinMs);
  }
}

function ordinal(n: number): string {
  const s =
    n % 100 >= 11 && n % 100 <= 13
      ? 'th'
      : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
}
