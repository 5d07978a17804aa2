/**
 * A PUBLISH block, once or `REPEAT n EVERY t`: the i-th message is due at start + i·t, and only
 * one timer is ever pending (a REPEAT of 100,000 holds one). Each message is expanded again, so
 * `{{$index}}` and dynamic values change; each waits for its acknowledgement (at most 30 s). A
 * publish that fails ends the repeat with the count sent.
 */
import type { Scheduler } from '../ports';
import type { PublishBlock } from './mqttFileAst';
import { publishMessage } from './publishMessage';
import { messageOf } from './runClientPool';
import { RunError, type RunScope } from './runScope';
import type { RunClient, RunPublish } from './runTypes';
import type { StepOutcome } from './requestStep';

/** At most this many Message Log entries are listed for one block. */
const MAX_SEQS = 1000;

export async function runPublish(
  block: PublishBlock,
  scope: RunScope,
  client: RunClient,
  scheduler: Scheduler,
  signal: AbortSignal | undefined,
): Promise<StepOutcome> {
  const count = block.repeat?.count ?? 1;
  const every = block.repeat?.everyMs ?? 0;
  const start = scheduler.now();
  const seqs: number[] = [];
  let latency = 0;
  for (let i = 0; i < count; i++) {
    // Without EVERY the messages go back to back, each after the previous acknowledgement.
    if (i > 0 && every > 0) await sleep(scheduler, start + i * every - scheduler.now(), signal);
    if (signal?.aborted)
      return {
        status: 'skipped',
        message: `Cancelled after ${i} of ${count} messages.`,
        messages: i,
      };
    const index = block.repeat ? i : undefined;
    try {
      const message = await publishMessage(block.message, scope, client, index);
      const result = await acknowledged(client.publish(message), message, scheduler);
      latency = result.elapsedMs;
      if (result.seq !== undefined && seqs.length < MAX_SEQS) seqs.push(result.seq);
    } catch (error) {
      const why =
        error instanceof RunError ? error.message : `The publish failed: ${messageOf(error)}`;
      const outcome: StepOutcome = {
        status: 'failed',
        message: block.repeat ? `${why} (${i} of ${count} sent)` : why,
        messages: i,
      };
      if (seqs.length > 0) outcome.seqs = seqs;
      return outcome;
    }
  }
  const outcome: StepOutcome = { status: 'passed', latencyMs: latency, messages: count };
  if (seqs.length > 0) outcome.seqs = seqs;
  return outcome;
}

/** A publish's acknowledgement (or, at QoS 0, its sending) may take at most this long. */
export const PUBLISH_TIMEOUT_MS = 30_000;

/** The publish's result, or a RunError once PUBLISH_TIMEOUT_MS have passed without it. */
export function acknowledged<T>(
  publish: Promise<T>,
  message: RunPublish,
  scheduler: Scheduler,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = scheduler.setTimeout(() => {
      publish.catch(() => undefined);
      const what =
        message.qos === 0
          ? 'could not be sent'
          : `was not acknowledged (${message.qos === 1 ? 'PUBACK' : 'PUBREC/PUBCOMP'})`;
      reject(
        new RunError(
          `The QoS ${message.qos} publish on "${message.topic}" ${what} within ${PUBLISH_TIMEOUT_MS / 1000} s.`,
        ),
      );
    }, PUBLISH_TIMEOUT_MS);
    publish.then(
      (value) => {
        timer.dispose();
        resolve(value);
      },
      (error: unknown) => {
        timer.dispose();
        reject(error as Error);
      },
    );
  });
}

/** Waits `ms` on the scheduler; an abort ends the wait early. */
export function sleep(
  scheduler: Scheduler,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      timer.dispose();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = scheduler.setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
