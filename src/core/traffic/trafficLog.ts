/**
 * Records traffic in the message store: every received message, every message a session took
 * to publish (before it is handed to the client, so the row precedes the broker's echo), and
 * later that publish's outcome on the same row. The log of the whole extension is fed this way
 * only, so every way of publishing is logged because it went through a session.
 */
import type { Disposable } from '../event';
import type { MessageStore } from '../store/messageStore';
import type { TrafficEvent } from './trafficTypes';
import type { TrafficSubscribe } from './trafficEmitter';

/** Outcomes outstanding at once; a publish whose outcome never came stops being tracked. */
const MAX_PENDING = 100_000;

export class TrafficLog implements Disposable {
  /** Traffic id of each publish still waiting for its outcome → its seq in the store. */
  private readonly pending = new Map<number, number>();
  private readonly subscription: Disposable;

  constructor(
    private readonly store: MessageStore,
    onTraffic: TrafficSubscribe<{ readonly name: string }>,
  ) {
    this.subscription = onTraffic((event, source) => this.record(event, source.name));
  }

  /** Publishes still waiting for their outcome. */
  get outstanding(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.subscription.dispose();
    this.pending.clear();
  }

  private record(event: TrafficEvent, connection: string): void {
    switch (event.kind) {
      case 'in':
        event.seq = this.store.append(connection, 'in', event);
        return;
      case 'out': {
        const seq = this.store.append(connection, 'out', {
          topic: event.topic,
          payload: event.payload,
          qos: event.qos,
          retain: event.retain,
          properties: event.properties,
          receivedAt: event.time,
        });
        event.seq = seq;
        this.store.setOutcome(seq, 'pending');
        if (this.pending.size >= MAX_PENDING)
          this.pending.delete(this.pending.keys().next().value as number);
        this.pending.set(event.id, seq);
        return;
      }
      case 'outcome': {
        const seq = this.pending.get(event.id);
        if (seq === undefined) return;
        this.pending.delete(event.id);
        this.store.setOutcome(seq, event.result);
        return;
      }
      case 'packet':
        return;
    }
  }
}
