/**
 * Pairs the replies to one MQTT 5 request with it (MQTT 5 §4.10): a reply carries the request's
 * correlation data, byte for byte; a message with other (or no) correlation data is not paired.
 * The first reply is timed from the request's send; replies that arrive within the window after
 * it are collected too. No reply before the timeout is a result of its own, not an error.
 */
import type { Disposable } from '../event';
import type { Scheduler } from '../ports';

/** What pairing reads of a received message (a session's `ReceivedMessage` is one). */
export interface ReplyCandidate {
  topic: string;
  payload: Uint8Array;
  properties?: Record<string, unknown>;
  receivedAt: number;
}

export interface PairedReply<M extends ReplyCandidate = ReplyCandidate> {
  message: M;
  /** From the request's send to the reply's arrival. */
  latencyMs: number;
}

export type PairingResult<M extends ReplyCandidate = ReplyCandidate> =
  | { kind: 'replied'; first: PairedReply<M>; others: PairedReply<M>[] }
  | { kind: 'timeout'; timeoutMs: number }
  /** The exchange ended early (disconnected, the publish failed): why. */
  | { kind: 'interrupted'; reason: string };

export interface PairingOptions {
  correlationData: Uint8Array;
  /** How long to wait for the first reply. */
  timeoutMs: number;
  /** How long after the first reply further replies are collected; 0: none. */
  windowMs: number;
  scheduler: Scheduler;
  /** When the request was sent; the scheduler's now when absent. */
  sentAt?: number;
}

export class RequestPairing<M extends ReplyCandidate = ReplyCandidate> {
  readonly done: Promise<PairingResult<M>>;
  readonly sentAt: number;
  private resolve!: (result: PairingResult<M>) => void;
  private first: PairedReply<M> | undefined;
  private readonly others: PairedReply<M>[] = [];
  private timer: Disposable | undefined;
  private finished = false;

  constructor(private readonly options: PairingOptions) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
    this.sentAt = options.sentAt ?? options.scheduler.now();
    this.timer = options.scheduler.setTimeout(
      () => this.finish({ kind: 'timeout', timeoutMs: options.timeoutMs }),
      options.timeoutMs,
    );
  }

  /** Offers a received message; true when it is a reply to this request and was taken. */
  offer(message: M): boolean {
    if (this.finished) return false;
    if (!sameBytes(correlationDataOf(message), this.options.correlationData)) return false;
    const reply = { message, latencyMs: Math.max(0, message.receivedAt - this.sentAt) };
    if (this.first) {
      this.others.push(reply);
      return true;
    }
    this.first = reply;
    this.timer?.dispose();
    if (this.options.windowMs <= 0) this.finish();
    else this.timer = this.options.scheduler.setTimeout(() => this.finish(), this.options.windowMs);
    return true;
  }

  /** Ends the exchange now: with the replies so far, or as interrupted when there were none. */
  interrupt(reason: string): void {
    this.finish(this.first ? undefined : { kind: 'interrupted', reason });
  }

  private finish(result?: PairingResult<M>): void {
    if (this.finished) return;
    this.finished = true;
    this.timer?.dispose();
    this.timer = undefined;
    const first = this.first;
    this.resolve(result ?? { kind: 'replied', first: first!, others: [...this.others] });
  }
}

/** The correlation data a message carried, if it carried any as bytes. */
export function correlationDataOf(message: {
  properties?: Record<string, unknown>;
}): Uint8Array | undefined {
  const value = message.properties?.correlationData;
  return value instanceof Uint8Array ? value : undefined;
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
