/**
 * The worker thread that tests a regular expression against payloads, so that a pattern which
 * backtracks for seconds blocks this thread, which the host can terminate, never the extension
 * host. It gets a batch as one buffer of payloads back to back and answers one byte per payload.
 * Bundled as its own entry (dist/payloadMatchWorker.js); see RegexWorkerMatcher.
 */
import { parentPort } from 'node:worker_threads';
import { decodeUtf8Lossy } from '../../shared/utf8';

/** A batch to test; `ends[i]` is where payload i ends in `bytes`. */
export interface MatchBatch {
  id: number;
  source: string;
  flags: string;
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** 1 where payload i matches, 0 where it does not. */
export interface MatchAnswer {
  id: number;
  matches: Uint8Array;
}

let compiled: { key: string; regex: RegExp } | undefined;

function regexFor(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  if (compiled?.key !== key) compiled = { key, regex: new RegExp(source, flags) };
  return compiled.regex;
}

/** Posted once, when the worker is loaded: batches are timed from then on, not its start-up. */
export const WORKER_READY = 'ready';

parentPort?.postMessage(WORKER_READY);
parentPort?.on('message', (batch: MatchBatch) => {
  const regex = regexFor(batch.source, batch.flags);
  const matches = new Uint8Array(batch.ends.length);
  let start = 0;
  for (let i = 0; i < batch.ends.length; i++) {
    const end = batch.ends[i];
    // Decoded as the log shows it: invalid UTF-8 becomes U+FFFD.
    matches[i] = regex.test(decodeUtf8Lossy(batch.bytes.subarray(start, end))) ? 1 : 0;
    start = end;
  }
  const answer: MatchAnswer = { id: batch.id, matches };
  parentPort!.postMessage(answer, [matches.buffer]);
});
