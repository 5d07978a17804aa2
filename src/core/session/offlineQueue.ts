/**
 * Publishes made while a connection is reconnecting, kept in order until it is back. Bounded
 * by count and by bytes: a device simulator left publishing against a dead broker must not
 * fill the extension host's memory. A publish that does not fit is refused at once.
 */
import { MqttError } from '../mqttError';
import type { OfflineQueueLimits, PublishOutcome, PublishRequest } from './sessionTypes';

export type { OfflineQueueLimits } from './sessionTypes';

export const DEFAULT_OFFLINE_QUEUE_LIMITS: OfflineQueueLimits = {
  maxMessages: 1_000,
  maxBytes: 10 * 1024 * 1024,
};

export interface QueuedPublish {
  request: PublishRequest;
  /** The traffic id its outgoing row was announced with. */
  id: number;
  bytes: number;
  resolve(outcome: PublishOutcome): void;
  reject(error: Error): void;
}

export class OfflineQueue {
  private entries: QueuedPublish[] = [];
  private totalBytes = 0;

  constructor(private readonly limits: () => OfflineQueueLimits) {}

  get size(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Queues a publish; the promise settles when it is sent, refused, or dropped. */
  add(request: PublishRequest, connectionName: string, id = 0): Promise<PublishOutcome> {
    const bytes = Buffer.byteLength(request.topic) + byteLength(request.payload);
    const { maxMessages, maxBytes } = this.limits();
    if (this.entries.length >= maxMessages || this.totalBytes + bytes > maxBytes) {
      return Promise.reject(
        new MqttError(
          `"${connectionName}" is reconnecting and its offline queue is full (${this.entries.length} messages, ${this.totalBytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes).`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.entries.push({ request, id, bytes, resolve, reject });
      this.totalBytes += bytes;
    });
  }

  /** Takes every queued publish out, oldest first. */
  takeAll(): QueuedPublish[] {
    const taken = this.entries;
    this.entries = [];
    this.totalBytes = 0;
    return taken;
  }

  /** Puts entries taken out back at the front, in their order. */
  putBack(entries: QueuedPublish[]): void {
    this.entries = [...entries, ...this.entries];
    for (const entry of entries) this.totalBytes += entry.bytes;
  }

  /** Fails every queued publish with `reason`; returns how many there were. */
  dropAll(reason: string): number {
    const dropped = this.takeAll();
    for (const entry of dropped) entry.reject(new MqttError(reason));
    return dropped.length;
  }
}

function byteLength(payload: string | Uint8Array): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
}
